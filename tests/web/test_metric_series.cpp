// MetricSeries against a model: random series of any length (NaNs included), decimated to N
// points, keep seq order, stay near N points, and keep every bucket's extremes, so the global
// minimum and maximum are always there.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "web/metric_series.hpp"

using logstream::MetricSummary;
using logstream::extract::MetricsCsvRow;
using logstream::web::MetricSeries;

TEST_CASE("metric series: decimation keeps order, bounds and every extreme", "[web]") {
  std::mt19937_64 rng(Catch::rngSeed() + 8);
  for (int round = 0; round < 200; ++round) {
    const std::size_t count = std::uniform_int_distribution<std::size_t>(0, 20000)(rng);
    const std::size_t points = std::uniform_int_distribution<std::size_t>(2, 500)(rng);
    // The snapshot may know fewer observations than the file has (a running run).
    const std::uint64_t known = round % 3 == 0 ? count / 4 : count;
    MetricSeries series({MetricSummary{.key = "loss", .count = known}}, points);
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (std::size_t i = 0; i < count; ++i) {
      double value = std::normal_distribution<double>(0, 1)(rng);
      if (i % 101 == 7) value = std::numeric_limits<double>::quiet_NaN();
      if (!std::isnan(value)) low = std::min(low, value), high = std::max(high, value);
      series.add(MetricsCsvRow{.elapsed_s = static_cast<double>(i), .seq = i + 1, .key = "loss", .value = value});
    }
    const auto json = series.json();
    REQUIRE(json.size() == 1);
    const auto& seq = json[0]["seq"];
    const auto& value = json[0]["value"];
    INFO("round " << round << ": " << count << " observations to " << points << " points, " << seq.size() << " kept");
    CHECK(seq.size() == value.size());
    CHECK(seq.size() <= std::min<std::size_t>(count, 2 * points + 2));
    for (std::size_t i = 1; i < seq.size(); ++i) CHECK(seq[i - 1].get<std::uint64_t>() < seq[i].get<std::uint64_t>());
    if (count > 0 && std::isfinite(low)) {
      bool has_low = false, has_high = false;
      for (const auto& v : value) {
        if (v.is_null()) continue;
        has_low = has_low || v.get<double>() == low;
        has_high = has_high || v.get<double>() == high;
      }
      CHECK(has_low);
      CHECK(has_high);
    }
  }
}
