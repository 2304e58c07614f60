// What a sink is handed: each batch's lines with the metrics and progress changes found in them,
// and the stream's events at their place among the batches (the exit after the last line).
// Checked against a model: the same lines fed to a ProgressExtractor of their own.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <logstream/logstream.hpp>

#include "process_support.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

using Metric = std::tuple<std::uint64_t, std::string, double>;

/// Every call a sink got, in order: a batch (its line seqs, metrics, progress changes) or an event.
struct Call {
  bool is_event = false;
  std::uint64_t first_seq = 0, last_seq = 0;  // last < first: no line
  std::vector<Metric> metrics;
  std::vector<std::pair<std::uint64_t, TrainingProgress>> progress;
  StreamEvent event;
};

class RecordingSink : public Sink {
public:
  explicit RecordingSink(OverflowPolicy policy = OverflowPolicy::block) : policy_(policy) {}
  void write(const LineBatch& batch) override {
    Call call{.first_seq = batch.first_seq(), .last_seq = batch.last_seq()};
    for (MetricObservation m : batch.metrics()) call.metrics.emplace_back(m.seq, std::string(m.key), m.value);
    for (const ProgressChange& c : batch.progress_changes()) call.progress.emplace_back(c.seq, c.progress);
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }
  void on_event(const StreamEvent& event) override {
    std::lock_guard lock(mutex_);
    calls_.push_back(Call{.is_event = true, .event = event});
  }
  OverflowPolicy overflow() const override { return policy_; }
  std::string name() const override { return "recording"; }
  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

private:
  OverflowPolicy policy_;
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

/// Lines the extractor reads something from, and lines it does not, in random order.
std::vector<std::string> random_lines(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> kind(0, 6), small(0, 99);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; ++i) {
    const int a = small(rng), b = small(rng) + 100;
    switch (kind(rng)) {
      case 0: lines.push_back("epoch " + std::to_string(a) + " loss=0." + std::to_string(b) + " acc=" + std::to_string(a)); break;
      case 1: lines.push_back("Position " + std::to_string(a) + "/" + std::to_string(b)); break;
      case 2: lines.push_back("Trial " + std::to_string(a % 10 + 1) + "/10 score: 0." + std::to_string(b)); break;
      case 3: lines.push_back("step: " + std::to_string(a) + ", lr: 0.00" + std::to_string(a % 9 + 1)); break;
      case 4: lines.push_back("Training model: model-" + std::to_string(a % 3)); break;
      case 5: lines.push_back(""); break;
      default: lines.push_back("plain text " + std::to_string(a)); break;
    }
  }
  return lines;
}

struct Model {
  std::vector<Metric> metrics;
  std::vector<std::pair<std::uint64_t, TrainingProgress>> progress;
};

Model model_of(const std::vector<std::string>& lines) {
  Model model;
  ProgressExtractor extractor;
  extractor.start(std::chrono::steady_clock::now());
  std::uint64_t seq = 0;
  for (const std::string& text : lines) {
    Line line{{.seq = ++seq}, text};
    if (extractor.feed(line)) model.progress.emplace_back(seq, extractor.progress());
    for (const auto& o : extractor.observations()) model.metrics.emplace_back(seq, std::string(o.key), o.value);
  }
  return model;
}

/// What every sink must have seen, lossless or not: metrics and progress inside the batch of
/// their line, in order, the end's progress last, and the exit after it.
void check_calls(const std::vector<Call>& calls, const Model& model, std::uint64_t lines, bool lossless) {
  std::vector<Metric> metrics;
  std::vector<std::pair<std::uint64_t, TrainingProgress>> progress;
  std::uint64_t last_line = 0;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Call& c = calls[i];
    if (c.is_event) continue;
    if (c.last_seq >= c.first_seq) {
      CHECK(c.first_seq > last_line);
      last_line = c.last_seq;
    }
    for (const Metric& m : c.metrics) {
      CHECK(std::get<0>(m) >= c.first_seq);
      CHECK(std::get<0>(m) <= c.last_seq);
      metrics.push_back(m);
    }
    for (const auto& p : c.progress) {
      const bool end = c.last_seq < c.first_seq;  // the end: no line, its last line's seq
      CHECK(p.first >= (end ? c.first_seq - 1 : c.first_seq));
      CHECK(p.first <= c.last_seq + (end ? 1 : 0));
      progress.push_back(p);
    }
  }
  CHECK(last_line == (lossless ? lines : last_line));
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back().second.end_time.has_value());  // the end
  CHECK(progress.back().first == lines);
  progress.pop_back();
  if (lossless) {
    CHECK(metrics == model.metrics);
    REQUIRE(progress.size() == model.progress.size());
    for (std::size_t i = 0; i < progress.size(); ++i) {
      INFO("progress change " << i);
      CHECK(progress[i].first == model.progress[i].first);
      CHECK(progress[i].second.same_fields(model.progress[i].second));
    }
  } else {
    // What a lossy sink got is the model's, for the lines it got.
    std::size_t at = 0;
    for (const Metric& m : metrics) {
      while (at < model.metrics.size() && model.metrics[at] != m) ++at;
      CHECK(at < model.metrics.size());
    }
  }
  // The exit is the last call; the end's progress comes just before it.
  REQUIRE(calls.size() >= 2);
  REQUIRE(calls.back().is_event);
  CHECK(calls.back().event.kind == EventKind::exited);
  CHECK(calls.back().event.exit_code == 0);
  CHECK_FALSE(calls[calls.size() - 2].is_event);
}

}  // namespace

TEST_CASE("sink stream: random lines give every sink the model's metrics and progress in their line's batch, "
          "and the exit last",
          "[sinks][model]") {
  const TempDir tmp;
  const std::string input = tmp.file("input.txt");
  for (int round = 0, rounds = scaled(12, 3); round < rounds; ++round) {
    std::mt19937 rng(static_cast<std::uint32_t>(1000 + round));
    const auto lines = random_lines(rng, 1 + rng() % 20000);
    {
      std::ofstream out(input, std::ios::binary);
      for (const auto& l : lines) out << l << '\n';
    }
    const Model model = model_of(lines);
    StreamerOptions options;
    options.drop_queue_bytes = 1;  // the lossy sink keeps only the newest batch
    Streamer s(ProcessSpec{.argv = {"/bin/cat", input}}, {}, options);
    auto lossless = std::make_shared<RecordingSink>();
    auto lossy = std::make_shared<RecordingSink>(OverflowPolicy::drop_oldest);
    s.add_sink(lossless);
    s.add_sink(lossy);
    s.start();
    REQUIRE(s.wait_for_completion(60s));
    INFO("round " << round << ", " << lines.size() << " lines");
    check_calls(lossless->calls(), model, lines.size(), true);
    check_calls(lossy->calls(), model, lines.size(), false);
  }
}

TEST_CASE("sink stream: a truncation reaches every sink before the exit, the exit after the last line",
          "[sinks]") {
  StreamerOptions options;
  options.drain_timeout = 50ms;
  Streamer s(child({"grandchild", "1000"}), {}, options);
  auto sink = std::make_shared<RecordingSink>();
  s.add_sink(sink);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  const auto calls = sink->calls();
  std::vector<EventKind> events;
  for (const Call& c : calls)
    if (c.is_event) events.push_back(c.event.kind);
  CHECK(events == std::vector<EventKind>{EventKind::truncated, EventKind::exited});
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back().is_event);
}

TEST_CASE("sink stream: another sink's failure reaches every sink in order, and not the failed one", "[sinks]") {
  class Failing : public RecordingSink {
  public:
    void write(const LineBatch& batch) override {
      RecordingSink::write(batch);
      if (batch.last_seq() >= 20) throw std::runtime_error("full");
    }
    std::string name() const override { return "failing"; }
  };
  // The child writes for a while after the failure: an event that comes once the input ended
  // (while the sinks close) reaches on_event only.
  Streamer s(child({"slow", "300", "2"}));
  auto failing = std::make_shared<Failing>();
  auto sink = std::make_shared<RecordingSink>();
  s.add_sink(failing);
  s.add_sink(sink);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  std::size_t errors = 0;
  for (const Call& c : sink->calls())
    if (c.is_event && c.event.kind == EventKind::sink_error) {
      ++errors;
      CHECK(c.event.sink == "failing");
    }
  CHECK(errors == 1);
  for (const Call& c : failing->calls()) CHECK_FALSE(c.is_event);
}

TEST_CASE("subscribers: each of several is called; subscribing after start() throws and changes nothing",
          "[sinks][api]") {
  Streamer s(child({"train", "3", "2", "1"}));
  std::atomic<int> lines_a{0}, lines_b{0}, progress_a{0}, progress_b{0}, events_a{0}, events_b{0}, done{0};
  s.on_new_line = [&](const Line&) { ++lines_a; };
  s.on_new_line += [&](const Line&) { ++lines_b; };
  s.on_progress_update += [&](const TrainingProgress&) { ++progress_a; };
  s.on_progress_update += [&](const TrainingProgress&) { ++progress_b; };
  s.on_event = [&](const StreamEvent&) { ++events_a; };
  s.on_event += [&](const StreamEvent&) { ++events_b; };
  s.on_complete += [&] { ++done; };
  s.on_complete += [&] { ++done; };
  CHECK(s.on_new_line.size() == 2);
  s.start();
  CHECK_THROWS_AS(s.on_new_line = [](const Line&) {}, UsageError);
  CHECK_THROWS_AS(s.on_progress_update += [](const TrainingProgress&) {}, UsageError);
  CHECK_THROWS_AS(s.on_event += [](const StreamEvent&) {}, UsageError);
  CHECK_THROWS_AS(s.on_complete = nullptr, UsageError);
  CHECK(s.on_new_line.size() == 2);
  CHECK(s.on_complete.size() == 2);
  REQUIRE(s.wait_for_completion(30s));
  CHECK(lines_a.load() > 0);
  CHECK(lines_a.load() == lines_b.load());
  CHECK(progress_a.load() > 1);
  CHECK(progress_a.load() == progress_b.load());
  CHECK(events_a.load() >= 1);  // the exit
  CHECK(events_a.load() == events_b.load());
  CHECK(done.load() == 2);
}
