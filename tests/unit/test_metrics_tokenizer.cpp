// The metrics tokenizer: which key/value tokens of a line are metrics, table-driven.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "extract/metrics_tokenizer.hpp"

using logstream::extract::MetricTokens;
using logstream::extract::tokenize_metrics;

namespace {

using Tokens = std::vector<std::pair<std::string, double>>;

Tokens tokens_of(std::string_view line) {
  MetricTokens out;
  tokenize_metrics(line, out);
  Tokens tokens;
  for (const auto& t : out) tokens.emplace_back(std::string(t.key), t.value);
  return tokens;
}

void check_tokens(std::string_view line, const Tokens& expected) {
  CAPTURE(line);
  const Tokens actual = tokens_of(line);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(actual[i].first == expected[i].first);
    if (std::isnan(expected[i].second)) {
      CHECK(std::isnan(actual[i].second));
    } else {
      CHECK(actual[i].second == Approx(expected[i].second));
    }
  }
}

}  // namespace

TEST_CASE("metrics tokenizer: key=value and key: value tokens are metrics", "[metrics]") {
  check_tokens("loss=0.4312", {{"loss", 0.4312}});
  check_tokens("acc: 0.8123", {{"acc", 0.8123}});
  check_tokens("lr=3e-4", {{"lr", 3e-4}});
  check_tokens("epoch 3 loss=0.5 acc: 0.75 lr=1e-3", {{"loss", 0.5}, {"acc", 0.75}, {"lr", 1e-3}});
  const double inf = std::numeric_limits<double>::infinity();
  check_tokens("step=10, loss = -1.5; grad_norm=inf",
               {{"step", 10}, {"loss", -1.5}, {"grad_norm", inf}});
  check_tokens("val/loss=0.3 train.acc=0.9 top-5=0.99", {{"val/loss", 0.3}, {"train.acc", 0.9},
                                                         {"top-5", 0.99}});
  check_tokens("loss=nan", {{"loss", std::numeric_limits<double>::quiet_NaN()}});
  check_tokens("accuracy: 81.5%", {{"accuracy", 81.5}});
  check_tokens("(loss=0.1)", {{"loss", 0.1}});
}

TEST_CASE("metrics tokenizer: Hugging Face and JSON dicts give their numeric entries",
          "[metrics]") {
  check_tokens("{'loss': 0.4312, 'learning_rate': 3e-05, 'epoch': 0.5}",
               {{"loss", 0.4312}, {"learning_rate", 3e-05}, {"epoch", 0.5}});
  check_tokens(R"({"eval_loss": 0.25, "eval_runtime": 1.5, "note": "fast", "epoch": 1.0})",
               {{"eval_loss", 0.25}, {"eval_runtime", 1.5}, {"epoch", 1.0}});
  check_tokens("{'loss\": 1}", {});
}

TEST_CASE("metrics tokenizer: CLI flags lose their dashes", "[metrics]") {
  check_tokens("args: --lr=0.1 --batch-size=32", {{"lr", 0.1}, {"batch-size", 32}});
}

TEST_CASE("metrics tokenizer: times, rates, ratios and prose are not metrics", "[metrics]") {
  for (const std::string line : {
           "2024-05-01 12:00:00 starting",
           "elapsed: 00:01",
           "speed=30.0it/s",
           " 45/100 [00:01<00:02, 30.0it/s]",
           "x=1/2",
           "Trial 1/15: ok",
           "see http://host:8080/path",
           "a == 3",
           "if a <= 3 or b >= 4 or c != 5",
           "=== XGBoost Position 1 ===",
           "note : 3",
           "1st=3",
           "name=resnet50",
           "loss=",
           "loss=0.5abc",
           "loss=1e999",
           "",
       }) {
    CAPTURE(line);
    CHECK(tokens_of(line).empty());
  }
}

TEST_CASE("metrics tokenizer: keys longer than 64 bytes are not metric names", "[metrics]") {
  const std::string ok(64, 'k');
  const std::string too_long(65, 'k');
  check_tokens(ok + "=1", {{ok, 1}});
  check_tokens(too_long + "=1", {});
}

TEST_CASE("metrics tokenizer: a line keeps its first 32 tokens and counts the rest", "[metrics]") {
  std::string line;
  for (int i = 0; i < 40; ++i) line += fmt::format("k{}={} ", i, i);
  MetricTokens out;
  tokenize_metrics(line, out);
  CHECK(out.size() == MetricTokens::capacity);
  CHECK(out.overflowed() == 8);
  CHECK(out[31].key == "k31");
}
