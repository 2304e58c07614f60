// The default scanner: the seed's patterns, Optuna lines, and their variants, table-driven.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "extract/default_scanner.hpp"
#include "extract/line_bytes.hpp"

using logstream::extract::DefaultScan;
using logstream::extract::scan_default;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

struct Expected {
  std::optional<std::int64_t> position{};
  std::optional<std::int64_t> total_positions{};
  std::optional<std::string> model{};
  std::optional<std::int64_t> trial{};
  std::optional<std::int64_t> total_trials{};
  std::optional<double> score{};
  std::optional<double> best_score{};
  bool trial_began = false;
  bool best = false;
};

struct Case {
  std::string line;
  Expected expected;
};

void check_double(const std::optional<double>& actual, const std::optional<double>& expected) {
  REQUIRE(actual.has_value() == expected.has_value());
  if (!expected) return;
  if (std::isnan(*expected)) {
    CHECK(std::isnan(*actual));
  } else if (std::isinf(*expected)) {
    CHECK(*actual == *expected);
  } else {
    CHECK(*actual == Approx(*expected));
  }
}

void check_case(const Case& c) {
  CAPTURE(c.line);
  DefaultScan scan;
  scan_default(c.line, scan);
  const auto& u = scan.update;
  const Expected& e = c.expected;
  CHECK(u.position == e.position);
  CHECK(u.total_positions == e.total_positions);
  REQUIRE(u.model.has_value() == e.model.has_value());
  if (e.model) CHECK(std::string(*u.model) == *e.model);
  CHECK(u.trial == e.trial);
  CHECK(u.total_trials == e.total_trials);
  check_double(u.score, e.score);
  check_double(u.best_score, e.best_score);
  CHECK(u.trial_began == e.trial_began);
  CHECK(u.best == e.best);
}

}  // namespace

TEST_CASE("default scanner: the seed's example lines give their fields", "[scanner]") {
  const Case cases[] = {
      {"Position 1/6", {.position = 1, .total_positions = 6}},
      {"=== XGBoost Position 1 ===", {.position = 1, .model = "XGBoost"}},
      {"  Trial 1/15: Score=0.1502",
       {.trial = 1, .total_trials = 15, .score = 0.1502, .trial_began = true}},
      {"    [BEST] NEW BEST! Score: 0.4445", {.score = 0.4445, .best = true}},
      {"Training XGBoost model complete. Test Score: 0.4294", {.score = 0.4294}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: spacing and log prefixes do not matter", "[scanner]") {
  const Case cases[] = {
      {"Position 3 / 6", {.position = 3, .total_positions = 6}},
      {"Position\t2/6", {.position = 2, .total_positions = 6}},
      {"2024-05-01 12:00:00 INFO Position 4/6", {.position = 4, .total_positions = 6}},
      {"INFO - ===  Random Forest  Position 2  ===", {.position = 2, .model = "Random Forest"}},
      {"===== LightGBM Position 5 =====", {.position = 5, .model = "LightGBM"}},
      {"Trial   7/15:Score = 0.5",
       {.trial = 7, .total_trials = 15, .score = 0.5, .trial_began = true}},
      {"Trial 2/15: score: 0.25",
       {.trial = 2, .total_trials = 15, .score = 0.25, .trial_began = true}},
      {"Score=0.75,", {.score = 0.75}},
      {"Final Score: 0.9.", {.score = 0.9}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: scores may be negative, exponents, nan or inf", "[scanner]") {
  const Case cases[] = {
      {"Score=-0.1502", {.score = -0.1502}},
      {"Score=+2.5", {.score = 2.5}},
      {"Score=1.5e-3", {.score = 1.5e-3}},
      {"Score: -2E+2", {.score = -200}},
      {"Score=.5", {.score = 0.5}},
      {"Score=nan", {.score = nan_value}},
      {"Score: NaN", {.score = nan_value}},
      {"Score=inf", {.score = inf}},
      {"Score=-inf", {.score = -inf}},
      {"Score: -Infinity", {.score = -inf}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: numbers too large for their field are ignored", "[scanner]") {
  const Case cases[] = {
      {"Position 99999999999999999999/6", {.total_positions = 6}},
      {"Position 2/99999999999999999999", {.position = 2}},
      {"Trial 1/184467440737095516160: Score=0.5",
       {.trial = 1, .score = 0.5, .trial_began = true}},
      {"Score=1e999", {}},
      {"Score=-1e999", {}},
      {"Position 9223372036854775807/9223372036854775807",
       {.position = 9223372036854775807, .total_positions = 9223372036854775807}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: several patterns on one line all count", "[scanner]") {
  const Case cases[] = {
      {"Position 2/6 | Trial 3/15: Score=0.5 [BEST]",
       {.position = 2, .total_positions = 6, .trial = 3, .total_trials = 15, .score = 0.5,
        .trial_began = true, .best = true}},
      {"=== CatBoost Position 6 === Trial 15/15: Score=0.61 NEW BEST",
       {.position = 6, .model = "CatBoost", .trial = 15, .total_trials = 15, .score = 0.61,
        .trial_began = true, .best = true}},
      {"Score=0.1 then Score=0.2", {.score = 0.1}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: look-alikes are not progress", "[scanner]") {
  const Case cases[] = {
      {"Positional 1/6", {}},
      {"MyTrial 1/5", {}},
      {"Trials: 1/5", {}},
      {"val_score=0.3", {}},
      {"Score=0.3abc", {}},
      {"Score=", {}},
      {"Score: high", {}},
      {"Position x/6", {}},
      {"BEST practices", {}},
      {"best is trial 3", {}},
      {"=== Position 1 ===", {.position = 1}},
      {"", {}},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("default scanner: Optuna trial lines give trial (counted from 1), score and best", "[scanner][optuna]") {
  const Case cases[] = {
      {"[I 2024-05-01 12:00:00,000] Trial 5 finished with value: 0.83 and parameters: "
       "{'x': 1.5, 'depth': 4}. Best is trial 3 with value: 0.91.",
       {.trial = 6, .score = 0.83, .best_score = 0.91, .trial_began = true}},
      {"[I 2024-05-01 12:00:01,000] Trial 6 finished with value: 0.95 and parameters: "
       "{'x': 2.0}. Best is trial 6 with value: 0.95.",
       {.trial = 7, .score = 0.95, .best_score = 0.95, .trial_began = true, .best = true}},
      {"Trial 0 finished with value: -1.5e-2 and parameters: {}. Best is trial 0 with value: "
       "-1.5e-2.",
       {.trial = 1, .score = -0.015, .best_score = -0.015, .trial_began = true, .best = true}},
      {"Trial 7 pruned.", {.trial = 8, .trial_began = true}},
      {"Trial 8 finished with values: [0.1, 0.2] and parameters: {'x': 1}.",
       {.trial = 9, .trial_began = true}},
      {"Trial 4", {.trial = 4, .trial_began = true}},  // not Optuna's: as written
  };
  for (const Case& c : cases) check_case(c);

  DefaultScan scan;
  scan_default(cases[0].line, scan);
  REQUIRE(scan.optuna_value.has_value());
  CHECK(*scan.optuna_value == Approx(0.83));
}

TEST_CASE("default scanner: lines without trigger bytes are rejected up front", "[scanner]") {
  using logstream::extract::has_trigger_byte;
  CHECK_FALSE(has_trigger_byte(""));
  CHECK_FALSE(has_trigger_byte("Loading the training data from disk, please wait"));
  CHECK_FALSE(has_trigger_byte("short"));
  CHECK(has_trigger_byte("Position 1/6"));
  CHECK(has_trigger_byte("=== XGBoost Position 1 ==="));
  CHECK(has_trigger_byte("a fairly long prefix without anything, then NEW BEST"));
  CHECK(has_trigger_byte(" 45%|####5     | 45/100"));
  CHECK(has_trigger_byte("loss: 1"));
  // Every position inside and after a 16-byte block is seen.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string line(40, 'x');
    line[at] = ':';
    CAPTURE(at);
    CHECK(has_trigger_byte(line));
  }
}
