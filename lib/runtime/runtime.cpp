// Runtime: starts or borrows the loop, and stops it only once every handle is closed.
#include <logstream/runtime.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <string>

#include "runtime/runtime_impl.hpp"

namespace logstream {
namespace {

// Started with stdin, stdout or stderr closed (cron, systemd, `app <&-`), the next fd opened
// would take its number: libuv asserts its own fds lie above stderr, and a child inheriting
// "stdin" would read our epoll fd. /dev/null fills each closed one first.
void fill_closed_standard_fds() noexcept {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null_fd = ::open("/dev/null", O_RDWR);  // the lowest free number: fd itself
    if (null_fd >= 0 && null_fd != fd) {  // another thread took it meanwhile
      ::dup2(null_fd, fd);
      ::close(null_fd);
    }
  }
}

}  // namespace

RuntimeImpl::RuntimeImpl(RuntimeOptions options) : owned_loop_(std::make_unique<uv_loop_t>()) {
  fill_closed_standard_fds();
  if (int rc = uv_loop_init(owned_loop_.get()); rc != 0)
    throw std::runtime_error(std::string("cannot create the event loop: ") + uv_strerror(rc));
  loop_ = owned_loop_.get();
  // The async handle stays referenced: the loop thread lives until close() in the destructor.
  loop_executor_ = std::make_unique<LoopExecutor>(loop_, /*keep_alive=*/true);
  if (options.worker_threads > 0) workers_ = std::make_unique<WorkerExecutor>(options.worker_threads);
  io_thread_ = std::thread([this] {
    loop_executor_->mark_loop_thread();
    uv_run(loop_, UV_RUN_DEFAULT);
  });
}

RuntimeImpl::RuntimeImpl(uv_loop_t* host_loop, RuntimeOptions options) : loop_(host_loop) {
  fill_closed_standard_fds();
  loop_executor_ = std::make_unique<LoopExecutor>(loop_, /*keep_alive=*/false);
  loop_executor_->mark_loop_thread();
  if (options.worker_threads > 0) workers_ = std::make_unique<WorkerExecutor>(options.worker_threads);
}

RuntimeImpl::~RuntimeImpl() {
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

Executor& RuntimeImpl::actor_executor() noexcept {
  if (workers_) return *workers_;
  return *loop_executor_;
}

bool RuntimeImpl::on_runtime_thread() const noexcept {
  return on_loop_thread() || (workers_ && workers_->in_executor_thread());
}

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<RuntimeImpl>(options)) {}
Runtime::Runtime(uv_loop_t* host_loop, RuntimeOptions options)
    : impl_(std::make_unique<RuntimeImpl>(host_loop, options)) {}
Runtime::~Runtime() = default;

uv_loop_t* Runtime::loop() const noexcept { return impl_->loop(); }
bool Runtime::owns_loop() const noexcept { return impl_->owns_loop(); }
bool Runtime::on_loop_thread() const noexcept { return impl_->on_loop_thread(); }
bool Runtime::on_runtime_thread() const noexcept { return impl_->on_runtime_thread(); }
void Runtime::post(std::function<void()> fn) { impl_->loop_executor().post(std::move(fn)); }

}  // namespace logstream
