// MetricsSink: exports at open, periodically while lines flow, and at close.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <logstream/line_batch.hpp>
#include <logstream/sinks/metrics_sink.hpp>

#include "temp_dir.hpp"

using logstream::LineBatch;
using logstream::MetricsSink;
using logstream::MetricsSinkOptions;
using logstream::MetricStore;
using logstream::ObservationTime;
using namespace std::chrono_literals;

namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("metrics sink: open writes the files, close writes the final state", "[metrics][sink]") {
  const logstream::test::TempDir tmp;
  const std::filesystem::path& dir = tmp.path();
  auto store = std::make_shared<MetricStore>();
  MetricsSink sink(store,
                   MetricsSinkOptions{.csv_path = dir / "m.csv", .json_path = dir / "m.json"});
  CHECK(sink.name() == "metrics");
  // Its CSV is written from the batches: lossless. JSON alone reads the store: lossy is enough.
  CHECK(sink.overflow() == logstream::OverflowPolicy::block);
  CHECK(MetricsSink(store, MetricsSinkOptions{.json_path = dir / "m.json"}).overflow() ==
        logstream::OverflowPolicy::drop_oldest);
  sink.open();
  CHECK(std::filesystem::exists(dir / "m.csv"));
  CHECK(read_json(dir / "m.json")["metrics"].empty());
  store->record("loss", 0.5, ObservationTime{1});
  sink.close();
  CHECK(read_json(dir / "m.json")["metrics"]["loss"]["latest"] == 0.5);
  CHECK(sink.exports() == 2);
}

TEST_CASE("metrics sink: write exports only after the interval and a change", "[metrics][sink]") {
  const logstream::test::TempDir tmp;
  const std::filesystem::path& dir = tmp.path();
  auto store = std::make_shared<MetricStore>();
  const LineBatch batch;
  SECTION("a long interval holds exports back") {
    MetricsSink sink(store, MetricsSinkOptions{.json_path = dir / "m.json", .interval = 1h});
    sink.open();
    store->record("loss", 0.5, ObservationTime{1});
    sink.write(batch);
    CHECK(sink.exports() == 1);
  }
  SECTION("a zero interval exports on the next write after a change") {
    MetricsSink sink(store, MetricsSinkOptions{.json_path = dir / "m.json", .interval = 0ms});
    sink.open();
    sink.write(batch);
    CHECK(sink.exports() == 1);  // nothing changed
    store->record("loss", 0.5, ObservationTime{1});
    sink.write(batch);
    CHECK(sink.exports() == 2);
    CHECK(read_json(dir / "m.json")["metrics"]["loss"]["count"] == 1);
  }
}

TEST_CASE("metrics sink: an unwritable path fails at open with the path", "[metrics][sink]") {
  auto store = std::make_shared<MetricStore>();
  MetricsSink sink(store, MetricsSinkOptions{.csv_path = "/nonexistent-dir/m.csv"});
  try {
    sink.open();
    FAIL("open succeeded");
  } catch (const std::system_error& error) {
    CHECK(std::string(error.what()).find("/nonexistent-dir/m.csv") != std::string::npos);
  }
}
