// Filters: which lines reach a sink. `filtered(sink, ...)` wraps any sink so that it gets only
// the lines a predicate keeps (with grep's context lines around them), while every metric and
// progress change still reaches it: a display filtered to errors still shows the run's progress.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <logstream/error.hpp>
#include <logstream/export.hpp>
#include <logstream/line.hpp>
#include <logstream/progress.hpp>
#include <logstream/sink.hpp>

namespace logstream {

/// What extraction says about one line, beyond its text: for filters on progress.
struct LOGSTREAM_API LineFacts {
  bool changed_progress = false;  ///< the line changed the stream's progress
  bool new_best = false;          ///< the line announced a new best score (or best trial)
};

/// The command's filter flags, as one value. Every condition given must hold (a line that
/// matches a --grep pattern *and* is on stderr *and*...); an empty FilterOptions keeps all.
struct LOGSTREAM_API FilterOptions {
  std::vector<std::string> patterns;  ///< -g: the line matches one of them (RE2, or literals with -F)
  std::vector<std::string> excludes;  ///< -v: the line matches none of them
  bool fixed_strings = false;         ///< -F: patterns and excludes are literals
  bool ignore_case = false;           ///< -i
  std::optional<Source> source;       ///< --stream
  Level min_level = Level::none;      ///< --level: that level or a more severe one
  bool best = false;                  ///< --best: lines that announced a new best
  bool progress = false;              ///< --progress: lines that changed progress
  std::size_t before = 0;             ///< -B: lines of context before each kept line
  std::size_t after = 0;              ///< -A: lines of context after each kept line

  /// No condition (context alone selects nothing to add it to): every line is kept.
  bool keeps_all() const noexcept;
};

/// FilterOptions compiled: the patterns once, then a test per line. Thread-safe (const).
class LOGSTREAM_API LineFilter {
public:
  /// Keeps every line.
  LineFilter();
  /// Throws PatternError for a pattern or exclude RE2 cannot compile.
  explicit LineFilter(FilterOptions options);
  ~LineFilter();
  LineFilter(const LineFilter&);
  LineFilter& operator=(const LineFilter&);
  LineFilter(LineFilter&&) noexcept;
  LineFilter& operator=(LineFilter&&) noexcept;

  /// Whether the line is kept (context aside).
  bool keeps(std::string_view text, Source source, Level level, const LineFacts& facts = {}) const;
  bool keeps(const Line& line, const LineFacts& facts = {}) const {
    return keeps(line.text, line.source, line.level, facts);
  }
  const FilterOptions& options() const noexcept;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// Tells the progress facts of lines from the progress changes that follow them: what a
/// filter on --best or --progress needs. Feed it every change of a stream, in order.
class LOGSTREAM_API ProgressFacts {
public:
  /// The facts of the line whose change this is (lines without a change have none).
  LineFacts take(const TrainingProgress& after_line);

private:
  TrainingProgress last_;
};

/// Decides per line; the LineFacts come from the batch's progress changes.
using LinePredicate = std::function<bool(const Line&, const LineFacts&)>;

/// grep's -B/-A: lines handed out around each kept one, even though the predicate refused them.
struct LOGSTREAM_API ContextLines {
  std::size_t before = 0;
  std::size_t after = 0;
};

/// A sink that hands `inner` the lines `keep` accepts and their context, and every metric
/// observation and progress change of the stream (each batch's, also those of lines it left
/// out; a batch that kept no line arrives empty when it carried any). Kept lines arrive in
/// batches of consecutive seqs: a jump in seq between two batches is where lines were left out.
/// Open, flush, close, gaps and events are passed on; the name and overflow policy are the
/// inner sink's. `keep` runs on the sink's actor, one line at a time; a throw from it is the
/// sink's failure (the sink is retired, as a throwing write() is). Context lines before a kept
/// line are copies (at most `context.before` at a time).
LOGSTREAM_API std::shared_ptr<Sink> filtered(std::shared_ptr<Sink> inner, LinePredicate keep, ContextLines context = {});
/// The same with the command's filters: `filter`'s conditions, its -A/-B context. Returns
/// `inner` itself when the filter keeps every line.
LOGSTREAM_API std::shared_ptr<Sink> filtered(std::shared_ptr<Sink> inner, const LineFilter& filter);

}  // namespace logstream
