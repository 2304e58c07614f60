// ProgressExtractor: the per-line pipeline of extraction. One byte-presence pass first, then the
// default scanner or the tqdm parser, the metrics tokenizer, and the user rules' RE2 set.
#include <logstream/extractor.hpp>

#include <optional>

#include "extract/default_scanner.hpp"
#include "extract/level_classifier.hpp"
#include "extract/line_bytes.hpp"
#include "extract/metrics_tokenizer.hpp"
#include "extract/rule_matcher.hpp"
#include "extract/tqdm.hpp"

namespace logstream {

struct ProgressExtractor::State {
  State(ExtractorOptions opts, std::shared_ptr<MetricStore> store)
      : options(std::move(opts)),
        metrics(store ? std::move(store) : std::make_shared<MetricStore>(options.metrics_options)),
        matcher(options.rules) {}

  ExtractorOptions options;
  TrainingProgress progress;
  std::shared_ptr<MetricStore> metrics;
  extract::RuleMatcher matcher;
  extract::MetricTokens tokens;  // reused: a line's tokens live here until recorded
  extract::DefaultScan scan;     // reused: empty between lines
  extract::LevelClassifier levels;
  Level level = Level::none;  // of the line fed last
};

ProgressExtractor::ProgressExtractor(ExtractorOptions options, std::shared_ptr<MetricStore> metrics)
    : state_(std::make_unique<State>(std::move(options), std::move(metrics))) {
  if (const auto& initial = state_->options.initial_progress) {
    TrainingProgress& p = state_->progress;
    const auto start = p.start_time;
    p = *initial;
    p.start_time = start;
    p.last_update.reset();
    p.end_time.reset();
    p.updates = 0;
  }
}

ProgressExtractor::~ProgressExtractor() = default;
ProgressExtractor::ProgressExtractor(ProgressExtractor&&) noexcept = default;
ProgressExtractor& ProgressExtractor::operator=(ProgressExtractor&&) noexcept = default;

void ProgressExtractor::start(std::chrono::steady_clock::time_point start) {
  state_->progress.start_time = start;
  state_->metrics->set_start(start);
}

void ProgressExtractor::finish(std::chrono::steady_clock::time_point end) {
  state_->progress.end_time = end;
}

namespace {

// tqdm's meter: "45%|" with a total, "[00:01, 30.0it/s]" (a time and a rate unit) without.
bool may_be_bar(std::uint8_t bytes) noexcept {
  constexpr std::uint8_t with_total = extract::lb_percent | extract::lb_pipe;
  constexpr std::uint8_t without_total = extract::lb_bracket | extract::lb_colon | extract::lb_slash;
  return (bytes & with_total) == with_total || (bytes & without_total) == without_total;
}

}  // namespace

bool ProgressExtractor::feed(const Line& line) {
  State& s = *state_;
  const std::string_view text = line.text;
  s.tokens.clear();
  bool changed = false;
  s.level = s.options.levels ? s.levels.classify(text, line.source) : Level::none;

  // One pass tells which patterns the line could hold; most lines hold none and stop here.
  const std::uint8_t bytes = (s.options.default_rules || s.options.metrics) ? extract::line_bytes(text) : 0;
  if (bytes & extract::lb_triggers) {
    bool bar_line = false;
    if (s.options.default_rules && may_be_bar(bytes)) {
      // Scoped so that lines which cannot be bars never construct (zero) a BarView.
      if (auto bar = extract::parse_bar(text)) {
        bar_line = true;
        changed = extract::apply_bar(s.progress, *bar);
        // Only tqdm's postfix holds metrics: "desc: 45%|" or "30.0it/s" are not.
        if (s.options.metrics) extract::tokenize_metrics(bar->postfix, s.tokens);
      }
    }
    if (!bar_line) {
      if (s.options.default_rules) extract::scan_default(text, bytes, s.scan);
      if (s.scan.optuna_value) {
        if (s.options.metrics) s.tokens.push("value", *s.scan.optuna_value);
        s.scan.optuna_value.reset();
      } else if (s.options.metrics) {
        extract::tokenize_metrics(text, s.tokens);
      }
    }
  }
  if (!s.matcher.empty()) s.matcher.match(text, s.scan.update, s.tokens);
  if (s.scan.update.level) {
    s.level = *s.scan.update.level;
    s.scan.update.level.reset();
  }

  // The update lives in the state, and is reset only when a line filled it: clearing a large
  // struct on every line cost more than the scan of most lines.
  if (!s.scan.update.empty()) {
    changed |= extract::apply_update(s.progress, s.scan.update);
    s.scan.update.clear();
  }
  if (!s.tokens.empty()) {
    s.metrics->record(s.tokens.span(), ObservationTime{line.seq, line.arrival, line.wall_time});
  }
  if (changed) {
    ++s.progress.updates;
    s.progress.last_update = line.arrival;
  }
  return changed;
}

std::span<const MetricStore::Observation> ProgressExtractor::observations() const noexcept {
  return state_->tokens.span();
}

Level ProgressExtractor::level() const noexcept { return state_->level; }

const TrainingProgress& ProgressExtractor::progress() const noexcept { return state_->progress; }

const std::shared_ptr<MetricStore>& ProgressExtractor::metrics() const noexcept {
  return state_->metrics;
}

const ExtractorOptions& ProgressExtractor::options() const noexcept { return state_->options; }

}  // namespace logstream
