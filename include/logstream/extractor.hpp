// ProgressExtractor: turns each line into progress fields and metrics. The parser actor feeds it
// every line; the default scanner, tqdm bars, user rules and the metrics tokenizer run here.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>

#include <logstream/export.hpp>
#include <logstream/line.hpp>
#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>
#include <logstream/rules.hpp>

namespace logstream {

struct LOGSTREAM_API ExtractorOptions {
  RuleSet rules{};                   ///< user rules, applied after the default ones
  bool default_rules = true;         ///< the seed's patterns, tqdm bars, Optuna trial lines
  bool metrics = true;               ///< numeric key=value / key: value tokens, HF dict lines
  MetricsOptions metrics_options{};  ///< series cap, max keys
  /// Each line's Level from its format (README "Levels"); a user rule's `level` group wins.
  bool levels = true;
  /// Where progress starts (its fields; times are the stream's): the progress of what came
  /// before, for a stream that resumes another (`logstream attach` seeds it from the store).
  std::optional<TrainingProgress> initial_progress;
};

/// Thread-bound: used by one thread at a time (the parser actor). The metric store it fills is
/// thread-safe and may be shared with sinks and queries; progress() is a plain value to copy.
class LOGSTREAM_API ProgressExtractor {
public:
  /// Builds the matcher of the user rules. Throws RuleError if RE2 cannot build the set.
  /// Metrics go to `metrics` (a store made from options.metrics_options when null), so the
  /// owner of a stream can hand the store to sinks before the first line is parsed.
  explicit ProgressExtractor(ExtractorOptions options = {}, std::shared_ptr<MetricStore> metrics = nullptr);
  ~ProgressExtractor();
  ProgressExtractor(ProgressExtractor&&) noexcept;
  ProgressExtractor& operator=(ProgressExtractor&&) noexcept;

  /// Sets progress().start_time and the metric store's origin of time.
  void start(std::chrono::steady_clock::time_point start);
  /// Extracts from one line. Returns true when a progress field changed (then
  /// progress().updates grew and last_update is the line's arrival). Metrics never count as a
  /// progress change. Allocates nothing for a line that matches nothing.
  bool feed(const Line& line);
  /// The metric observations of the line fed last, in line order: every one it held, also
  /// those the store's bounds refused. Keys view the line's text or the rules; valid until the
  /// next feed().
  std::span<const MetricStore::Observation> observations() const noexcept;
  /// The level of the line fed last (none with options().levels off and no rule's `level`).
  Level level() const noexcept;
  /// Sets progress().end_time.
  void finish(std::chrono::steady_clock::time_point end);

  const TrainingProgress& progress() const noexcept;
  const std::shared_ptr<MetricStore>& metrics() const noexcept;
  const ExtractorOptions& options() const noexcept;

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace logstream
