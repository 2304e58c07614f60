// Threads: every callback runs where the actors run (never on an own loop's I/O thread), events
// keep their order, on_complete comes last, and a blocked callback stalls no other stream.
#include <catch2/catch.hpp>

#include <uv.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <logstream/logstream.hpp>

#include "process_support.hpp"
#include "test_sinks.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

/// The threads each callback kind ran on, and the order of the calls.
struct Seen {
  std::mutex mutex;
  std::map<std::string, std::set<std::thread::id>> threads;
  std::vector<std::string> order;
  void record(const std::string& kind) {
    std::lock_guard lock(mutex);
    threads[kind].insert(std::this_thread::get_id());
    order.push_back(kind);
  }
};

/// Every query of a Streamer and its metric store, as a callback may make them: the library
/// holds none of its locks while it calls back, so none of these can wait for one (a
/// self-deadlock would hang the run; TSan names a lock-order inversion).
void query_everything(const Streamer& s) {
  (void)s.get_logs(10);
  (void)s.get_all_logs_str(5);
  (void)s.get_entries(5);
  (void)s.get_progress();
  (void)s.get_metrics()->snapshot();
  (void)s.is_complete();
  (void)s.is_process_running();
  (void)s.get_process_returncode();
  (void)s.exit_status();
  (void)s.pid();
  (void)s.start_time();
  (void)s.stats();
}

/// A stream that produces every callback kind: a line (whose callback throws: callback_error),
/// progress, a failing sink (sink_error), the exit, and a grandchild holding the pipe
/// (truncated), then completion. Each callback queries everything; the last one also calls
/// stop() (a request only: a callback cannot wait for its own stream).
std::unique_ptr<Streamer> every_callback(std::shared_ptr<Runtime> runtime, Seen& seen, std::atomic<bool>& completed) {
  StreamerOptions options;
  options.runtime = std::move(runtime);
  options.drain_timeout = 50ms;
  auto s = std::make_unique<Streamer>(child({"grandchild", "1000"}), std::filesystem::path{}, options);
  Streamer* self = s.get();
  s->add_sink(std::make_shared<FailingSink>(FailingSink::When::write));
  s->on_new_line = [&seen, self](const Line&) {
    seen.record("line");
    query_everything(*self);
    throw std::runtime_error("line callback fails");
  };
  s->on_progress_update = [&seen, self](const TrainingProgress&) {
    seen.record("progress");
    query_everything(*self);
  };
  s->on_event = [&seen, self](const StreamEvent& e) {
    seen.record(std::string(to_string(e.kind)));
    query_everything(*self);
  };
  s->on_complete = [&seen, &completed, self] {
    seen.record("complete");
    query_everything(*self);
    self->stop();
    completed = true;
  };
  return s;
}

/// A drop_oldest sink whose first write waits until every line went past the other sinks:
/// the batches queued meanwhile are dropped, so its next batch comes after a gap.
class GapSink : public Sink {
public:
  explicit GapSink(std::uint64_t lines) : lines_(lines) {}
  void write(const LineBatch&) override {
    if (writes_++ == 0) seen.wait_for(10s, [&] { return last.load() >= lines_; });
  }
  OverflowPolicy overflow() const override { return OverflowPolicy::drop_oldest; }
  std::string name() const override { return "gap"; }
  Condition seen;
  std::atomic<std::uint64_t> last{0};

private:
  std::uint64_t lines_;
  int writes_ = 0;
};

/// A stream that produces a gap event.
std::unique_ptr<Streamer> with_gap(std::shared_ptr<Runtime> runtime, Seen& seen) {
  constexpr std::uint64_t kLines = 20000;
  StreamerOptions options;
  options.runtime = std::move(runtime);
  options.drop_queue_bytes = 1;  // only the newest batch waits
  auto s = std::make_unique<Streamer>(child({"lines", std::to_string(kLines)}), std::filesystem::path{}, options);
  auto gap = std::make_shared<GapSink>(kLines);
  s->add_sink(gap);
  s->on_new_line = [gap](const Line& line) {
    gap->last = line.seq;
    gap->seen.signal();
  };
  s->on_event = [&seen](const StreamEvent& e) {
    if (e.kind == EventKind::gap) seen.record("gap");
  };
  return s;
}

const std::vector<std::string> kKinds = {"line", "progress", "sink_error", "callback_error", "exited", "truncated",
                                         "gap", "complete"};

// Both streams above on one runtime, started: every kind of callback, and a gap.
struct TwoStreams {
  Seen seen;
  std::atomic<bool> completed{false};
  std::unique_ptr<Streamer> s;
  std::unique_ptr<Streamer> g;

  explicit TwoStreams(const std::shared_ptr<Runtime>& runtime)
      : s(every_callback(runtime, seen, completed)), g(with_gap(runtime, seen)) {
    s->start();
    g->start();
  }
};

void check_every_kind_seen(Seen& seen) {
  std::lock_guard lock(seen.mutex);
  for (const auto& kind : kKinds) {
    INFO("callback kind " << kind);
    CHECK(seen.threads.count(kind) == 1);
  }
  REQUIRE_FALSE(seen.order.empty());
  // on_complete after every event and line of its stream (the gap comes from another one).
  auto last = std::find_if(seen.order.rbegin(), seen.order.rend(), [](auto& k) { return k != "gap"; });
  CHECK(*last == "complete");
}

// Each run is another interleaving of the callbacks' threads.
const int runs = scaled(40, 8);

}  // namespace

TEST_CASE("threads: no callback of an own-loop runtime runs on its I/O thread", "[threads]") {
  auto runtime = std::make_shared<Runtime>();
  std::atomic<bool> got{false};
  std::thread::id io;
  Condition posted;
  runtime->post([&] {
    io = std::this_thread::get_id();
    got = true;
    posted.signal();
  });
  REQUIRE(posted.wait_for(10s, [&] { return got.load(); }));
  for (int run = 0; run < runs; ++run) {
    TwoStreams streams(runtime);
    REQUIRE(streams.s->wait_for_completion(30s));
    REQUIRE(streams.g->wait_for_completion(30s));
    CHECK(streams.completed.load());  // wait_for_completion returns after on_complete
    check_every_kind_seen(streams.seen);
    std::lock_guard lock(streams.seen.mutex);
    for (const auto& [kind, ids] : streams.seen.threads) {
      INFO("run " << run << ": " << kind);
      CHECK(ids.count(io) == 0);
    }
  }
}

TEST_CASE("threads: on a host loop callbacks run on its workers and only without workers on its thread",
          "[threads][embedding]") {
  const unsigned workers = GENERATE(0u, 2u);
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  {
    auto runtime = std::make_shared<Runtime>(&loop, RuntimeOptions{.worker_threads = workers});
    for (int run = 0; run < runs; ++run) {
      TwoStreams streams(runtime);
      uv_run(&loop, UV_RUN_DEFAULT);  // returns once both streams are complete
      CHECK(streams.g->is_complete());
      CHECK(streams.completed.load());
      CHECK(streams.s->is_complete());
      check_every_kind_seen(streams.seen);
      std::lock_guard lock(streams.seen.mutex);
      for (const auto& [kind, ids] : streams.seen.threads) {
        INFO("workers " << workers << ", run " << run << ": " << kind);
        if (workers == 0) {
          CHECK(ids == std::set<std::thread::id>{std::this_thread::get_id()});
        } else {
          CHECK(ids.count(std::this_thread::get_id()) == 0);
        }
      }
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("threads: a blocked on_event of one stream does not stall another stream of its runtime", "[threads]") {
  auto runtime = std::make_shared<Runtime>();
  StreamerOptions options;
  options.runtime = runtime;
  Condition latch;
  std::atomic<bool> blocked{false};
  std::atomic<bool> released{false};
  Streamer a(child({"exit", "0"}), {}, options);
  a.on_event = [&](const StreamEvent& e) {
    if (e.kind != EventKind::exited) return;
    blocked = true;
    latch.signal();
    latch.wait_for(60s, [&] { return released.load(); });
  };
  a.start();
  REQUIRE(latch.wait_for(30s, [&] { return blocked.load(); }));
  // A watchdog releases A after a deadline, so a stalled runtime fails the test, not hangs it.
  std::atomic<bool> b_done{false};
  std::thread watchdog([&] {
    latch.wait_for(20s, [&] { return b_done.load(); });
    released = true;
    latch.signal();
  });
  auto counter = std::make_shared<CountingSink>();
  Streamer b(child({"lines", "20000"}), {}, options);
  b.add_sink(counter);
  b.start();
  const bool b_completed = b.wait_for_completion(30s);
  const bool a_still_blocked = !released.load();
  b_done = true;
  latch.signal();
  watchdog.join();
  CHECK(b_completed);
  CHECK(a_still_blocked);
  CHECK(counter->lines(Source::out) == 20000);
  REQUIRE(a.wait_for_completion(30s));
}
