// The loop's inbox: uv_async_send coalesces wake-ups, so each wake drains everything queued.
#include "runtime/loop_executor.hpp"

#include <array>

#include "runtime/thread_role.hpp"

namespace logstream {

LoopExecutor::LoopExecutor(uv_loop_t* loop, bool keep_alive) : async_(new uv_async_t{}), keep_alive_(keep_alive) {
  uv_async_init(loop, async_, &LoopExecutor::on_async);
  async_->data = this;
  if (!keep_alive) uv_unref(reinterpret_cast<uv_handle_t*>(async_));
}

LoopExecutor::~LoopExecutor() {
  // A host loop's thread outlives us: a stale mark would make a later runtime at the same
  // address believe it is on its loop thread.
  if (thread_role::current_loop() == this) thread_role::set_loop(nullptr);
}

void LoopExecutor::post(std::function<void()> fn) {
  queue_.enqueue(std::move(fn));
  // Release/acquire through the async handle's own pending flag: the loop sees the item.
  if (!closed_.load(std::memory_order_acquire)) uv_async_send(async_);
}

bool LoopExecutor::in_executor_thread() const noexcept {
  return thread_role::current_loop() == this;
}

void LoopExecutor::mark_loop_thread() noexcept { thread_role::set_loop(this); }

void LoopExecutor::close() {
  drain();
  closed_.store(true, std::memory_order_release);
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
}

void LoopExecutor::hold() {
  if (holds_++ == 0 && !keep_alive_) uv_ref(reinterpret_cast<uv_handle_t*>(async_));
}

void LoopExecutor::release() {
  if (--holds_ == 0 && !keep_alive_ && !closed_.load(std::memory_order_relaxed))
    uv_unref(reinterpret_cast<uv_handle_t*>(async_));
}

void LoopExecutor::on_async(uv_async_t* handle) {
  if (auto* self = static_cast<LoopExecutor*>(handle->data)) self->drain();
}

void LoopExecutor::drain() {
  std::array<std::function<void()>, 32> items;
  for (;;) {
    std::size_t n = queue_.try_dequeue_bulk(items.begin(), items.size());
    if (n == 0) return;
    for (std::size_t i = 0; i < n; ++i) {
      items[i]();
      items[i] = nullptr;
    }
  }
}

}  // namespace logstream
