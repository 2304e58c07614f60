// Backpressure: a slow lossless sink pauses the pipe (bounded memory, nothing lost); a slow
// drop_oldest sink skips batches and reports every gap.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

/// A sink that takes `delay` per batch, as a slow disk or network would, and checks order.
class SlowSink : public Sink {
public:
  SlowSink(std::chrono::milliseconds delay, OverflowPolicy policy) : delay_(delay), policy_(policy) {}

  void write(const LineBatch& batch) override {
    std::this_thread::sleep_for(delay_);  // the workload: a slow consumer, not synchronisation
    for (const Line& line : batch) {
      if (line.seq <= last_seq_) ordered_ = false;
      last_seq_ = line.seq;
      ++lines_;
    }
  }
  void on_gap(const GapEvent& gap) override {
    if (gap.first_seq != last_seq_ + 1) ordered_ = false;
    gap_lines_ += gap.count;
    ++gaps_;
  }
  OverflowPolicy overflow() const override { return policy_; }
  std::string name() const override { return "slow"; }

  std::uint64_t lines_ = 0;
  std::uint64_t gap_lines_ = 0;
  std::uint64_t gaps_ = 0;
  std::uint64_t last_seq_ = 0;
  bool ordered_ = true;

private:
  std::chrono::milliseconds delay_;
  OverflowPolicy policy_;
};

}  // namespace

TEST_CASE("backpressure: a slow lossless sink keeps memory bounded and loses nothing", "[backpressure]") {
  constexpr int kLines = 200000;  // 6.4 MB, 25 times the bound
  StreamerOptions options;
  options.max_inflight_bytes = 256 * 1024;
  auto slow = std::make_shared<SlowSink>(2ms, OverflowPolicy::block);
  Streamer s(child({"lines", std::to_string(kLines)}), {}, options);
  s.add_sink(slow);
  s.start();
  REQUIRE(s.wait_for_completion(120s));
  auto stats = s.stats();
  CHECK(slow->lines_ == kLines);
  CHECK(slow->ordered_);
  CHECK(stats.read_pauses > 0);
  CHECK(stats.peak_inflight_bytes <= options.max_inflight_bytes);
  CHECK(stats.inflight_bytes == 0);
  CHECK(s.get_process_returncode() == 0);
}

TEST_CASE("backpressure: a drop_oldest sink skips batches and reports each gap", "[backpressure]") {
  constexpr int kLines = 200000;
  StreamerOptions options;
  options.drop_queue_bytes = 128 * 1024;
  auto live = std::make_shared<SlowSink>(5ms, OverflowPolicy::drop_oldest);
  const TempDir tmp;
  const std::string log = tmp.file("lossless.log");
  std::mutex mutex;
  std::uint64_t reported = 0;
  Streamer s(child({"lines", std::to_string(kLines)}), log, options);
  s.add_sink(live);
  s.on_event = [&](const StreamEvent& e) {
    if (e.kind != EventKind::gap) return;
    std::lock_guard lock(mutex);
    reported += e.count;
  };
  s.start();
  REQUIRE(s.wait_for_completion(120s));
  CHECK(live->gaps_ > 0);
  CHECK(live->ordered_);
  // Every line was either delivered or reported missing, never both, never silently.
  CHECK(live->lines_ + live->gap_lines_ == kLines);
  CHECK(reported == live->gap_lines_);
  auto stats = s.stats();
  auto it = std::find_if(stats.sinks.begin(), stats.sinks.end(), [](auto& k) { return k.name == "slow"; });
  REQUIRE(it != stats.sinks.end());
  CHECK(it->dropped_lines == live->gap_lines_);
  // The lossless sinks beside it got everything.
  CHECK(stats.lines == kLines);
  CHECK(std::count(std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(log)),
                   std::istreambuf_iterator<char>(), '\n') == kLines);
}
