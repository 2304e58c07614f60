// RunStore through the public header: a Streamer records its run, the store lists it, finds it
// and hands back its progress, metric summaries, lines (with seq and source) and events.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>

#include <logstream/logstream.hpp>

#include "temp_dir.hpp"
#include "test_scale.hpp"

using namespace std::chrono_literals;
using logstream::test::TempDir;

namespace {

std::string child_path() {
  const char* p = std::getenv("LOGSTREAM_TEST_CHILD");
  return p ? p : "tests/helpers/test_child";
}

logstream::StreamerOptions recorded_in(std::shared_ptr<logstream::RunStore> store, std::string name = {}) {
  logstream::StreamerOptions options;
  options.store = std::move(store);
  options.run_name = std::move(name);
  return options;
}

}  // namespace

TEST_CASE("run store: a Streamer's run is recorded with its progress, metrics, lines and exit", "[store]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  std::string id;
  {
    logstream::Streamer s{logstream::ProcessSpec{{child_path(), "train", "2", "3", "0"}}, {}, recorded_in(store, "job")};
    id = s.run_id();
    REQUIRE(!id.empty());
    CHECK(s.log_path() == dir.path() / "runs" / id / "output.log");
    // Recorded from construction on: a run that is set up shows as running.
    REQUIRE(store->get(id));
    CHECK(store->get(id)->state == logstream::RunState::running);
    s.start();
    REQUIRE(s.wait_for_completion(30s));
  }
  const logstream::RunRecord run = store->find("job");
  CHECK(run.id == id);
  CHECK(run.state == logstream::RunState::exited);
  CHECK(run.exit_code == 0);
  CHECK(run.pid.has_value());
  CHECK(run.ended_at.has_value());
  CHECK(run.progress.position == 2);
  CHECK(run.progress.trial == 3);
  CHECK(run.progress.model_name == "LightGBM");
  CHECK(run.best_score().has_value());
  CHECK(run.progress.end_time.has_value());  // rebuilt from ended_at: elapsed_time() stops there
  bool loss = false;
  for (const auto& m : run.metrics) loss = loss || (m.key == "loss" && m.count == 6);
  CHECK(loss);

  const auto lines = store->lines(run);
  // The committed lines are the log's lines (transient bar states are in neither).
  std::string joined;
  for (const auto& line : lines) joined += line.text + "\n";
  std::ifstream log(run.log);
  CHECK(joined == std::string(std::istreambuf_iterator<char>(log), {}));
  REQUIRE(lines.size() >= 2);
  CHECK(std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.text == "Training LightGBM model complete. Test Score: 0.4500"; }));
  for (std::size_t i = 1; i < lines.size(); ++i) CHECK(lines[i].seq > lines[i - 1].seq);
  const auto last = store->lines(run, 2);
  REQUIRE(last.size() == 2);
  CHECK(last[1].text == lines.back().text);
  CHECK(last[0].seq == lines[lines.size() - 2].seq);
  const auto events = store->events(run);
  REQUIRE(!events.empty());
  CHECK(events.back().find("\"type\":\"exit\"") != std::string::npos);
}

TEST_CASE("run store: lines keep their source and order against a model of random interleavings", "[store]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  std::mt19937_64 rng(Catch::rngSeed() + 5);
  for (int round = 0; round < 5; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 3000)(rng);
    std::string id;
    {
      logstream::Streamer s{logstream::ProcessSpec{{child_path(), "both", std::to_string(n)}}, {}, recorded_in(store)};
      id = s.run_id();
      s.start();
      REQUIRE(s.wait_for_completion(30s));
    }
    const auto run = store->find(id);
    CHECK(run.lines == static_cast<std::uint64_t>(2 * n));
    CHECK(run.stderr_lines == static_cast<std::uint64_t>(n));
    // Each pipe's own order is kept; the two interleave as they were read.
    int next_out = 1, next_err = 1;
    store->for_each_line(run, std::nullopt, [&](const logstream::StoredLine& line) {
      const bool err = line.text.rfind("err ", 0) == 0;
      CHECK(line.is_stderr == err);
      CHECK(line.text == (err ? "err " : "out ") + std::to_string(err ? next_err++ : next_out++));
    });
    CHECK(next_out == n + 1);
    CHECK(next_err == n + 1);
  }
}

TEST_CASE("run store: a start failure is recorded as failed with its error; lookups fail clearly", "[store]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  std::string id;
  {
    logstream::Streamer s{logstream::ProcessSpec{{"/nonexistent/tool"}}, {}, recorded_in(store)};
    id = s.run_id();
    CHECK_THROWS_AS(s.start(), logstream::StartError);
  }
  const auto run = store->find(id);
  CHECK(run.state == logstream::RunState::failed);
  CHECK(run.error.find("/nonexistent/tool") != std::string::npos);
  CHECK(run.name == "tool");
  try {
    (void)store->find("nothing-like-it");
    FAIL("found a run that does not exist");
  } catch (const logstream::RunLookupError& e) {
    CHECK_FALSE(e.ambiguous());
    CHECK(std::string(e.what()).find("nothing-like-it") != std::string::npos);
  }
  CHECK_THROWS_AS(logstream::RunStore(dir.path() / "runs" / id / "run.json" / "x"), logstream::StoreError);
}

TEST_CASE("run store: threads recording into one store at once are all listed", "[store]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      logstream::Streamer s{logstream::ProcessSpec{{child_path(), "lines", "100"}}, {}, recorded_in(store, std::string("t").append(std::to_string(i)))};
      s.start();
      s.wait_for_completion(30s);
    });
  for (auto& t : threads) t.join();
  const auto runs = store->list();
  REQUIRE(runs.size() == 8);
  for (const auto& r : runs) {
    CHECK(r.state == logstream::RunState::exited);
    CHECK(r.lines == 100);
  }
  CHECK(store->list(logstream::RunQuery{.limit = 3}).size() == 3);
  // Newest first.
  for (std::size_t i = 1; i < runs.size(); ++i) CHECK(runs[i - 1].started_at >= runs[i].started_at);
}

TEST_CASE("run store: a reader polling a run as it ends sees running, then its end, never lost", "[store]") {
  // The recorder's last snapshot and the release of its lock are two steps; a reader between
  // them must not take the run for one whose recorder died.
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  for (int run = 0, runs = scaled(100, 20); run < runs; ++run) {
    logstream::Streamer streamer({.argv = {child_path(), "lines", "200"}}, {}, recorded_in(store));
    const std::string id = streamer.run_id();
    std::atomic<bool> done{false};
    std::vector<logstream::RunState> seen;
    std::thread reader([&] {
      const logstream::RunStore own(dir.path());  // as another process would: its own handle
      while (!done.load()) {
        const auto record = own.get(id);
        if (record && (seen.empty() || seen.back() != record->state)) seen.push_back(record->state);
      }
    });
    streamer.start();
    streamer.wait_for_completion();
    done = true;
    reader.join();
    INFO("run " << run);
    CHECK(std::find(seen.begin(), seen.end(), logstream::RunState::lost) == seen.end());
    CHECK(store->get(id)->state == logstream::RunState::exited);
  }
}
