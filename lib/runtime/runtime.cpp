// Runtime: starts or borrows the loop, and stops it only once every stream and handle is done.
#include <logstream/runtime.hpp>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "io/standard_fds.hpp"
#include "runtime/runtime_impl.hpp"

namespace logstream {

RuntimeImpl::RuntimeImpl(RuntimeOptions options) : options_(std::move(options)), owned_loop_(std::make_unique<uv_loop_t>()) {
  io::fill_closed_standard_fds();
  if (int rc = uv_loop_init(owned_loop_.get()); rc != 0)
    throw std::runtime_error(std::string("cannot create the event loop: ") + uv_strerror(rc));
  loop_ = owned_loop_.get();
  // The async handle stays referenced: the loop thread lives until close() in the destructor.
  loop_executor_ = std::make_unique<LoopExecutor>(loop_, /*keep_alive=*/true);
  if (options_.worker_threads > 0) workers_ = std::make_unique<WorkerExecutor>(options_.worker_threads);
  io_thread_ = std::thread([this] {
    // Threads inherit their creator's signal mask: a host that blocked everything (to take
    // signals with sigwait or a signalfd) would leave SIGCHLD blocked on every thread, and
    // libuv would never see a child exit. The loop's own thread takes it.
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    pthread_sigmask(SIG_UNBLOCK, &child, nullptr);
    loop_executor_->mark_loop_thread();
    uv_run(loop_, UV_RUN_DEFAULT);
  });
}

RuntimeImpl::RuntimeImpl(uv_loop_t* host_loop, RuntimeOptions options) : options_(std::move(options)), loop_(host_loop) {
  io::fill_closed_standard_fds();
  loop_executor_ = std::make_unique<LoopExecutor>(loop_, /*keep_alive=*/false);
  loop_executor_->mark_loop_thread();
  if (options_.worker_threads > 0) workers_ = std::make_unique<WorkerExecutor>(options_.worker_threads);
}

RuntimeImpl::~RuntimeImpl() {
  // A stream whose Streamer went away (destroyed from a callback) still runs on us.
  if (owned_loop_) wait_for_streams();
  // Workers first: what they still run may post to the loop.
  workers_.reset();
  if (owned_loop_) {
    loop_executor_->post([this] { loop_executor_->close(); });
    io_thread_.join();
    // Handles closed by late work are finished here, then the loop must be empty.
    uv_run(loop_, UV_RUN_DEFAULT);
    uv_loop_close(loop_);
  } else {
    loop_executor_->close();
  }
}

void RuntimeImpl::destroy(std::unique_ptr<RuntimeImpl> impl) {
  if (impl->owns_loop()) {
    if (!impl->on_runtime_thread()) {
      impl.reset();  // waits for its streams, joins its threads
      return;
    }
    // The last reference went on one of its own threads (a callback destroyed the Streamer
    // that owned it): a thread cannot join itself, so another one finishes the job.
    std::thread([impl = std::move(impl)]() mutable { impl.reset(); }).detach();
    return;
  }
  // A host loop, on its thread. Nothing may wait here: with streams still running, or from
  // inside one of our own tasks, a check handle finishes the job after a turn of the loop in
  // which the last stream ended (the loop runs while a stream holds it).
  if (impl->active_streams() == 0 && !impl->loop_executor().draining()) {
    impl.reset();
    return;
  }
  auto* check = new uv_check_t{};
  uv_check_init(impl->loop(), check);
  check->data = impl.release();
  uv_check_start(check, [](uv_check_t* handle) {
    auto* self = static_cast<RuntimeImpl*>(handle->data);
    if (self->active_streams() > 0) return;
    uv_check_stop(handle);
    delete self;
    uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) { delete reinterpret_cast<uv_check_t*>(h); });
  });
}

void RuntimeImpl::stream_started() {
  std::lock_guard lock(streams_mutex_);
  ++streams_;
}

void RuntimeImpl::stream_ended() {
  std::lock_guard lock(streams_mutex_);
  --streams_;
  // Notified under the lock: the destructor may free the condition variable right after.
  streams_cv_.notify_all();
}

int RuntimeImpl::active_streams() {
  std::lock_guard lock(streams_mutex_);
  return streams_;
}

void RuntimeImpl::wait_for_streams() {
  std::unique_lock lock(streams_mutex_);
  streams_cv_.wait(lock, [this] { return streams_ == 0; });
}

void RuntimeImpl::run_task(const std::function<void()>& fn) noexcept {
  try {
    fn();
    return;
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    if (options_.on_task_error) {
      try {
        options_.on_task_error(error);
      } catch (...) {
        // The error handler failed too: nothing is left to tell.
      }
      return;
    }
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "logstream: a task posted to the runtime threw: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "logstream: a task posted to the runtime threw\n");
    }
  }
}

Executor& RuntimeImpl::actor_executor() noexcept {
  if (workers_) return *workers_;
  return *loop_executor_;
}

bool RuntimeImpl::on_runtime_thread() const noexcept {
  return on_loop_thread() || (workers_ && workers_->in_executor_thread());
}

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<RuntimeImpl>(std::move(options))) {}
Runtime::Runtime(uv_loop_t* host_loop, RuntimeOptions options)
    : impl_(std::make_unique<RuntimeImpl>(host_loop, std::move(options))) {}
Runtime::~Runtime() { RuntimeImpl::destroy(std::move(impl_)); }

RuntimeImpl& runtime_impl(Runtime& runtime) noexcept { return *runtime.impl_; }

uv_loop_t* Runtime::loop() const noexcept { return impl_->loop(); }
bool Runtime::owns_loop() const noexcept { return impl_->owns_loop(); }
bool Runtime::on_loop_thread() const noexcept { return impl_->on_loop_thread(); }
bool Runtime::on_runtime_thread() const noexcept { return impl_->on_runtime_thread(); }
void Runtime::post(std::function<void()> fn) {
  RuntimeImpl* impl = impl_.get();
  impl->loop_executor().post([impl, fn = std::move(fn)] { impl->run_task(fn); });
}

}  // namespace logstream
