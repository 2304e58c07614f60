// ProgressExtractor: the whole per-line pipeline, the seed's sample log, is_best semantics and
// the change-only progress updates.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <logstream/extractor.hpp>

using logstream::ExtractorOptions;
using logstream::Line;
using logstream::ProgressExtractor;
using namespace std::chrono_literals;

namespace {

// Feeds lines with consecutive sequence numbers; returns which feeds reported a change.
struct Feeder {
  explicit Feeder(ExtractorOptions options = {}) : extractor(std::move(options)) {
    extractor.start(start);
  }

  bool feed(std::string_view text, bool transient = false) {
    Line line;
    line.text = text;
    line.seq = ++seq;
    line.transient = transient;
    line.arrival = start + std::chrono::milliseconds(seq * 10);
    line.wall_time = std::chrono::system_clock::now();
    return extractor.feed(line);
  }

  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  ProgressExtractor extractor;
  std::uint64_t seq = 0;
};

const char* const seed_sample_log[] = {
    "Position 1/6",
    "=== XGBoost Position 1 ===",
    "  Trial 1/15: Score=0.1502",
    "    [BEST] NEW BEST! Score: 0.1502",
    "  Trial 2/15: Score=0.4445",
    "    [BEST] NEW BEST! Score: 0.4445",
    "Training XGBoost model complete. Test Score: 0.4294",
};

}  // namespace

TEST_CASE("extractor: the seed's sample log gives the seed's progress", "[extractor]") {
  Feeder f;
  std::vector<bool> changed;
  for (const char* line : seed_sample_log) changed.push_back(f.feed(line));
  CHECK(changed == std::vector<bool>(7, true));
  const auto& p = f.extractor.progress();
  CHECK(p.position == 1);
  CHECK(p.total_positions == 6);
  CHECK(p.model_name == "XGBoost");
  CHECK(p.trial == 2);
  CHECK(p.total_trials == 15);
  CHECK(p.score == Approx(0.4294));
  CHECK(p.best_score == Approx(0.4445));
  CHECK(p.is_best);  // the latest trial (2) was announced best; no trial began since
  CHECK(p.position_progress() == Approx(1.0 / 6));
  CHECK(p.trial_progress() == Approx(2.0 / 15));
  CHECK(p.updates == 7);
  CHECK(p.last_update == f.start + 70ms);
  CHECK(p.start_time == f.start);
}

TEST_CASE("extractor: is_best is set by a BEST line and cleared by the next trial", "[extractor]") {
  Feeder f;
  const auto& p = f.extractor.progress();
  f.feed("Trial 1/15: Score=0.15");
  CHECK_FALSE(p.is_best);
  f.feed("[BEST] NEW BEST! Score: 0.15");
  CHECK(p.is_best);
  CHECK(p.best_score == 0.15);
  f.feed("Trial 2/15: Score=0.10");
  CHECK_FALSE(p.is_best);
  CHECK(p.best_score == 0.15);  // the best so far stays
  f.feed("NEW BEST");           // no score on the line: the latest trial's score is the best
  CHECK(p.is_best);
  CHECK(p.best_score == 0.10);
  f.feed("Trial 3/15: Score=0.5 [BEST]");  // a trial line that is itself the best
  CHECK(p.is_best);
  CHECK(p.best_score == 0.5);
}

TEST_CASE("extractor: a progress update is reported on change only", "[extractor]") {
  Feeder f;
  CHECK(f.feed("Position 1/6"));
  CHECK_FALSE(f.feed("Position 1/6"));
  CHECK_FALSE(f.feed("plain text without progress"));
  CHECK_FALSE(f.feed("loss=0.5"));  // a metric is not a progress field
  CHECK(f.feed("Position 2/6"));
  CHECK(f.feed("Score=nan"));
  CHECK_FALSE(f.feed("Score=nan"));  // NaN stays NaN: no change
  CHECK(f.feed("Trial 1/15: Score=nan"));
  CHECK(f.extractor.progress().updates == 4);
  CHECK(f.extractor.progress().last_update == f.start + 80ms);
}

TEST_CASE("extractor: metrics are recorded with their line numbers", "[extractor][metrics]") {
  Feeder f;
  f.feed("epoch 1 loss=0.9 acc: 0.5");
  f.feed("nothing");
  f.feed("{'loss': 0.4312, 'learning_rate': 3e-05, 'epoch': 0.5}");
  const auto& store = *f.extractor.metrics();
  CHECK(store.summary("loss")->count == 2);
  CHECK(store.summary("loss")->latest == 0.4312);
  CHECK(store.summary("loss")->last_seq == 3);
  CHECK(store.summary("learning_rate")->latest == 3e-05);
  const auto points = store.series("acc");
  REQUIRE(points.size() == 1);
  CHECK(points[0].seq == 1);
  CHECK(points[0].seconds == Approx(0.01));
}

TEST_CASE("extractor: an Optuna line records its objective, not its parameters",
          "[extractor][optuna]") {
  Feeder f;
  CHECK(f.feed("[I 2024-05-01 12:00:00,000] Trial 5 finished with value: 0.83 and parameters: "
               "{'x': 1.5}. Best is trial 3 with value: 0.91."));
  const auto& p = f.extractor.progress();
  CHECK(p.trial == 6);  // Optuna's trial 5 is the sixth
  CHECK(p.score == 0.83);
  CHECK(p.best_score == 0.91);
  CHECK_FALSE(p.is_best);
  CHECK(f.extractor.metrics()->keys() == std::vector<std::string>{"value"});
}

TEST_CASE("extractor: every CR-overwritten tqdm update counts", "[extractor][tqdm]") {
  Feeder f;
  CHECK(f.feed("train:   0%|          | 0/100 [00:00<?, ?it/s]", true));
  CHECK(f.feed("train:  45%|####5     | 45/100 [00:01<00:02, 30.0it/s, loss=0.43]", true));
  CHECK_FALSE(f.feed("train:  45%|####5     | 45/100 [00:01<00:02, 30.0it/s, loss=0.43]", true));
  CHECK(f.feed("train: 100%|##########| 100/100 [00:03<00:00, 30.0it/s, loss=0.21]"));
  const auto& bar = f.extractor.progress().bar;
  REQUIRE(bar.has_value());
  CHECK(bar->description == "train");
  CHECK(bar->current == 100);
  CHECK(bar->fraction() == 1.0);
  CHECK(bar->rate_unit == "it/s");
  const auto& store = *f.extractor.metrics();
  CHECK(store.keys() == std::vector<std::string>{"loss"});  // not "train", not the rate
  CHECK(store.summary("loss")->count == 3);
}

TEST_CASE("extractor: default rules and metrics can be turned off", "[extractor]") {
  SECTION("without default rules") {
    Feeder f(ExtractorOptions{.default_rules = false});
    CHECK_FALSE(f.feed("Position 1/6 loss=0.5"));
    CHECK_FALSE(f.extractor.progress().position.has_value());
    CHECK(f.extractor.metrics()->size() == 1);
  }
  SECTION("without metrics") {
    Feeder f(ExtractorOptions{.metrics = false});
    CHECK(f.feed("Position 1/6 loss=0.5"));
    CHECK(f.extractor.metrics()->size() == 0);
  }
}

TEST_CASE("extractor: the metric key cap applies to extracted lines", "[extractor][metrics]") {
  Feeder f(ExtractorOptions{.metrics_options = {.series_cap = 3, .max_keys = 2}});
  for (int i = 0; i < 5; ++i) f.feed("a=1 b=2 c=3");
  CHECK(f.extractor.metrics()->size() == 2);
  CHECK(f.extractor.metrics()->dropped_observations() == 5);
  CHECK(f.extractor.metrics()->series("a").size() == 3);
}

TEST_CASE("extractor: finish sets the end time", "[extractor]") {
  Feeder f;
  f.extractor.finish(f.start + 65s);
  CHECK(f.extractor.progress().end_time == f.start + 65s);
  CHECK(f.extractor.progress().elapsed_time() == "00:01:05");
}

TEST_CASE("extractor: each line's level, and a rule's `level` group wins", "[extractor][levels]") {
  ExtractorOptions options;
  options.rules.add("ours", R"(^!! (?P<level>\w+):)");
  Feeder f(std::move(options));
  // The level the extractor gives the line fed now.
  const auto level_of = [](Feeder& feeder, std::string_view text) {
    feeder.feed(text);
    return feeder.extractor.level();
  };
  CHECK(level_of(f, "ERROR:root:bad shard") == logstream::Level::error);
  CHECK(level_of(f, "epoch 1 loss=0.4") == logstream::Level::none);
  CHECK(level_of(f, "!! warn: our own format") == logstream::Level::warning);
  CHECK(level_of(f, "!! ERROR: our own format, any case") == logstream::Level::error);
  CHECK(level_of(f, "!! INFO: ERROR in the text, the rule says info") == logstream::Level::info);
  CHECK(level_of(f, "!! loud: not a level word: the line's own format decides") == logstream::Level::none);

  Feeder off(ExtractorOptions{.levels = false});
  CHECK(level_of(off, "ERROR:root:bad shard") == logstream::Level::none);
}
