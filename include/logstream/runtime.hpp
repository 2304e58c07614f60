// Runtime: the libuv loop that spawns and reads children, and the workers that run the actors.
#pragma once

#include <functional>
#include <memory>

// Forward-declared so that <uv.h> stays out of the public headers.
struct uv_loop_s;
typedef struct uv_loop_s uv_loop_t;  // NOLINT: must match <uv.h>

namespace logstream {

struct RuntimeOptions {
  /// Threads that run the parser and sink actors (user callbacks run there). With 0, every
  /// actor runs on the loop thread.
  unsigned worker_threads = 2;
};

class RuntimeImpl;

/// Owns (or borrows) a libuv loop and the executors the stream actors run on.
///
/// `Runtime()` starts its own loop on a dedicated I/O thread plus `worker_threads` workers.
/// `Runtime(loop)` runs on a loop the host already drives and, unless told otherwise, on that
/// loop's thread only: no thread of its own. Construct and destroy it on the host loop's thread;
/// every stream must have completed before it is destroyed.
///
/// Construction opens /dev/null on each of fds 0, 1 and 2 that is closed (a program started by
/// cron or systemd, or with `<&-`): libuv needs its own fds above stderr, and a child that
/// inherits stdin then reads /dev/null instead of one of the runtime's fds. Open the standard
/// fds yourself before any other fd if their numbers matter to you.
///
/// Thread-safe: post() and the queries. Many Streamers may share one Runtime.
class Runtime {
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
  /// Runs `fn` on the loop thread, soon. Thread-safe; sends coalesce into one wake-up.
  void post(std::function<void()> fn);

  RuntimeImpl& impl() noexcept { return *impl_; }

private:
  std::unique_ptr<RuntimeImpl> impl_;
};

}  // namespace logstream
