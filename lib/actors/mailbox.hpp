// Mailbox<T>: an actor's single-producer inbox on moodycamel's queue, awaited without polling.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <functional>
#include <optional>

#include <concurrentqueue/concurrentqueue.h>

#include "runtime/executor.hpp"

namespace logstream {

/// One producer (any thread, never two at once), one consumer coroutine. The consumer suspends
/// in wait() when the box is empty and is scheduled on its executor by the next send() or
/// close(). Order is the producer's order: a single producer token carries every send.
///
/// Usage (the consumer drains everything on each wake-up):
///   while (co_await box.wait()) while (auto m = box.try_receive()) handle(*m);
template <typename T>
class Mailbox {
public:
  explicit Mailbox(Executor& consumer_executor)
      : executor_(consumer_executor), producer_(queue_), consumer_(queue_) {}
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Enqueues `message` and wakes the consumer if it waits. Producer only.
  void send(T message) {
    queue_.enqueue(producer_, std::move(message));
    // seq_cst pairs with the consumer's store of waiting_ then load of size_ (Dekker): either
    // it sees this item, or we see it waiting and wake it.
    size_.fetch_add(1, std::memory_order_seq_cst);
    wake();
  }

  /// Enqueues, then drops the oldest messages while more than `cap` are queued; `dropped` is
  /// called with each one (for counting) on the producer's thread. Producer only.
  template <typename OnDrop>
  void send_dropping(T message, std::size_t cap, OnDrop&& dropped) {
    send(std::move(message));
    while (size_.load(std::memory_order_seq_cst) > static_cast<std::ptrdiff_t>(cap)) {
      T old;
      if (!queue_.try_dequeue(old)) break;
      size_.fetch_sub(1, std::memory_order_seq_cst);
      dropped(old);
    }
  }

  /// No more messages: the consumer drains what is queued, then wait() returns false.
  void close() {
    closed_.store(true, std::memory_order_seq_cst);
    wake();
  }

  /// Consumer only.
  std::optional<T> try_receive() {
    if (size_.load(std::memory_order_acquire) <= 0) return std::nullopt;
    T message;
    if (!queue_.try_dequeue(consumer_, message)) return std::nullopt;
    size_.fetch_sub(1, std::memory_order_acq_rel);
    return message;
  }

  std::size_t size() const noexcept {
    auto n = size_.load(std::memory_order_relaxed);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }

  /// Suspends until a message may be there (true) or the box is closed and drained (false).
  /// May wake with nothing to receive: callers loop.
  auto wait() noexcept {
    struct Awaiter {
      Mailbox& box;
      bool await_ready() const noexcept { return box.has_news(); }
      bool await_suspend(std::coroutine_handle<> handle) noexcept {
        box.waiter_ = handle;
        box.waiting_.store(true, std::memory_order_seq_cst);
        // Something arrived between await_ready and here: take the wake-up back ourselves,
        // unless a producer already claimed it (then it has scheduled us).
        if (box.has_news() && box.waiting_.exchange(false, std::memory_order_acq_rel)) return false;
        return true;
      }
      bool await_resume() const noexcept {
        return !(box.closed_.load(std::memory_order_acquire) &&
                 box.size_.load(std::memory_order_acquire) <= 0);
      }
    };
    return Awaiter{*this};
  }

private:
  bool has_news() const noexcept {
    return size_.load(std::memory_order_seq_cst) > 0 || closed_.load(std::memory_order_seq_cst);
  }
  void wake() {
    if (waiting_.exchange(false, std::memory_order_acq_rel)) executor_.schedule(waiter_);
  }

  Executor& executor_;
  moodycamel::ConcurrentQueue<T> queue_;
  moodycamel::ProducerToken producer_;
  moodycamel::ConsumerToken consumer_;
  std::atomic<std::ptrdiff_t> size_{0};
  std::atomic<bool> closed_{false};
  std::atomic<bool> waiting_{false};
  std::coroutine_handle<> waiter_;  // written before waiting_ is set (release), read after exchange
};

}  // namespace logstream
