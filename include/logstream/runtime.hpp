// Runtime: the libuv loop that spawns and reads children, and the workers that run the actors.
#pragma once

#include <exception>
#include <functional>
#include <memory>

// Forward-declared so that <uv.h> stays out of the public headers.
struct uv_loop_s;
typedef struct uv_loop_s uv_loop_t;  // NOLINT: must match <uv.h>

#include <logstream/export.hpp>

namespace logstream {

struct LOGSTREAM_API RuntimeOptions {
  /// Threads that run the parser and sink actors and every user callback. With 0, every actor
  /// and callback runs on the loop thread.
  unsigned worker_threads = 2;
  /// Called (on the loop thread) with what a task given to post() threw; the loop goes on.
  /// Empty: one line on stderr.
  std::function<void(std::exception_ptr)> on_task_error;
};

class RuntimeImpl;

/// Owns (or borrows) a libuv loop and the executors the stream actors run on.
///
/// `Runtime()` starts its own loop on a dedicated I/O thread plus `worker_threads` workers. The
/// I/O thread unblocks SIGCHLD for itself (threads inherit their creator's mask), so child
/// exits are seen even when the creating thread blocked every signal.
/// `Runtime(loop)` runs on a loop the host already drives and, unless told otherwise, on that
/// loop's thread only: no thread of its own. Construct and destroy it on the host loop's thread;
/// several may share one thread (and one loop). That thread, or another of the host's, must
/// leave SIGCHLD unblocked.
///
/// Destruction waits for the streams the runtime still runs (those whose Streamer was destroyed
/// from a callback, which stop their child and finish on their own). From one of the runtime's
/// own threads, or on a host loop, it cannot wait: the streams finish first and the runtime
/// is freed after them (on a host loop, during a later turn: keep running the loop until
/// uv_run returns).
///
/// Construction opens /dev/null on each of fds 0, 1 and 2 that is closed (a program started by
/// cron or systemd, or with `<&-`): libuv needs its own fds above stderr, and a child that
/// inherits stdin then reads /dev/null instead of one of the runtime's fds. Open the standard
/// fds yourself before any other fd if their numbers matter to you.
///
/// Thread-safe: post() and the queries. Many Streamers may share one Runtime.
class LOGSTREAM_API Runtime {
public:
  explicit Runtime(RuntimeOptions options = {});
  explicit Runtime(uv_loop_t* host_loop, RuntimeOptions options = {.worker_threads = 0});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// The loop the runtime's handles live on.
  uv_loop_t* loop() const noexcept;
  /// True when the runtime runs its own loop thread.
  bool owns_loop() const noexcept;
  /// True on the loop thread (for a host loop: the thread that constructed the runtime).
  bool on_loop_thread() const noexcept;
  /// True on the loop thread or one of the worker threads.
  bool on_runtime_thread() const noexcept;
  /// Runs `fn` on the loop thread, soon. Thread-safe; sends coalesce into one wake-up. What
  /// `fn` throws goes to RuntimeOptions::on_task_error.
  void post(std::function<void()> fn);

private:
  friend RuntimeImpl& runtime_impl(Runtime& runtime) noexcept;

  std::unique_ptr<RuntimeImpl> impl_;
};

}  // namespace logstream
