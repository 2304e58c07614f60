// Lifetime and thread rules of the public API: queries at any time, destruction from anywhere,
// and the calls that make no sense before or after start() say so.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <logstream/logstream.hpp>

using namespace std::chrono_literals;

namespace {
std::string child_path() {
  const char* p = std::getenv("LOGSTREAM_TEST_CHILD");
  return p ? p : "tests/helpers/test_child";
}

logstream::ProcessSpec child(std::initializer_list<std::string> args) {
  logstream::ProcessSpec spec;
  spec.argv.push_back(child_path());
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  return spec;
}

/// Whether `promise` was fulfilled within `timeout`: a flag another thread sets.
bool set_within(std::promise<void>& promise, std::chrono::milliseconds timeout) {
  return promise.get_future().wait_for(timeout) == std::future_status::ready;
}
}  // namespace

TEST_CASE("lifetime: queries from another thread while start() and stop() run", "[lifetime]") {
  for (int i = 0; i < 50; ++i) {
    logstream::Streamer s(child({"lines", "200"}));
    std::atomic<bool> go{true};
    std::latch querying(1);
    std::thread queries([&] {
      // Every third round a stop races start() too: whenever it lands, the stream ends.
      if (i % 3 == 2) s.request_stop();
      querying.count_down();  // start() comes once the queries run, not before the thread is up
      while (go.load()) {
        (void)s.stats();
        (void)s.get_logs(5);
        (void)s.get_all_logs_str(5);
        (void)s.get_entries(5);
        (void)s.get_progress();
        (void)s.is_complete();
        (void)s.is_process_running();
        (void)s.exit_status();
        (void)s.pid();
        (void)s.start_time();
        (void)s.wait_for_completion(0ms);
      }
    });
    querying.wait();
    s.start();
    if (i % 2) s.stop();
    REQUIRE(s.wait_for_completion(30s));
    go = false;
    queries.join();
    if (i % 6 == 0) CHECK(s.stats().lines == 200u);  // neither stopped nor raced by a stop
  }
}

TEST_CASE("lifetime: wait_for_completion before start() returns false at once", "[lifetime]") {
  logstream::Streamer s(child({"exit", "0"}));
  CHECK_FALSE(s.wait_for_completion());  // no timeout: would wait forever if it waited
  CHECK_FALSE(s.is_complete());
}

TEST_CASE("lifetime: output_queue() after start() is a usage error unless asked for before", "[lifetime]") {
  logstream::Streamer unused(child({"exit", "0"}));
  unused.start();
  CHECK_THROWS_AS(unused.output_queue(), logstream::UsageError);
  logstream::Streamer used(child({"lines", "3"}));
  auto& queue = used.output_queue();
  used.start();
  CHECK(&used.output_queue() == &queue);
  REQUIRE(used.wait_for_completion(30s));
  CHECK(queue.size() == 3);
}

TEST_CASE("lifetime: pop() returns once the stream cannot feed the queue any more", "[lifetime]") {
  std::atomic<bool> returned{false};
  std::promise<void> done;
  std::thread consumer;
  {
    logstream::Streamer s(logstream::ProcessSpec{{"/nonexistent/logstream-test-command"}});
    auto& queue = s.output_queue();
    consumer = std::thread([&] {
      while (queue.pop()) {
      }
      returned = true;
      done.set_value();
    });
    CHECK_THROWS_AS(s.start(), logstream::StartError);
    // A start that failed feeds nothing: the consumer is let go.
    CHECK(set_within(done, 10s));
  }
  consumer.join();
  CHECK(returned.load());
}

TEST_CASE("lifetime: a Streamer destroyed from its own callback detaches; its stream stops the child", "[lifetime]") {
  auto* s = new logstream::Streamer(child({"slow", "100000", "5"}));
  std::promise<void> completed;
  std::atomic<int> after{0};
  std::atomic<bool> deleted{false};
  s->on_new_line = [&](const logstream::Line&) {
    if (deleted.exchange(true)) {
      ++after;
      return;
    }
    delete s;  // from the callback: the stream finishes on its own
  };
  s->on_complete = [&] { completed.set_value(); };
  s->start();
  REQUIRE(set_within(completed, 30s));
}

TEST_CASE("lifetime: a shared runtime dropped by its host waits for an orphaned stream", "[lifetime]") {
  auto runtime = std::make_shared<logstream::Runtime>();
  logstream::StreamerOptions options;
  options.runtime = runtime;
  options.stop_grace = 200ms;
  auto* s = new logstream::Streamer(child({"ignore-term"}), {}, options);
  options.runtime.reset();  // the host's handle below is then the last but the Streamer's
  std::promise<void> deleted;
  std::atomic<bool> completed{false};
  s->on_new_line = [&](const logstream::Line&) {
    if (s == nullptr) return;
    delete std::exchange(s, nullptr);
    deleted.set_value();
  };
  s->on_complete = [&] { completed = true; };
  s->start();
  REQUIRE(set_within(deleted, 30s));
  runtime.reset();  // waits for the stream: it ends the child after stop_grace, then completes
  CHECK(completed.load());
}

TEST_CASE("lifetime: the output queue is bounded in bytes, oldest lines dropped and counted", "[lifetime]") {
  logstream::StreamerOptions options;
  options.output_queue_bytes = 1 << 20;
  logstream::Streamer s(child({"lines", "200", "65536"}), {}, options);  // 12.5 MiB, nobody pulls
  auto& queue = s.output_queue();
  s.start();
  REQUIRE(s.wait_for_completion(60s));
  CHECK(queue.size() <= (1u << 20) / 65535 + 1);
  CHECK(queue.size() + queue.dropped() == 200);
  CHECK(queue.bytes() <= (1u << 20) + 65536);
  auto last = queue.try_pop();
  REQUIRE(last);
  CHECK(last->seq > 180);
}


TEST_CASE("lifetime: a task posted to the runtime that throws is reported; the runtime goes on", "[lifetime]") {
  std::mutex mutex;
  std::string reported;
  logstream::RuntimeOptions options;
  options.on_task_error = [&](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      std::lock_guard lock(mutex);
      reported = ex.what();
    }
  };
  logstream::Runtime runtime(options);
  std::promise<void> ran;
  runtime.post([] { throw std::runtime_error("posted task failed"); });
  runtime.post([&] { ran.set_value(); });
  REQUIRE(set_within(ran, 10s));
  std::lock_guard lock(mutex);
  CHECK(reported == "posted task failed");
}
