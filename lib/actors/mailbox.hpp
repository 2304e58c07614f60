// Mailbox<T>: an actor's single-producer inbox on moodycamel's queue, awaited without polling.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include <concurrentqueue/concurrentqueue.h>

#include "runtime/executor.hpp"

namespace logstream {

/// One producer (any thread, never two at once), one consumer coroutine. The consumer suspends
/// in wait() when the box is empty and is scheduled on its executor (or, with resume_inline,
/// resumed in place) by the next send() or close(). Order is the producer's order: a single
/// producer token carries every send. Suspension is decided by one compare-exchange on a
/// notification counter, so neither side touches the box after handing the other the right to finish.
///
/// Usage (the consumer drains everything on each wake-up):
///   while (co_await box.wait()) while (auto m = box.try_receive()) handle(*m);
template <typename T>
class Mailbox {
public:
  /// With `resume_inline`, a producer that already runs on the consumer's executor resumes a
  /// suspended consumer on its own stack instead of scheduling it: no thread hop, no wake-up,
  /// and the consumer has handled the message when send() returns. Only for consumers whose
  /// work the producer may wait for (a lossless sink: the producer would wait at the in-flight
  /// bound anyway); a consumer that is already running just finds the message in its drain loop.
  explicit Mailbox(Executor& consumer_executor, bool resume_inline = false)
      : executor_(consumer_executor), producer_(queue_), consumer_(queue_), resume_inline_(resume_inline) {}
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Enqueues `message` and wakes the consumer if it waits. Producer only. `may_resume_here`
  /// false schedules the consumer even with resume_inline: the producer has more work queued
  /// and the consumer is better off running beside it on another worker.
  void send(T message, bool may_resume_here = true) {
    queue_.enqueue(producer_, std::move(message));
    size_.fetch_add(1, std::memory_order_release);
    notify(may_resume_here);
  }

  /// Enqueues, then drops the oldest messages while more than `cap` are queued; `dropped` is
  /// called with each one (for counting) on the producer's thread. Producer only.
  template <typename OnDrop>
  void send_dropping(T message, std::size_t cap, OnDrop&& dropped) {
    queue_.enqueue(producer_, std::move(message));
    size_.fetch_add(1, std::memory_order_release);
    while (size_.load(std::memory_order_acquire) > static_cast<std::ptrdiff_t>(cap)) {
      T old;
      if (!queue_.try_dequeue(old)) break;
      size_.fetch_sub(1, std::memory_order_acq_rel);
      dropped(old);
    }
    notify();
  }

  /// No more messages: the consumer drains what is queued, then wait() returns false. The
  /// producer's last call: the consumer may finish, and the box be destroyed, right after.
  void close() {
    closed_.store(true, std::memory_order_release);
    notify();
  }

  /// Consumer only.
  std::optional<T> try_receive() {
    if (size_.load(std::memory_order_acquire) <= 0) return std::nullopt;
    T message;
    // The item is counted, so it is there: a failed dequeue only means the producer's
    // enqueue is not yet visible to this thread, for a moment.
    while (!queue_.try_dequeue(consumer_, message)) {
      if (size_.load(std::memory_order_acquire) <= 0) return std::nullopt;  // dropped meanwhile
    }
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
      bool await_ready() noexcept {
        // Closed is a state, not news: after close() nothing will ever wake us, so never
        // suspend; await_resume says whether messages are left to drain.
        if (box.closed_.load(std::memory_order_acquire)) return true;
        // New notifications since we last looked: go round the drain loop again first.
        const std::uint64_t now = box.state_.load(std::memory_order_acquire);
        if (now == box.seen_) return false;
        box.seen_ = now;
        return true;
      }
      bool await_suspend(std::coroutine_handle<> handle) noexcept {
        box.waiter_ = handle;
        std::uint64_t expected = box.seen_;
        // The compare-exchange is the last access: once the waiting bit is set, a producer
        // may resume us on another thread, the actor may finish and the box be destroyed.
        // It fails when a notification came after await_ready looked: then we go on.
        return box.state_.compare_exchange_strong(expected, box.seen_ | kWaiting, std::memory_order_acq_rel,
                                                  std::memory_order_acquire);
      }
      bool await_resume() const noexcept {
        return !(box.closed_.load(std::memory_order_acquire) && box.size_.load(std::memory_order_acquire) <= 0);
      }
    };
    return Awaiter{*this};
  }

private:
  // state_ counts notifications (in steps of 2); bit 0 says the consumer is suspended.
  static constexpr std::uint64_t kWaiting = 1;

  void notify(bool may_resume_here = true) {
    // acq_rel: the consumer that sees this count also sees the item or the close before it.
    const std::uint64_t before = state_.fetch_add(2, std::memory_order_acq_rel);
    if ((before & kWaiting) == 0) return;
    // The consumer is suspended and only we (the single producer) clear the bit.
    std::coroutine_handle<> waiter = waiter_;
    Executor& executor = executor_;
    const bool here = may_resume_here && resume_inline_ && executor.in_executor_thread();
    state_.fetch_and(~kWaiting, std::memory_order_acq_rel);
    // Either way the last access to the box is above: the consumer may finish and the box be
    // destroyed while it runs, inline or elsewhere.
    if (here) {
      waiter.resume();
    } else {
      executor.schedule(waiter);
    }
  }

  Executor& executor_;
  moodycamel::ConcurrentQueue<T> queue_;
  moodycamel::ProducerToken producer_;
  moodycamel::ConsumerToken consumer_;
  std::atomic<std::ptrdiff_t> size_{0};
  std::atomic<bool> closed_{false};
  std::atomic<std::uint64_t> state_{0};
  const bool resume_inline_;
  std::uint64_t seen_ = 0;          // consumer only: the notification count it has acted on
  std::coroutine_handle<> waiter_;  // written before the waiting bit is set, read after
};

}  // namespace logstream
