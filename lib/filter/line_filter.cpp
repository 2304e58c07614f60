// LineFilter and ProgressFacts (include/logstream/filter.hpp): the cheap tests first (stream,
// level, facts), then the one RE2 of the patterns, then the one of the excludes.
#include <logstream/filter.hpp>

#include <re2/re2.h>

#include "text/pattern.hpp"

namespace logstream {

bool FilterOptions::keeps_all() const noexcept {
  return patterns.empty() && excludes.empty() && !source && min_level == Level::none && !best && !progress;
}

struct LineFilter::Impl {
  explicit Impl(FilterOptions o) : options(std::move(o)) {
    const text::PatternOptions pattern{.fixed_strings = options.fixed_strings, .ignore_case = options.ignore_case};
    if (!options.patterns.empty()) any = text::compile_any(options.patterns, pattern);
    if (!options.excludes.empty()) none = text::compile_any(options.excludes, pattern);
  }

  FilterOptions options;
  std::shared_ptr<const RE2> any;   // null: no -g
  std::shared_ptr<const RE2> none;  // null: no -v
};

LineFilter::LineFilter() : LineFilter(FilterOptions{}) {}
LineFilter::LineFilter(FilterOptions options) : impl_(std::make_shared<const Impl>(std::move(options))) {}
LineFilter::~LineFilter() = default;
LineFilter::LineFilter(const LineFilter&) = default;
LineFilter& LineFilter::operator=(const LineFilter&) = default;
LineFilter::LineFilter(LineFilter&&) noexcept = default;
LineFilter& LineFilter::operator=(LineFilter&&) noexcept = default;

const FilterOptions& LineFilter::options() const noexcept { return impl_->options; }

bool LineFilter::keeps(std::string_view text, Source source, Level level, const LineFacts& facts) const {
  const Impl& f = *impl_;
  const FilterOptions& o = f.options;
  if (o.source && source != *o.source) return false;
  if (level < o.min_level) return false;
  if (o.best && !facts.new_best) return false;
  if (o.progress && !facts.changed_progress) return false;
  if (f.any && !RE2::PartialMatch(text, *f.any)) return false;
  return !(f.none && RE2::PartialMatch(text, *f.none));
}

LineFacts ProgressFacts::take(const TrainingProgress& after_line) {
  const bool new_best = (after_line.is_best && !last_.is_best) ||
                        (after_line.best_score && after_line.best_score != last_.best_score);
  last_ = after_line;
  return LineFacts{.changed_progress = true, .new_best = new_best};
}

}  // namespace logstream
