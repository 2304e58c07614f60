// `logstream search PATTERN [RUN...]` (see store_commands.hpp): grep over the store's runs,
// oldest run first, with grep's output, context and exit statuses.
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include <logstream/search.hpp>

#include "exit_status.hpp"
#include "format.hpp"
#include "io/write_all.hpp"
#include "json/stored_run_json.hpp"
#include "json_events.hpp"
#include "messages.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"
#include "styled_line.hpp"
#include "terminal.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {
namespace {

constexpr int match_status = 0;
constexpr int no_match_status = 1;
constexpr int error_status = 2;
constexpr std::size_t flush_bytes = 64 * 1024;
constexpr std::string_view match_style = "\x1b[1;31m";

// Writes hits as grep does: "RUN:SEQ: text" for a match, "RUN-SEQ- text" for context, "--"
// between groups that do not touch; or one JSON object per line.
class HitWriter {
public:
  HitWriter(const LineSearch& search, bool json, bool terminal, bool color, bool groups)
      : search_(search), json_(json), terminal_(terminal), color_(color), groups_(groups) {}
  ~HitWriter() { flush(); }
  HitWriter(const HitWriter&) = delete;
  HitWriter& operator=(const HitWriter&) = delete;

  void add(const SearchHit& hit) {
    if (json_) {
      add_json(hit);
    } else {
      add_text(hit);
    }
    if (out_.size() >= flush_bytes) flush();
  }

  void flush() {
    if (!reader_gone_ && !io::write_all(STDOUT_FILENO, out_).ok()) reader_gone_ = true;  // `| head`: not an error
    out_.clear();
  }
  bool reader_gone() const { return reader_gone_; }

private:
  void add_json(const SearchHit& hit) { out_ += to_json_line(json::search_hit_json(hit)); }

  void add_text(const SearchHit& hit) {
    const bool adjacent = hit.run.id == last_run_ && hit.index == last_index_ + 1;
    if (groups_ && any_ && !adjacent) out_ += color_ ? fmt::format("{}--{}\n", style::cyan, style::reset) : "--\n";
    any_ = true;
    last_run_ = hit.run.id;
    last_index_ = hit.index;
    const char mark = hit.match ? ':' : '-';
    if (color_) out_ += style::dim;
    fmt::format_to(std::back_inserter(out_), "{}{}{}{}", hit.run.id, mark, hit.line.seq, mark);
    if (color_) out_ += style::reset;
    out_ += ' ';
    append_text(hit.line.text, hit.match);
    out_ += '\n';
  }

  // On a terminal the child's text is made safe (no escape reaches it) and the matches are
  // highlighted; elsewhere it is the log's bytes, as `logs` prints them.
  void append_text(std::string_view text, bool match) {
    if (!terminal_) {
      out_ += text;
      return;
    }
    std::size_t at = 0;
    if (match && color_) {
      while (auto found = search_.find(text, at)) {
        const auto [offset, length] = *found;
        append_terminal_safe(out_, text.substr(at, offset - at));
        if (length == 0) {  // an empty match ("x*"): nothing to mark, step past it
          if (offset >= text.size()) break;
          append_terminal_safe(out_, text.substr(offset, 1));
          at = offset + 1;
          continue;
        }
        out_ += match_style;
        append_terminal_safe(out_, text.substr(offset, length));
        out_ += style::reset;
        at = offset + length;
      }
    }
    append_terminal_safe(out_, text.substr(std::min(at, text.size())));
  }

  const LineSearch& search_;
  bool json_;
  bool terminal_;
  bool color_;
  bool groups_;
  std::string out_;
  std::string last_run_;
  std::uint64_t last_index_ = 0;
  bool any_ = false;
  bool reader_gone_ = false;
};

std::optional<SearchOptions> search_options(const SearchCommandOptions& o) {
  SearchOptions out{.pattern = o.pattern, .fixed_strings = o.fixed_strings, .ignore_case = o.ignore_case};
  out.before = o.before.value_or(o.context.value_or(0));
  out.after = o.after.value_or(o.context.value_or(0));
  out.max_matches = o.max_count;
  if (o.since) {
    const auto duration = parse_duration(*o.since);
    if (!duration) {
      say(fmt::format("--since: '{}' is no duration (30s, 15m, 12h, 7d)", *o.since));
      return std::nullopt;
    }
    out.since = std::chrono::system_clock::now() - *duration;
  }
  return out;
}

}  // namespace

int search_command(const SearchCommandOptions& o) {
  auto options = search_options(o);
  if (!options) return error_status;
  std::optional<LineSearch> search;
  try {
    search.emplace(std::move(*options));
  } catch (const PatternError& e) {
    say(e.what());
    return error_status;
  }
  const auto store = open_store();
  if (!store) return internal_failure_status;

  int status = no_match_status;
  std::vector<RunRecord> runs;
  if (o.runs.empty()) {
    runs = store->list();
    std::reverse(runs.begin(), runs.end());  // oldest first, as the log was written
  } else {
    for (const std::string& name : o.runs) {
      auto found = find_run(*store, name);
      if (auto* run = std::get_if<RunRecord>(&found)) {
        runs.push_back(std::move(*run));
      } else {
        status = error_status;  // said why; the other runs are still searched
      }
    }
  }

  const bool terminal = !o.json && ::isatty(STDOUT_FILENO) == 1;
  HitWriter writer(*search, o.json, terminal, terminal && color_wanted(STDOUT_FILENO),
                   search->options().before > 0 || search->options().after > 0);
  bool found = false;
  for (const RunRecord& run : runs) {
    if (search->done() || writer.reader_gone()) break;
    try {
      found |= search->search(run, [&](const SearchHit& hit) { writer.add(hit); }) > 0;
    } catch (const StoreError& e) {
      say(fmt::format("run {}: {}", run.id, e.what()));
      status = error_status;
    }
  }
  writer.flush();
  if (status == error_status) return error_status;
  return found ? match_status : no_match_status;
}

}  // namespace logstream::cli
