// Metric observations through the command: `--json` and `--metrics-csv` carry every one, in line
// order, checked against a small model of the lines the test wrote.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

struct Observation {
  std::uint64_t seq;
  std::string key;
  double value;
  bool operator==(const Observation&) const = default;
};

/// Random lines: some hold `key=value` pairs (values distinct and exact in decimal), some none.
/// Returns the text and what a reader of it must observe.
std::pair<std::string, std::vector<Observation>> random_metric_lines(std::mt19937_64& rng, std::size_t lines) {
  static constexpr const char* keys[] = {"loss", "acc", "lr", "val_loss", "grad_norm"};
  std::string text;
  std::vector<Observation> expected;
  for (std::uint64_t seq = 1; seq <= lines; ++seq) {
    const int pairs = static_cast<int>(rng() % 4);
    if (pairs == 0) {
      text += "plain line without numbers\n";
      continue;
    }
    for (int p = 0; p < pairs; ++p) {
      const std::string key = keys[rng() % std::size(keys)];
      const double value = static_cast<double>(rng() % 100000) / 8.0;  // exact in binary
      text += fmt::format("{}{}={}", p ? " " : "", key, value);
      expected.push_back(Observation{seq, key, value});
    }
    text += '\n';
  }
  return {text, expected};
}

std::string write_input(const TempDir& dir, const std::string& text) {
  std::ofstream(dir / "input", std::ios::binary) << text;
  return dir.file("input");
}

}  // namespace

TEST_CASE("cli metrics: --json has one metric object per observation, after its line", "[cli][metrics]") {
  TempDir dir;
  std::mt19937_64 rng(Catch::rngSeed() + 23);
  // More lines than a metric's series keeps (10,000): nothing may come from the capped store.
  const auto [text, expected] = random_metric_lines(rng, 40000);
  const CliResult r = run_cli(run_args({"--json"}, {"write-file", write_input(dir, text), "5", "65536"}),
                              CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  std::vector<Observation> got;
  std::uint64_t last_line = 0;
  for (const std::string& line : split_lines(r.out)) {
    const Json e = Json::parse(line);
    if (e["type"] == "line") last_line = e["seq"];
    if (e["type"] != "metric") continue;
    CHECK(e["seq"] == last_line);  // right after the line that holds it
    got.push_back(Observation{e["seq"], e["key"], e["value"]});
  }
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
}

TEST_CASE("cli metrics: --metrics-csv has a row per observation, in line order", "[cli][metrics]") {
  TempDir dir;
  std::mt19937_64 rng(Catch::rngSeed() + 29);
  const auto [text, expected] = random_metric_lines(rng, 40000);
  const auto csv = dir / "metrics.csv";
  const CliResult r = run_cli(run_args({"--plain", "--quiet", "--metrics-csv", csv.string()},
                                       {"write-file", write_input(dir, text), "9", "4096"}),
                              CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  const auto rows = split_lines(read_file(csv));
  REQUIRE(!rows.empty());
  CHECK(rows.front() == "time,elapsed_s,seq,key,value");
  std::vector<Observation> got;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    // time,elapsed_s,seq,key,value: the keys of this test hold no comma.
    std::vector<std::string> fields;
    std::size_t from = 0;
    for (std::size_t comma; (comma = rows[i].find(',', from)) != std::string::npos; from = comma + 1)
      fields.push_back(rows[i].substr(from, comma - from));
    fields.push_back(rows[i].substr(from));
    REQUIRE(fields.size() == 5);
    got.push_back(Observation{std::stoull(fields[2]), fields[3], std::stod(fields[4])});
  }
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
}
