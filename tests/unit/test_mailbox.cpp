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
