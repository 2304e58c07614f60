// MetricStore: summaries, the series cap, the key cap, NaN handling and concurrent use.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <logstream/metrics.hpp>

using logstream::MetricsOptions;
using logstream::MetricStore;
using logstream::ObservationTime;
using namespace std::chrono_literals;

namespace {

ObservationTime at(std::uint64_t seq, std::chrono::steady_clock::time_point arrival =
                                           std::chrono::steady_clock::now()) {
  return ObservationTime{seq, arrival, std::chrono::system_clock::now()};
}

}  // namespace

TEST_CASE("metric store: a key keeps latest, min, max, count and line numbers", "[metrics]") {
  MetricStore store;
  store.record("loss", 0.9, at(1));
  store.record("loss", 0.4, at(5));
  store.record("loss", 0.6, at(9));
  const auto s = store.summary("loss");
  REQUIRE(s.has_value());
  CHECK(s->latest == 0.6);
  CHECK(s->min == 0.4);
  CHECK(s->max == 0.9);
  CHECK(s->count == 3);
  CHECK(s->first_seq == 1);
  CHECK(s->last_seq == 9);
  CHECK_FALSE(store.summary("acc").has_value());
  CHECK(store.keys() == std::vector<std::string>{"loss"});
}

TEST_CASE("metric store: points carry seconds since the start", "[metrics]") {
  MetricStore store;
  const auto start = std::chrono::steady_clock::now();
  store.set_start(start);
  store.record("loss", 1, at(1, start + 1500ms));
  store.record("loss", 2, at(2, start - 1s));  // before the start: time zero
  const auto points = store.series("loss");
  REQUIRE(points.size() == 2);
  CHECK(points[0].seconds == Approx(1.5));
  CHECK(points[1].seconds == 0.0);
}

TEST_CASE("metric store: the series cap keeps the newest points and counts the rest", "[metrics]") {
  MetricStore store(MetricsOptions{.series_cap = 5, .max_keys = 10});
  for (std::uint64_t i = 1; i <= 12; ++i) store.record("loss", static_cast<double>(i), at(i));
  const auto points = store.series("loss");
  REQUIRE(points.size() == 5);
  for (std::size_t i = 0; i < points.size(); ++i) CHECK(points[i].seq == 8 + i);
  const auto s = store.summary("loss");
  CHECK(s->count == 12);
  CHECK(s->series_dropped == 7);
  CHECK(s->min == 1);  // the summary covers every observation, not only the kept ones
}

TEST_CASE("metric store: a zero series cap keeps summaries only", "[metrics]") {
  MetricStore store(MetricsOptions{.series_cap = 0});
  store.record("loss", 1, at(1));
  CHECK(store.series("loss").empty());
  CHECK(store.summary("loss")->count == 1);
}

TEST_CASE("metric store: keys past max_keys are dropped and counted", "[metrics]") {
  MetricStore store(MetricsOptions{.series_cap = 10, .max_keys = 3});
  const std::uint64_t before = store.version();
  for (int i = 0; i < 5; ++i) {
    const bool kept = store.record(fmt::format("k{}", i), i, at(i + 1u));
    CHECK(kept == (i < 3));
  }
  CHECK(store.record("k1", 10, at(9)));  // a known key still records
  CHECK(store.size() == 3);
  CHECK(store.dropped_observations() == 2);
  CHECK(store.snapshot().dropped_observations == 2);
  CHECK(store.version() == before + 4);
}

TEST_CASE("metric store: NaN is the latest value but not a min or max", "[metrics]") {
  MetricStore store;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  store.record("loss", nan, at(1));
  auto s = store.summary("loss");
  CHECK(std::isnan(s->latest));
  CHECK(std::isnan(s->min));
  store.record("loss", 2, at(2));
  store.record("loss", nan, at(3));
  s = store.summary("loss");
  CHECK(std::isnan(s->latest));
  CHECK(s->min == 2);
  CHECK(s->max == 2);
  CHECK(s->count == 3);
}

TEST_CASE("metric store: one line's observations are recorded together", "[metrics]") {
  MetricStore store(MetricsOptions{.max_keys = 2});
  const MetricStore::Observation line[] = {{"loss", 0.5}, {"acc", 0.9}, {"lr", 0.1}};
  CHECK(store.record(line, at(4)) == 2);
  CHECK(store.summary("acc")->last_seq == 4);
}

TEST_CASE("metric store: snapshots are consistent while another thread records", "[metrics]") {
  MetricStore store(MetricsOptions{.series_cap = 100, .max_keys = 8});
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (std::uint64_t i = 1; i <= 20000; ++i) {
      const MetricStore::Observation obs[] = {{"loss", 1.0 / static_cast<double>(i)},
                                              {"step", static_cast<double>(i)}};
      store.record(obs, at(i));
    }
    done = true;
  });
  std::uint64_t last_count = 0;
  while (!done) {
    const auto snap = store.snapshot();
    for (const auto& series : snap.metrics) {
      CHECK(series.points.size() <= 100);
      CHECK(series.summary.count >= series.points.size());
    }
    if (snap.metrics.size() == 2) {
      // Both keys come from the same lines, recorded under one lock: counts agree.
      CHECK(snap.metrics[0].summary.count == snap.metrics[1].summary.count);
      CHECK(snap.metrics[0].summary.count >= last_count);
      last_count = snap.metrics[0].summary.count;
    }
  }
  writer.join();
  CHECK(store.summary("step")->count == 20000);
  CHECK(store.summary("step")->latest == 20000);
}
