// LineSearch (include/logstream/search.hpp): a run's log read a chunk of lines at a time from
// the store's index, each line tested with RE2; the `before` lines kept in a ring for context.
#include <logstream/search.hpp>

#include <span>

#include <re2/re2.h>

#include "filter/context_window.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "text/pattern.hpp"

namespace logstream {

namespace {

constexpr std::size_t lines_per_read = 4096;

bool ended_before(const RunRecord& run, std::chrono::system_clock::time_point since) {
  return run.state != RunState::running && run.ended_at && *run.ended_at < since;
}

}  // namespace

struct LineSearch::Impl {
  explicit Impl(SearchOptions o)
      : options(std::move(o)),
        re(text::compile_any(std::span(&options.pattern, 1), {.fixed_strings = options.fixed_strings, .ignore_case = options.ignore_case})) {}

  bool done() const { return options.max_matches && matches >= *options.max_matches; }

  SearchOptions options;
  std::shared_ptr<const RE2> re;
  std::uint64_t matches = 0;
};

LineSearch::LineSearch(SearchOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
LineSearch::~LineSearch() = default;
LineSearch::LineSearch(LineSearch&&) noexcept = default;
LineSearch& LineSearch::operator=(LineSearch&&) noexcept = default;

bool LineSearch::matches(std::string_view text) const { return RE2::PartialMatch(text, *impl_->re); }

std::optional<std::pair<std::size_t, std::size_t>> LineSearch::find(std::string_view text, std::size_t from) const {
  if (from > text.size()) return std::nullopt;
  re2::StringPiece match;
  if (!impl_->re->Match(text, from, text.size(), RE2::UNANCHORED, &match, 1)) return std::nullopt;
  return std::pair{static_cast<std::size_t>(match.data() - text.data()), match.size()};
}

std::uint64_t LineSearch::matches() const noexcept { return impl_->matches; }
bool LineSearch::done() const noexcept { return impl_->done(); }
const SearchOptions& LineSearch::options() const noexcept { return impl_->options; }

std::uint64_t LineSearch::search(const RunRecord& run, const std::function<void(const SearchHit&)>& out) {
  Impl& s = *impl_;
  const SearchOptions& o = s.options;
  if (s.done() || (o.since && ended_before(run, *o.since))) return 0;

  struct Held {
    StoredLine line;
    std::uint64_t index;
  };
  filter::ContextWindow<Held> window(o.before, o.after);
  std::uint64_t found = 0;
  std::uint64_t index = 0;
  bool stop = false;
  auto hand_out = [&](const StoredLine& line, std::uint64_t at, bool match) { out(SearchHit{run, line, at, match}); };

  store::LineCursor cursor(run.log, store::RunDirectory{run.directory}.line_index(), std::optional<std::size_t>{});
  const bool final = run.state != RunState::running;
  while (!stop) {
    const std::size_t read = cursor.read(
        [&](StoredLine&& line) {
          const std::uint64_t at = index++;
          if (stop || (o.since && line.wall_time < *o.since)) return;
          if (!s.done() && RE2::PartialMatch(line.text, *s.re)) {
            window.matched([&](const Held& held) { hand_out(held.line, held.index, false); });
            hand_out(line, at, true);
            ++found;
            ++s.matches;
            return;
          }
          if (window.owed()) {
            hand_out(line, at, false);
            return;
          }
          if (s.done()) {
            stop = true;  // the last match's context is out: nothing more to find
            return;
          }
          if (window.holds()) window.hold(Held{std::move(line), at});
        },
        final, lines_per_read);
    if (read == 0) break;
  }
  return found;
}

}  // namespace logstream
