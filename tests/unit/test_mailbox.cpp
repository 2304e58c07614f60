// Mailbox: ordered delivery to a parked coroutine, close-then-drain, and drop_oldest.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/detached.hpp"
#include "actors/mailbox.hpp"
#include "runtime/worker_executor.hpp"

using namespace logstream;

namespace {

struct Received {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> values;
  bool closed = false;

  bool wait_closed(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, timeout, [this] { return closed; });
  }
};

Task<> consume(Mailbox<int>& box, Received& out) {
  while (co_await box.wait()) {
    while (auto v = box.try_receive()) {
      std::lock_guard lock(out.mutex);
      out.values.push_back(*v);
    }
  }
  // Notified under the lock: the test may destroy `out` as soon as it sees `closed`.
  std::lock_guard lock(out.mutex);
  out.closed = true;
  out.cv.notify_all();
}

}  // namespace

TEST_CASE("mailbox: a consumer on a worker gets every message in order, then the close", "[mailbox]") {
  WorkerExecutor workers(2);
  Mailbox<int> box(workers);
  Received received;
  start_actor(workers, consume(box, received), 0);
  constexpr int kCount = 200000;
  std::thread producer([&] {
    for (int i = 0; i < kCount; ++i) box.send(i);
    box.close();
  });
  producer.join();
  REQUIRE(received.wait_closed(std::chrono::seconds(30)));
  REQUIRE(received.values.size() == kCount);
  bool ordered = true;
  for (int i = 0; i < kCount; ++i) ordered = ordered && received.values[static_cast<std::size_t>(i)] == i;
  CHECK(ordered);
}

TEST_CASE("mailbox: close on an empty box ends the consumer", "[mailbox]") {
  WorkerExecutor workers(1);
  Mailbox<int> box(workers);
  Received received;
  start_actor(workers, consume(box, received), 0);
  box.close();
  REQUIRE(received.wait_closed(std::chrono::seconds(10)));
  CHECK(received.values.empty());
}

TEST_CASE("mailbox: send_dropping keeps the newest messages and counts the rest", "[mailbox]") {
  WorkerExecutor workers(1);
  Mailbox<int> box(workers);
  int dropped = 0;
  for (int i = 0; i < 10; ++i) box.send_dropping(i, 3, [&](int) { ++dropped; });
  CHECK(dropped == 7);
  std::vector<int> left;
  while (auto v = box.try_receive()) left.push_back(*v);
  CHECK(left == std::vector<int>{7, 8, 9});
}

namespace {

/// Runs `fn` on `executor` and waits for it (the test thread is not one of its threads).
template <typename F>
void run_on(Executor& executor, F fn) {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  executor.post([&] {
    fn();
    std::lock_guard lock(mutex);
    done = true;
    cv.notify_all();
  });
  std::unique_lock lock(mutex);
  REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return done; }));
}

std::size_t received_count(Received& received) {
  std::lock_guard lock(received.mutex);
  return received.values.size();
}

/// A box with resume_inline on one worker, its consumer started first: so it is suspended when
/// a message comes.
struct InlineBox {
  WorkerExecutor workers{1};
  Mailbox<int> box{workers, /*resume_inline=*/true};
  Received received;
  InlineBox() { start_actor(workers, consume(box, received), 0); }

  /// Sends `message` from a task on the consumer's worker: how many messages the consumer had
  /// when send() returned.
  std::size_t received_when_send_returns(int message, bool may_resume_here) {
    std::size_t seen = 0;
    run_on(workers, [&] {
      box.send(message, may_resume_here);
      seen = received_count(received);
    });
    return seen;
  }
};

}  // namespace

TEST_CASE("mailbox: with resume_inline, a producer on the consumer's executor resumes it on its own stack",
          "[mailbox]") {
  // One worker: a consumer that were scheduled instead could not run before the sending task
  // returned.
  InlineBox b;
  CHECK(b.received_when_send_returns(1, /*may_resume_here=*/true) == 1);
  run_on(b.workers, [&] { b.box.close(); });
  REQUIRE(b.received.wait_closed(std::chrono::seconds(10)));
}

TEST_CASE("mailbox: with resume_inline but may_resume_here false, the consumer is scheduled", "[mailbox]") {
  InlineBox b;
  CHECK(b.received_when_send_returns(1, /*may_resume_here=*/false) == 0);
  b.box.close();
  REQUIRE(b.received.wait_closed(std::chrono::seconds(10)));
  CHECK(b.received.values == std::vector<int>{1});
}

TEST_CASE("mailbox: with resume_inline, a producer on another thread schedules the consumer", "[mailbox]") {
  InlineBox b;
  std::thread::id consumer_thread;
  run_on(b.workers, [&] { consumer_thread = std::this_thread::get_id(); });
  // Block the only worker so that a consumer resumed in place would show up on this thread.
  std::mutex gate;
  std::unique_lock hold(gate);
  b.workers.post([&] { std::lock_guard wait_for_gate(gate); });
  b.box.send(1);
  CHECK(received_count(b.received) == 0);  // scheduled behind the blocked task, not run here
  hold.unlock();
  b.box.close();
  REQUIRE(b.received.wait_closed(std::chrono::seconds(10)));
  CHECK(b.received.values == std::vector<int>{1});
  CHECK(consumer_thread != std::this_thread::get_id());
}
