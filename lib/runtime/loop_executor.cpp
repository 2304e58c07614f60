// The loop's inbox: uv_async_send coalesces wake-ups, so each wake drains everything queued.
#include "runtime/loop_executor.hpp"

#include <array>

namespace logstream {

LoopExecutor::LoopExecutor(uv_loop_t* loop, bool keep_alive) : async_(new uv_async_t{}), keep_alive_(keep_alive) {
  uv_async_init(loop, async_, &LoopExecutor::on_async);
  async_->data = this;
  if (!keep_alive) uv_unref(reinterpret_cast<uv_handle_t*>(async_));
}

void LoopExecutor::post(std::function<void()> fn) {
  queue_.enqueue(std::move(fn));
  // Release/acquire through the async handle's own pending flag: the loop sees the item.
  std::lock_guard lock(send_mutex_);
  if (!closed_) uv_async_send(async_);
}

bool LoopExecutor::in_executor_thread() const noexcept {
  return thread_.load(std::memory_order_acquire) == std::this_thread::get_id();
}

void LoopExecutor::mark_loop_thread() noexcept { thread_.store(std::this_thread::get_id(), std::memory_order_release); }

void LoopExecutor::close() {
  drain();
  {
    std::lock_guard lock(send_mutex_);
    closed_ = true;
  }
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
}

void LoopExecutor::hold() {
  if (holds_++ == 0 && !keep_alive_) uv_ref(reinterpret_cast<uv_handle_t*>(async_));
}

void LoopExecutor::release() {
  if (--holds_ == 0 && !keep_alive_ && async_->data != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(async_));
}

void LoopExecutor::on_async(uv_async_t* handle) {
  if (auto* self = static_cast<LoopExecutor*>(handle->data)) self->drain();
}

void LoopExecutor::drain() {
  ++draining_;
  std::array<std::function<void()>, 32> items;
  for (;;) {
    std::size_t n = queue_.try_dequeue_bulk(items.begin(), items.size());
    if (n == 0) break;
    for (std::size_t i = 0; i < n; ++i) {
      items[i]();
      items[i] = nullptr;
    }
  }
  --draining_;
}

}  // namespace logstream
