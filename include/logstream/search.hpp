// LineSearch: grep over recorded runs (the seed's "full-text search in log history"): every
// committed line of a run's log, a running run's included, matched with RE2 (linear time, no
// backtracking blow-up on hostile patterns), with grep's context lines.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/error.hpp>
#include <logstream/export.hpp>
#include <logstream/run_store.hpp>

namespace logstream {

struct LOGSTREAM_API SearchOptions {
  std::string pattern;          ///< RE2 syntax, or a literal with fixed_strings
  bool fixed_strings = false;   ///< -F
  bool ignore_case = false;     ///< -i
  std::size_t before = 0;       ///< -B: context lines before each match
  std::size_t after = 0;        ///< -A: context lines after each match
  /// -m: no match more once this many were found (over every run searched by one LineSearch);
  /// the last one's after-context is still handed out.
  std::optional<std::uint64_t> max_matches;
  /// --since: only lines written from then on (runs that ended before it are skipped).
  std::optional<std::chrono::system_clock::time_point> since;
};

/// One line handed out by a search: a match, or a line of context around one.
struct LOGSTREAM_API SearchHit {
  const RunRecord& run;
  const StoredLine& line;
  std::uint64_t index = 0;  ///< the line's position among the run's committed lines (0-based)
  bool match = false;       ///< false: a context line
};

/// Not thread-safe (one search at a time); the compiled pattern may be shared by copies.
class LOGSTREAM_API LineSearch {
public:
  /// Throws PatternError for a pattern RE2 cannot compile.
  explicit LineSearch(SearchOptions options);
  ~LineSearch();
  LineSearch(LineSearch&&) noexcept;
  LineSearch& operator=(LineSearch&&) noexcept;

  /// Whether `text` holds a match.
  bool matches(std::string_view text) const;
  /// The first match in `text` at or after `from`: {offset, length}; empty when there is none.
  /// A match of length 0 (a pattern like `x*`) is reported as such.
  std::optional<std::pair<std::size_t, std::size_t>> find(std::string_view text, std::size_t from = 0) const;

  /// Searches one run's committed lines as its log holds them now (a running run: the lines
  /// written so far), handing `out` its matches and their context in log order, each line
  /// once. Returns the matches found in this run. Memory stays bounded (a chunk of the log
  /// and the `before` lines at a time). Throws StoreError when the log cannot be read.
  std::uint64_t search(const RunRecord& run, const std::function<void(const SearchHit&)>& out);
  /// Matches found so far by every search() of this object.
  std::uint64_t matches() const noexcept;
  /// Whether max_matches was reached: a further search() finds nothing.
  bool done() const noexcept;

  const SearchOptions& options() const noexcept;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace logstream
