// Metrics of a running stream: the Streamer's store, and a MetricsSink added before start().
#include <catch2/catch.hpp>

#include <logstream/logstream.hpp>

#include "count_of.hpp"
#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("metrics: the store exists before start() and a MetricsSink added then exports the run", "[metrics]") {
  const TempDir tmp;
  const std::string csv = tmp.file("metrics.csv");
  const std::string json = tmp.file("metrics.json");
  Streamer s(child({"train", "1", "7", "0"}));
  const std::shared_ptr<MetricStore> store = s.get_metrics();
  REQUIRE(store);
  CHECK(store->size() == 0);
  s.add_sink(std::make_shared<MetricsSink>(store, MetricsSinkOptions{.csv_path = csv, .json_path = json}));
  s.start();
  REQUIRE(s.wait_for_completion(30s));

  CHECK(s.get_metrics() == store);
  const auto loss = store->summary("loss");
  REQUIRE(loss);
  CHECK(loss->count == 7);
  CHECK(loss->latest == Approx(1.0 / 8));
  // The sink's last export ran after the last line: every observation is in both files.
  CHECK(count_of(read_file(csv), ",loss,") == 7);
  CHECK(count_of(read_file(json), "\"loss\"") == 1);
  CHECK(read_file(json).find("\"count\": 7") != std::string::npos);
}

TEST_CASE("metrics: the store's options come from the streamer's extraction options", "[metrics]") {
  StreamerOptions options;
  options.extraction.metrics_options.series_cap = 3;
  Streamer s(child({"train", "1", "5", "0"}), {}, options);
  REQUIRE(s.get_metrics()->options().series_cap == 3);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  const auto loss = s.get_metrics()->summary("loss");
  REQUIRE(loss);
  CHECK(loss->count == 5);
  CHECK(loss->series_dropped == 2);
  CHECK(s.get_metrics()->series("loss").size() == 3);
}
