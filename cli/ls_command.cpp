// `logstream ls` (see store_commands.hpp): a table, or one JSON array of run objects.
#include <unistd.h>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "format.hpp"
#include "json/run_json.hpp"
#include "json_events.hpp"
#include "io/write_all.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t default_count = 20;
constexpr std::size_t name_columns = 24;

std::string pair_or_dash(const std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b) {
  if (!a && !b) return "-";
  return fmt::format("{}/{}", a ? std::to_string(*a) : "-", b ? std::to_string(*b) : "-");
}

std::string table(const std::vector<RunRecord>& runs) {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{:<20}  {:<{}}  {:<20}  {:<19}  {:>9}  {:>9}  {:>9}  {:>7}  {}\n", "ID", "NAME", name_columns, "STATE",
                 "STARTED", "DURATION", "LINES", "POSITION", "TRIAL", "BEST");
  for (const RunRecord& r : runs) {
    const TrainingProgress& p = r.progress;
    fmt::format_to(it, "{:<20}  {:<{}}  {:<20}  {:<19}  {:>9}  {:>9}  {:>9}  {:>7}  {}\n", r.id,
                   terminal_safe_line(r.name, name_columns), name_columns, describe_state(r), local_time(r.started_at),
                   format_clock(r.duration().count()), r.lines, pair_or_dash(p.position, p.total_positions),
                   pair_or_dash(p.trial, p.total_trials), r.best_score() ? format_score(*r.best_score()) : "-");
  }
  return fmt::to_string(out);
}

}  // namespace

int ls_command(const ListOptions& o) {
  const auto store = open_store();
  if (!store) return internal_failure_status;
  RunQuery query{.running_only = o.running, .group = o.group};
  if (o.count) query.limit = *o.count;
  else if (!o.all) query.limit = default_count;
  const std::vector<RunRecord> runs = store->list(query);
  if (o.json) {
    Json array = Json::array();
    for (const RunRecord& r : runs) array.push_back(json::run_json(r, false));
    io::write_all(STDOUT_FILENO, to_json_line(array));
  } else {
    io::write_all(STDOUT_FILENO, table(runs));
  }
  return 0;
}

}  // namespace logstream::cli
