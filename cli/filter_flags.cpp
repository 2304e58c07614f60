// make_filter (filter_flags.hpp).
#include "filter_flags.hpp"

#include "messages.hpp"

namespace logstream::cli {

LineFilter make_filter(const FilterFlags& f) {
  FilterOptions o;
  o.patterns = f.grep;
  o.excludes = f.exclude;
  o.fixed_strings = f.fixed_strings;
  o.ignore_case = f.ignore_case;
  if (f.stream == "stdout") o.source = Source::out;
  if (f.stream == "stderr") o.source = Source::err;
  if (!f.level.empty()) o.min_level = parse_level(f.level).value_or(Level::none);
  o.best = f.best;
  o.progress = f.progress;
  o.before = f.before.value_or(f.context.value_or(0));
  o.after = f.after.value_or(f.context.value_or(0));
  return LineFilter(std::move(o));
}

std::optional<LineFilter> filter_or_say(const FilterFlags& flags) {
  try {
    return make_filter(flags);
  } catch (const PatternError& e) {
    say(e.what());
    return std::nullopt;
  }
}

bool separates_groups(const LineFilter& filter) {
  const FilterOptions& o = filter.options();
  return !o.keeps_all() && (o.before > 0 || o.after > 0);
}

}  // namespace logstream::cli
