// Panel layout (see panel.hpp).
#include "panel.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "format.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t label_columns = 9;  // "Position " and "Trial    " line up
constexpr std::size_t max_bar_columns = 40;
constexpr std::size_t min_bar_columns = 5;
constexpr std::size_t max_metrics = 4;

std::string panel_text(std::string_view text) {
  std::string safe = terminal_safe(text);
  std::replace(safe.begin(), safe.end(), '\t', ' ');  // a tab's width depends on the column
  return safe;
}

// "[#####-----] 3/6", the bar shrinking so that the counts still fit.
void add_bar(StyledLine& line, std::string_view label, double fraction, const std::string& counts, std::size_t cols) {
  line.add(fmt::format("{:<{}}", label, label_columns), style::bold);
  const std::size_t used = label_columns + 3 + counts.size();
  const std::size_t room = cols > used ? cols - used : 0;
  const std::size_t width = std::min(max_bar_columns, std::max(room, min_bar_columns));
  const auto filled = static_cast<std::size_t>(std::lround(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(width)));
  line.add("[");
  line.add(std::string(filled, '#'), style::cyan);
  line.add(std::string(width - filled, '-'), style::dim);
  line.add("] ");
  line.add(counts);
}

std::string count_text(const std::optional<std::int64_t>& current, const std::optional<std::int64_t>& total) {
  return fmt::format("{}/{}", current ? std::to_string(*current) : "-", total ? std::to_string(*total) : "-");
}

bool is_score_key(std::string_view key) {
  if (key.size() < 5) return false;
  const std::string_view tail = key.substr(key.size() - 5);
  return std::equal(tail.begin(), tail.end(), "score", [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

StyledLine header_row(const PanelInput& in) {
  const TrainingProgress& p = in.progress;
  StyledLine line;
  if (p.model_name) line.add("Model ", style::bold).add(panel_text(*p.model_name), style::yellow);
  else line.add(panel_text(in.title), style::bold);
  // Times first: on a narrow terminal the end of the row is what gets cut.
  line.add(fmt::format("  |  elapsed {}", format_clock(in.elapsed_seconds)));
  if (auto eta = in.finished ? std::nullopt : eta_seconds(p, in.elapsed_seconds)) line.add(fmt::format("  ETA {}", format_clock(*eta)));
  if (in.finished) line.add("  done", style::green);
  line.add(fmt::format("  |  {} lines  {:.1f} lines/s", in.lines, in.lines_per_second));
  return line;
}

std::optional<StyledLine> score_row(const PanelInput& in) {
  const TrainingProgress& p = in.progress;
  StyledLine line;
  if (p.score) line.add("Score ", style::bold).add(format_score(*p.score)).add("   ");
  if (p.best_score) line.add("Best ", style::bold).add(format_score(*p.best_score)).add(" ");
  if (p.is_best) line.add("[BEST]", style::green).add(" ");
  std::size_t shown = 0;
  for (const MetricSummary& metric : in.metrics) {
    if (shown == max_metrics) break;
    if (is_score_key(metric.key)) continue;  // the score has its own place on this row
    line.add("  ").add(panel_text(metric.key), style::dim).add(" ").add(format_value(metric.latest));
    ++shown;
  }
  if (line.columns() == 0) return std::nullopt;
  return line;
}

StyledLine bar_row(const BarProgress& bar, std::size_t cols) {
  std::string counts = bar.total ? fmt::format("{:g}/{:g}", bar.current, *bar.total) : fmt::format("{:g}", bar.current);
  if (bar.rate) counts += fmt::format(" {:.3g}{}", *bar.rate, bar.rate_unit);
  if (bar.remaining_seconds) counts += fmt::format(" <{}", format_clock(*bar.remaining_seconds));
  if (!bar.description.empty()) {
    counts += ' ';
    counts += panel_text(bar.description);
  }
  StyledLine line;
  add_bar(line, "Bar", bar.fraction(), counts, cols);
  return line;
}

}  // namespace

std::optional<double> overall_fraction(const TrainingProgress& p) {
  const bool trials = p.trial && p.total_trials && *p.total_trials > 0;
  const double trial_part = trials ? std::clamp(static_cast<double>(*p.trial) / static_cast<double>(*p.total_trials), 0.0, 1.0) : 0.0;
  if (p.position && p.total_positions && *p.total_positions > 0) {
    // "Position 3/6" is announced when the third starts: two are done, plus the third's trials.
    const double done = static_cast<double>(std::max<std::int64_t>(*p.position - 1, 0)) + trial_part;
    return std::clamp(done / static_cast<double>(*p.total_positions), 0.0, 1.0);
  }
  if (trials) return trial_part;
  return std::nullopt;
}

std::optional<double> eta_seconds(const TrainingProgress& p, double elapsed_seconds) {
  if (auto f = overall_fraction(p); f && *f > 0 && *f < 1) return elapsed_seconds * (1 - *f) / *f;
  if (p.bar && p.bar->remaining_seconds) return *p.bar->remaining_seconds;
  return std::nullopt;
}

std::vector<StyledLine> build_panel(const PanelInput& in, std::size_t cols) {
  const TrainingProgress& p = in.progress;
  std::vector<StyledLine> rows;
  if (!in.transient.empty()) rows.push_back(StyledLine{}.add(panel_text(in.transient)));
  rows.push_back(header_row(in));
  if (p.position || p.total_positions) {
    StyledLine line;
    add_bar(line, "Position", p.position_progress(), count_text(p.position, p.total_positions), cols);
    rows.push_back(std::move(line));
  }
  if (p.trial || p.total_trials) {
    StyledLine line;
    add_bar(line, "Trial", p.trial_progress(), count_text(p.trial, p.total_trials), cols);
    rows.push_back(std::move(line));
  }
  if (auto line = score_row(in)) rows.push_back(std::move(*line));
  if (p.bar) rows.push_back(bar_row(*p.bar, cols));
  return rows;
}

StyledLine build_process_row(const ProcessRowInput& in, std::size_t cols) {
  constexpr std::size_t state_columns = 16;
  constexpr std::size_t max_row_bar_columns = 20;
  const TrainingProgress& p = in.progress;
  StyledLine line;
  line.add(fmt::format("{:<{}}", in.name, in.name_columns), in.name_style);
  line.add("  ").add(fmt::format("{:<{}}", in.state, state_columns), in.state_style);
  std::string tail;
  if (p.best_score) tail += fmt::format("  best {}", format_score(*p.best_score));
  else if (p.score) tail += fmt::format("  score {}", format_score(*p.score));
  tail += fmt::format("  {} lines  {:.1f} lines/s", in.lines, in.lines_per_second);
  // What is left of the row goes to the bars, split between the two that are known.
  const bool position = p.position || p.total_positions;
  const bool trial = p.trial || p.total_trials;
  const std::size_t bars = (position ? 1 : 0) + (trial ? 1 : 0);
  // "  Position [" and "] N/M", "  Trial [" and "] N/M": all but the bars themselves.
  const std::size_t counts = (position ? count_text(p.position, p.total_positions).size() + 14 : 0) +
                             (trial ? count_text(p.trial, p.total_trials).size() + 11 : 0);
  const std::size_t used = line.columns() + tail.size() + counts;
  const std::size_t room = bars == 0 || cols <= used ? 0 : (cols - used) / bars;
  const std::size_t width = std::min(max_row_bar_columns, std::max(room, min_bar_columns));
  const auto add_small_bar = [&](std::string_view label, double fraction, const std::string& count) {
    const auto filled = static_cast<std::size_t>(std::lround(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(width)));
    line.add("  ").add(label, style::bold).add(" [");
    line.add(std::string(filled, '#'), style::cyan);
    line.add(std::string(width - filled, '-'), style::dim);
    line.add("] ").add(count);
  };
  if (position) add_small_bar("Position", p.position_progress(), count_text(p.position, p.total_positions));
  if (trial) add_small_bar("Trial", p.trial_progress(), count_text(p.trial, p.total_trials));
  line.add(tail);
  return line;
}

}  // namespace logstream::cli
