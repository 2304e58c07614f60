// Metrics exports: CSV and JSON files that standard parsers read back, written atomically.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <logstream/metrics.hpp>

using logstream::MetricsOptions;
using logstream::MetricStore;
using logstream::ObservationTime;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("logstream_export_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) +
          "_" + name);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// RFC 4180: fields separated by commas, quoted fields may hold commas, quotes ("") and newlines.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

void fill(MetricStore& store) {
  const auto now = std::chrono::steady_clock::now();
  store.set_start(now);
  auto at = [&](std::uint64_t seq) {
    return ObservationTime{seq, now + std::chrono::milliseconds(seq * 100),
                           std::chrono::system_clock::now()};
  };
  store.record("loss", 0.5, at(1));
  store.record("acc", 0.75, at(2));
  store.record("loss", 0.25, at(3));
  store.record("loss", std::numeric_limits<double>::infinity(), at(4));
  store.record("acc", 0.8, at(5));
}

}  // namespace

TEST_CASE("metrics export: the CSV has one row per observation in line order",
          "[metrics][export]") {
  MetricStore store;
  fill(store);
  const auto path = temp_path("metrics.csv");
  store.write_csv(path);
  const auto rows = parse_csv(read_file(path));
  REQUIRE(rows.size() == 6);
  CHECK(rows[0] == std::vector<std::string>{"time", "elapsed_s", "seq", "key", "value"});
  const std::vector<std::string> keys = {"loss", "acc", "loss", "loss", "acc"};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 5);
    CHECK(rows[i][2] == std::to_string(i));
    CHECK(rows[i][3] == keys[i - 1]);
    CHECK(rows[i][0].size() == 24);  // 2024-05-01T12:00:00.123Z
    CHECK(rows[i][0].back() == 'Z');
  }
  CHECK(std::stod(rows[1][1]) == Approx(0.1));
  CHECK(std::stod(rows[3][4]) == 0.25);
  CHECK(rows[4][4] == "inf");
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  std::filesystem::remove(path);
}

TEST_CASE("metrics export: the JSON holds a summary per key plus its series", "[metrics][export]") {
  MetricStore store(MetricsOptions{.series_cap = 2, .max_keys = 2});
  fill(store);
  store.record("third", 1, ObservationTime{6});
  const auto path = temp_path("metrics.json");
  store.write_json(path);
  const auto json = nlohmann::json::parse(read_file(path));
  CHECK(json["dropped_observations"] == 1);
  const auto& loss = json["metrics"]["loss"];
  CHECK(loss["count"] == 3);
  CHECK(loss["min"] == 0.25);
  CHECK(loss["max"].is_null());  // infinity: JSON has no such number
  CHECK(loss["latest"].is_null());
  CHECK(loss["first_seq"] == 1);
  CHECK(loss["last_seq"] == 4);
  CHECK(loss["series_dropped"] == 1);
  REQUIRE(loss["series"].size() == 2);  // the cap holds in the export too
  CHECK(loss["series"][0]["seq"] == 3);
  CHECK(loss["series"][0]["value"] == 0.25);
  CHECK(loss["series"][1]["value"].is_null());
  CHECK(json["metrics"]["acc"]["latest"] == 0.8);
  CHECK(json["metrics"].size() == 2);
  std::filesystem::remove(path);
}

TEST_CASE("metrics export: keys with CSV and JSON specials stay parseable", "[metrics][export]") {
  MetricStore store;
  store.record("a,\"b\"\\c\n", 1, ObservationTime{1});
  const auto rows = parse_csv(store.to_csv());
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][3] == "a,\"b\"\\c\n");
  const auto json = nlohmann::json::parse(store.to_json());
  CHECK(json["metrics"].contains("a,\"b\"\\c\n"));
}

TEST_CASE("metrics export: an empty store exports a header and an empty object",
          "[metrics][export]") {
  MetricStore store;
  CHECK(parse_csv(store.to_csv()).size() == 1);
  const auto json = nlohmann::json::parse(store.to_json());
  CHECK(json["metrics"].empty());
}

TEST_CASE("metrics export: a failed write throws system_error naming the path",
          "[metrics][export]") {
  MetricStore store;
  fill(store);
  const std::filesystem::path path = "/nonexistent-dir/metrics.csv";
  try {
    store.write_csv(path);
    FAIL("write_csv succeeded");
  } catch (const std::system_error& error) {
    CHECK(std::string(error.what()).find("/nonexistent-dir/metrics.csv") != std::string::npos);
    CHECK(error.code() == std::errc::no_such_file_or_directory);
  }
  CHECK_THROWS_AS(store.write_json("/nonexistent-dir/metrics.json"), std::system_error);
}
