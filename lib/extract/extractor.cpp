// ProgressExtractor: the per-line pipeline of extraction. Cheap byte test first, then the
// default scanner or the tqdm parser, the metrics tokenizer, and the user rules' RE2 set.
#include <logstream/extractor.hpp>

#include <optional>

#include "extract/default_scanner.hpp"
#include "extract/metrics_tokenizer.hpp"
#include "extract/rule_matcher.hpp"
#include "extract/tqdm.hpp"
#include "extract/trigger_bytes.hpp"

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
};

ProgressExtractor::ProgressExtractor(ExtractorOptions options, std::shared_ptr<MetricStore> metrics)
    : state_(std::make_unique<State>(std::move(options), std::move(metrics))) {}

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

bool ProgressExtractor::feed(const Line& line) {
  State& s = *state_;
  const std::string_view text = line.text;
  extract::ProgressUpdate update;
  s.tokens.clear();
  bool changed = false;

  // Every default pattern and metric token needs one of a few bytes: most lines stop here.
  if ((s.options.default_rules || s.options.metrics) && extract::has_trigger_byte(text)) {
    std::optional<extract::BarView> bar;
    if (s.options.default_rules) bar = extract::parse_bar(text);
    if (bar) {
      changed = extract::apply_bar(s.progress, *bar);
      // Only tqdm's postfix holds metrics: "desc: 45%|" or "30.0it/s" are not.
      if (s.options.metrics) extract::tokenize_metrics(bar->postfix, s.tokens);
    } else {
      extract::DefaultScan scan;
      if (s.options.default_rules && extract::scan_default(text, scan)) update = scan.update;
      if (scan.optuna_value) {
        if (s.options.metrics) s.tokens.push("value", *scan.optuna_value);
      } else if (s.options.metrics) {
        extract::tokenize_metrics(text, s.tokens);
      }
    }
  }
  if (!s.matcher.empty()) s.matcher.match(text, update, s.tokens);

  if (!update.empty()) changed |= extract::apply_update(s.progress, update);
  if (!s.tokens.empty()) {
    s.metrics->record(s.tokens.span(), ObservationTime{line.seq, line.arrival, line.wall_time});
  }
  if (changed) {
    ++s.progress.updates;
    s.progress.last_update = line.arrival;
  }
  return changed;
}

const TrainingProgress& ProgressExtractor::progress() const noexcept { return state_->progress; }

const std::shared_ptr<MetricStore>& ProgressExtractor::metrics() const noexcept {
  return state_->metrics;
}

const ExtractorOptions& ProgressExtractor::options() const noexcept { return state_->options; }

}  // namespace logstream
