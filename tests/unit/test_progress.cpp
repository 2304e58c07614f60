// TrainingProgress and BarProgress: elapsed time formatting and clamped fractions.
#include <catch2/catch.hpp>

#include <limits>

#include <logstream/progress.hpp>

using logstream::BarProgress;
using logstream::TrainingProgress;
using namespace std::chrono_literals;

TEST_CASE("progress: fields never seen are empty, not zero", "[progress]") {
  const TrainingProgress p;
  CHECK_FALSE(p.position.has_value());
  CHECK_FALSE(p.total_positions.has_value());
  CHECK_FALSE(p.model_name.has_value());
  CHECK_FALSE(p.trial.has_value());
  CHECK_FALSE(p.score.has_value());
  CHECK_FALSE(p.best_score.has_value());
  CHECK_FALSE(p.bar.has_value());
  CHECK_FALSE(p.last_update.has_value());
  CHECK_FALSE(p.is_best);
  CHECK(p.updates == 0);
}

TEST_CASE("progress: elapsed time reads HH:MM:SS from the stream's start", "[progress]") {
  TrainingProgress p;
  const auto start = std::chrono::steady_clock::now() - 1h;
  p.start_time = start;
  SECTION("until the end once the stream ended") {
    p.end_time = start + 1h + 2min + 3s + 900ms;
    CHECK(p.elapsed_time() == "01:02:03");
    CHECK(p.elapsed() == 1h + 2min + 3s + 900ms);
  }
  SECTION("hours past 99 keep every digit") {
    p.end_time = start + 123h + 4min + 5s;
    CHECK(p.elapsed_time() == "123:04:05");
  }
  SECTION("a running stream counts up to now") {
    CHECK(p.elapsed() >= 1h);
    CHECK(p.elapsed_time().rfind("01:00:", 0) == 0);
  }
  SECTION("an end before the start is zero, not negative") {
    p.end_time = start - 5s;
    CHECK(p.elapsed_time() == "00:00:00");
  }
}

TEST_CASE("progress: a stream that never started has zero elapsed time", "[progress]") {
  const TrainingProgress p;
  CHECK(p.elapsed() == std::chrono::steady_clock::duration::zero());
  CHECK(p.elapsed_time() == "00:00:00");
}

TEST_CASE("progress: fractions are clamped and zero when a total is unknown", "[progress]") {
  struct Case {
    std::optional<std::int64_t> current;
    std::optional<std::int64_t> total;
    double expected;
  };
  const Case cases[] = {
      {1, 6, 1.0 / 6},   {6, 6, 1.0},  {7, 6, 1.0},   {0, 6, 0.0},
      {-3, 6, 0.0},      {3, 0, 0.0},  {3, -2, 0.0},  {std::nullopt, 6, 0.0},
      {3, std::nullopt, 0.0},
      {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(), 1.0},
  };
  for (const Case& c : cases) {
    TrainingProgress p;
    p.position = c.current;
    p.total_positions = c.total;
    p.trial = c.current;
    p.total_trials = c.total;
    CAPTURE(c.current, c.total);
    CHECK(p.position_progress() == Approx(c.expected));
    CHECK(p.trial_progress() == Approx(c.expected));
  }
}

TEST_CASE("progress: a bar's fraction is current over total, zero without a total", "[progress]") {
  BarProgress bar;
  bar.current = 45;
  CHECK(bar.fraction() == 0.0);
  bar.total = 100;
  CHECK(bar.fraction() == Approx(0.45));
  bar.current = 150;
  CHECK(bar.fraction() == 1.0);
  bar.total = std::numeric_limits<double>::quiet_NaN();
  CHECK(bar.fraction() == 0.0);
}

TEST_CASE("progress: same_fields compares extracted fields, not times", "[progress]") {
  TrainingProgress a;
  a.position = 1;
  a.score = std::numeric_limits<double>::quiet_NaN();
  TrainingProgress b = a;
  b.updates = 7;
  b.last_update = std::chrono::steady_clock::now();
  CHECK(a.same_fields(b));
  b.is_best = true;
  CHECK_FALSE(a.same_fields(b));
  b = a;
  b.bar = BarProgress{};
  CHECK_FALSE(a.same_fields(b));
}
