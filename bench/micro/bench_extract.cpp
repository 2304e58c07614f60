// Extraction throughput in lines/s on a realistic mixed training log: the default rules, 20 user
// rules, metrics tokenizing, all of them together, and lines that match nothing.
// Workload: 100k generated lines (see make_log); each run feeds all of them to a fresh extractor
// and checks the final progress, so a run that silently extracted nothing fails.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include <logstream/extractor.hpp>

namespace {

using logstream::ExtractorOptions;
using logstream::Line;
using logstream::ProgressExtractor;

// A training script's output: mostly log chatter, some progress, tqdm bars and metric lines.
std::vector<std::string> make_log(std::size_t count) {
  std::vector<std::string> lines;
  lines.reserve(count);
  for (std::size_t i = 0; lines.size() < count; ++i) {
    const std::size_t trial = i % 15 + 1;
    const std::size_t kind = i % 20;
    const double score = 0.1 + static_cast<double>(i % 97) / 200.0;
    switch (kind) {
      case 0: lines.push_back(fmt::format("Position {}/6", i % 6 + 1)); break;
      case 1: lines.push_back(fmt::format("=== XGBoost Position {} ===", i % 6 + 1)); break;
      case 2: lines.push_back(fmt::format("  Trial {}/15: Score={:.4f}", trial, score)); break;
      case 3: lines.push_back(fmt::format("    [BEST] NEW BEST! Score: {:.4f}", score)); break;
      case 4:
        lines.push_back(fmt::format("train: {:3}%|#####     | {}/100 [00:01<00:02, 30.0it/s, "
                                    "loss={:.4f}]", i % 100, i % 100, score));
        break;
      case 5:
        lines.push_back(fmt::format("{{'loss': {:.4f}, 'learning_rate': 3e-05, 'epoch': {:.2f}}}",
                                    score, static_cast<double>(i % 10) / 10));
        break;
      case 6:
        lines.push_back(fmt::format("[I 2024-05-01 12:00:00,000] Trial {} finished with value: "
                                    "{:.4f} and parameters: {{'x': 1.5}}. Best is trial 3 with "
                                    "value: 0.91.", trial, score));
        break;
      case 7:
        lines.push_back(fmt::format("epoch {} step {} loss={:.4f} acc: {:.4f} lr=3e-4", i / 100,
                                    i, score, 1 - score));
        break;
      case 8: case 9: case 10:
        lines.push_back(fmt::format("2024-05-01 12:00:{:02} INFO data.loader: loaded batch {} "
                                    "with 512 samples", i % 60, i));
        break;
      default:
        lines.push_back(fmt::format("Fitting estimator {} of 300 on the training fold, please "
                                    "wait while features are computed", i));
        break;
    }
  }
  return lines;
}

std::vector<std::string> make_plain_log(std::size_t count) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < count; ++i) {
    lines.push_back(fmt::format("Fitting estimator {} of 300 on the training fold, please wait "
                                "while the features are computed", i));
  }
  return lines;
}

logstream::RuleSet twenty_rules() {
  logstream::RuleSet rules;
  const char* const fields[] = {"val_loss", "val_acc", "grad_norm", "throughput", "memory_mb"};
  for (int i = 0; i < 20; ++i) {
    rules.add(fmt::format("rule{}", i),
              fmt::format(R"(^\[stage{}\] {} (?P<{}>[-+.\deE]+))", i, fields[i % 5],
                          fields[i % 5]));
  }
  return rules;
}

const std::vector<std::string>& mixed_log() {
  static const std::vector<std::string> lines = make_log(100'000);
  return lines;
}

void run(benchmark::State& state, const std::vector<std::string>& lines,
         const ExtractorOptions& options, bool expect_progress, bool expect_metrics) {
  std::vector<Line> framed(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    framed[i].text = lines[i];
    framed[i].seq = i + 1;
  }
  for (auto _ : state) {
    ProgressExtractor extractor(options);
    extractor.start(std::chrono::steady_clock::now());
    std::size_t changes = 0;
    for (const Line& line : framed) changes += extractor.feed(line) ? 1 : 0;
    benchmark::DoNotOptimize(changes);
    if (expect_progress && !extractor.progress().trial) {
      state.SkipWithError("no trial extracted");
      return;
    }
    if (expect_metrics && extractor.metrics()->size() == 0) {
      state.SkipWithError("no metric extracted");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetLabel("items/s = lines/s");
}

void BM_default_rules(benchmark::State& state) {
  run(state, mixed_log(), ExtractorOptions{.metrics = false}, true, false);
}

void BM_twenty_user_rules(benchmark::State& state) {
  // Every 20th line is a stage line one rule matches: the set prefilter rejects the rest.
  std::vector<std::string> lines = mixed_log();
  for (std::size_t i = 0; i < lines.size(); i += 20) {
    lines[i] = fmt::format("[stage{}] val_loss {:.4f}", (i / 20) % 20, 0.5);
  }
  run(state, lines,
      ExtractorOptions{.rules = twenty_rules(), .default_rules = false, .metrics = false}, false,
      true);
}

void BM_metrics(benchmark::State& state) {
  run(state, mixed_log(), ExtractorOptions{.default_rules = false}, false, true);
}

void BM_everything(benchmark::State& state) {
  run(state, mixed_log(), ExtractorOptions{.rules = twenty_rules()}, true, true);
}

void BM_plain_lines(benchmark::State& state) {
  static const std::vector<std::string> lines = make_plain_log(100'000);
  run(state, lines, ExtractorOptions{.rules = {}}, false, false);
}

// The same two logs without level classification: what levels cost is the difference (README
// "Levels": at most 10% of extraction's throughput).
void BM_everything_without_levels(benchmark::State& state) {
  run(state, mixed_log(), ExtractorOptions{.rules = twenty_rules(), .levels = false}, true, true);
}

void BM_plain_lines_without_levels(benchmark::State& state) {
  static const std::vector<std::string> lines = make_plain_log(100'000);
  run(state, lines, ExtractorOptions{.rules = {}, .levels = false}, false, false);
}

}  // namespace

BENCHMARK(BM_default_rules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_twenty_user_rules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_metrics)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_everything)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_plain_lines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_everything_without_levels)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_plain_lines_without_levels)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
