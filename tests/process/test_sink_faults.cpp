// Sink faults: sinks that throw from any hook, and a console on a non-blocking fd.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <logstream/logstream.hpp>

#include "event_recorder.hpp"
#include "process_support.hpp"
#include "test_sinks.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

/// Throws a plain std::runtime_error from the hook it is told to.
class ThrowingSink : public Sink {
public:
  enum class Hook { name, overflow, open, write };
  explicit ThrowingSink(Hook hook) : hook_(hook) {}
  void open() override {
    if (hook_ == Hook::open) throw std::runtime_error("open fails");
  }
  void write(const LineBatch&) override {
    ++writes;
    if (hook_ == Hook::write) throw std::runtime_error("write fails");
  }
  OverflowPolicy overflow() const override {
    if (hook_ == Hook::overflow) throw std::runtime_error("overflow fails");
    return OverflowPolicy::block;
  }
  std::string name() const override {
    if (hook_ == Hook::name) throw std::runtime_error("name fails");
    return "throwing";
  }
  std::atomic<int> writes{0};

private:
  Hook hook_;
};

SinkStats stats_of(const Streamer& s, const std::string& name) {
  for (auto& sink : s.stats().sinks)
    if (sink.name == name) return sink;
  FAIL("no sink named " << name);
  return {};
}

}  // namespace

TEST_CASE("sink faults: a sink whose name() or overflow() throws fails start() cleanly", "[sink_faults]") {
  const auto hook = GENERATE(ThrowingSink::Hook::name, ThrowingSink::Hook::overflow);
  const std::size_t kids = children();
  std::string message;
  {
    Streamer s(child({"lines", "10"}));
    s.add_sink(std::make_shared<ThrowingSink>(hook));
    try {
      s.start();
    } catch (const StartError& e) {
      message = e.what();
    }
    CHECK_FALSE(s.is_process_running());
  }  // and the destructor has nothing to stop
  CHECK_THAT(message, Catch::Contains(hook == ThrowingSink::Hook::name ? "name fails" : "overflow fails"));
  CHECK(children() == kids);
}

TEST_CASE("sink faults: any exception from open() or write() retires the sink", "[sink_faults]") {
  const auto hook = GENERATE(ThrowingSink::Hook::open, ThrowingSink::Hook::write);
  EventRecorder events;
  auto throwing = std::make_shared<ThrowingSink>(hook);
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"lines", "50000"}));
  start_recorded(s, events, {throwing, counter});
  REQUIRE(s.wait_for_completion(30s));
  CHECK(counter->lines(Source::out) == 50000);
  CHECK(events.count(EventKind::sink_error) == 1);
  const SinkStats stats = stats_of(s, "throwing");
  CHECK(stats.errors == 1);
  CHECK(throwing->writes.load() == (hook == ThrowingSink::Hook::open ? 0 : 1));
  CHECK(stats.failed_lines + stats.lines == 50000);
  CHECK(stats.failed_lines > 0);
}

TEST_CASE("sink faults: a console on a non-blocking pipe waits for its reader and loses nothing", "[sink_faults]") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
  EventRecorder events;
  std::atomic<std::size_t> newlines{0};
  std::thread reader([&] {
    // The workload: a slow reader (a terminal over a slow link), small reads with pauses.
    char buffer[4096];
    for (;;) {
      pollfd p{fds[0], POLLIN, 0};
      ::poll(&p, 1, -1);
      ssize_t n = ::read(fds[0], buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) continue;
      newlines += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
      std::this_thread::sleep_for(1ms);
    }
  });
  {
    Streamer s(child({"lines", "20000"}));  // 640 KB: ten pipes' worth
    s.add_sink(std::make_shared<ConsoleSink>(ConsoleSinkOptions{.fd = fds[1]}));
    s.on_event = std::ref(events);
    s.start();
    REQUIRE(s.wait_for_completion(60s));
    CHECK(stats_of(s, "console").failed_lines == 0);
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  CHECK(events.count(EventKind::sink_error) == 0);
  CHECK(newlines.load() == 20000);
}

namespace {

/// What a stuck sink waits for. Shared: an abandoned sink's thread may wake after the test ended.
struct Gate {
  Condition cond;
  std::atomic<bool> open{false};
};

/// A drop_oldest sink whose write() does not return until the test opens the gate: a live
/// view whose terminal hung.
class StuckSink : public Sink {
public:
  explicit StuckSink(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
  void write(const LineBatch&) override {
    ++entered;
    gate_->cond.signal();
    gate_->cond.wait_for(120s, [&] { return gate_->open.load(); });
  }
  OverflowPolicy overflow() const override { return OverflowPolicy::drop_oldest; }
  std::string name() const override { return "stuck"; }
  std::atomic<int> entered{0};

private:
  std::shared_ptr<Gate> gate_;
};

/// A test's stuck sinks and their gate, opened when the test ends or after a deadline, so a
/// library that waits on a stuck sink fails the test instead of hanging it.
class StuckSinks {
public:
  StuckSinks()
      : gate_(std::make_shared<Gate>()), keeper_([this] {
          gate_->cond.wait_for(30s, [&] { return done_.load(); });
          gate_->open = true;
          gate_->cond.signal();
        }) {}
  ~StuckSinks() {
    done_ = true;
    gate_->cond.signal();
    keeper_.join();
  }

  /// A new sink stuck at the gate.
  std::shared_ptr<StuckSink> make() const { return std::make_shared<StuckSink>(gate_); }
  /// Whether `entered` came to hold within `timeout` (checked as each sink enters write()).
  bool wait_until(std::chrono::milliseconds timeout, const std::function<bool()>& entered) {
    return gate_->cond.wait_for(timeout, entered);
  }
  /// True until the gate opens: the sinks are stuck still.
  bool stuck() const { return !gate_->open.load(); }

private:
  std::shared_ptr<Gate> gate_;
  std::atomic<bool> done_{false};
  std::thread keeper_;
};

/// Streams `lines` lines of the test child through `sink` (if any) and a counting sink: the
/// stream completes while the stuck sinks are stuck still, every line counted. Its stats.
StreamStats check_completes_while_stuck(const StuckSinks& stuck, const StreamerOptions& options, int lines,
                                        const std::shared_ptr<Sink>& sink = nullptr) {
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"lines", std::to_string(lines)}), {}, options);
  if (sink) s.add_sink(sink);
  s.add_sink(counter);
  s.start();
  const bool completed = s.wait_for_completion(20s);
  const bool still_stuck = stuck.stuck();
  CHECK(completed);
  CHECK(still_stuck);
  CHECK(counter->lines(Source::out) == static_cast<std::uint64_t>(lines));
  return s.stats();
}

}  // namespace

TEST_CASE("sink faults: two stuck drop_oldest sinks leave the workers to the other streams", "[sink_faults]") {
  StuckSinks stuck;
  auto runtime = std::make_shared<Runtime>();
  StreamerOptions options;
  options.runtime = runtime;
  auto first = stuck.make();
  auto second = stuck.make();
  Streamer a(child({"lines", "1000"}), {}, options);
  a.add_sink(first);
  a.add_sink(second);
  a.start();
  REQUIRE(stuck.wait_until(30s, [&] { return first->entered > 0 && second->entered > 0; }));
  check_completes_while_stuck(stuck, options, 20000);  // another stream of the runtime
}

TEST_CASE("sink faults: a stuck drop_oldest sink is abandoned; stop() and completion do not wait for it", "[sink_faults]") {
  StuckSinks stuck;
  EventRecorder events;
  StreamerOptions options;
  options.drain_timeout = 200ms;
  auto sink = stuck.make();
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"slow", "100000", "1"}), {}, options);
  start_recorded(s, events, {sink, counter});
  REQUIRE(stuck.wait_until(30s, [&] { return sink->entered > 0; }));
  s.stop();  // the child ends at once; the sink stays stuck
  const bool completed = s.is_complete();
  const bool still_stuck = stuck.stuck();
  CHECK(completed);
  CHECK(still_stuck);
  CHECK(events.count(EventKind::sink_error) == 1);
  CHECK(counter->closed());
}

TEST_CASE("sink faults: a drop_oldest sink never holds back its stream whatever it queues", "[sink_faults]") {
  StuckSinks stuck;
  StreamerOptions options;
  options.max_inflight_bytes = 1 << 20;
  options.drop_queue_bytes = 8 << 20;  // more than the in-flight budget
  const StreamStats stats = check_completes_while_stuck(stuck, options, 200000, stuck.make());  // 6.4 MB
  CHECK(stats.peak_inflight_bytes <= options.max_inflight_bytes);
}
