// PacedThread: a display's own thread, calling one function at a fixed pace until stopped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace logstream::cli {

/// Calls `tick` every `interval` on a thread of its own, at a fixed pace rather than once per
/// event (a fast child must not make the terminal redraw faster). stop() wakes the thread
/// between ticks; a tick under way finishes first. The owner stops it before anything `tick`
/// touches is destroyed.
class PacedThread {
public:
  PacedThread() = default;
  PacedThread(const PacedThread&) = delete;
  PacedThread& operator=(const PacedThread&) = delete;
  ~PacedThread() { stop(); }

  void start(std::chrono::steady_clock::duration interval, std::function<void()> tick);
  /// Idempotent; from any thread but the paced one.
  void stop();

private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace logstream::cli
