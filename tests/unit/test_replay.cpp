// replay(): a log file framed like a stream (the Framer's own tests cover the rules) and extracted.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <logstream/replay.hpp>

namespace {
std::filesystem::path write_temp(const std::string& bytes) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("logstream_replay_" + std::to_string(::getpid()) + "_" +
                     std::to_string(++counter) + ".log");
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
}  // namespace

TEST_CASE("replay: a log file gives the final progress and metrics", "[replay]") {
  const auto path = write_temp(
      "Position 1/6\r\n"
      "=== XGBoost Position 1 ===\n"
      "  Trial 1/15: Score=0.1502\n"
      "    [BEST] NEW BEST! Score: 0.1502\n"
      "\r  0%|          | 0/10 [00:00<?, ?it/s]\r 50%|#####     | 5/10 [00:01<00:01, 5.00it/s, "
      "loss=0.5]\r100%|##########| 10/10 [00:02<00:00, 5.00it/s, loss=0.25]\n"
      "  Trial 2/15: Score=0.4445\n"
      "{'loss': 0.2, 'epoch': 1.0}\n"
      "Training XGBoost model complete. Test Score: 0.4294");
  const auto result = logstream::replay(path);
  CHECK(result.lines == 10);
  const auto& p = result.progress;
  CHECK(p.position == 1);
  CHECK(p.model_name == "XGBoost");
  CHECK(p.trial == 2);
  CHECK(p.score == Approx(0.4294));
  CHECK(p.best_score == Approx(0.1502));
  CHECK_FALSE(p.is_best);
  REQUIRE(p.bar.has_value());
  CHECK(p.bar->current == 10);
  CHECK(p.end_time.has_value());
  const auto loss = result.metrics->summary("loss");
  REQUIRE(loss.has_value());
  CHECK(loss->count == 3);
  CHECK(loss->min == 0.2);
  CHECK(loss->last_seq == 9);
  std::filesystem::remove(path);
}

TEST_CASE("replay: user rules apply to the file", "[replay][rules]") {
  const auto path = write_temp("Epoch 3/9 val_loss 0.7\n");
  logstream::RuleSet rules;
  rules.add("epoch", "^Epoch (?P<trial>\\d+)/(?P<total_trials>\\d+) val_loss (?P<val_loss>\\S+)");
  const auto result = logstream::replay(path, rules, {.default_rules = false});
  CHECK(result.progress.trial == 3);
  CHECK(result.progress.total_trials == 9);
  CHECK(result.metrics->summary("val_loss")->latest == 0.7);
  std::filesystem::remove(path);
}

TEST_CASE("replay: a missing file throws system_error naming it", "[replay]") {
  try {
    logstream::replay("/nonexistent/train.log");
    FAIL("replay succeeded");
  } catch (const std::system_error& error) {
    CHECK(std::string(error.what()).find("/nonexistent/train.log") != std::string::npos);
  }
}
