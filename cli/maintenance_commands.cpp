// `logstream stop`, `rm` and `prune` (see store_commands.hpp).
#include <signal.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "format.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"

namespace logstream::cli {
namespace {

constexpr std::chrono::seconds kill_grace{10};

// "500M", "10G", "4096" (bytes), binary units.
std::optional<std::uint64_t> parse_size(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit.size() == 2 && (unit[1] == 'B' || unit[1] == 'b')) unit.remove_suffix(1);
  double scale = 0;
  if (unit.empty() || unit == "B" || unit == "b") scale = 1;
  else if (unit == "K" || unit == "k") scale = 1024.0;
  else if (unit == "M" || unit == "m") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "t") scale = 1024.0 * 1024 * 1024 * 1024;
  else return std::nullopt;
  return static_cast<std::uint64_t>(value * scale);
}

}  // namespace

int stop_command(const StopOptions& o) {
  auto found = open_and_find(o.run);
  if (const int* status = std::get_if<int>(&found)) return *status;
  const auto& [store, run] = std::get<FoundRun>(found);
  if (run.state != RunState::running) {
    say(fmt::format("run {} is not running ({})", run.id, describe_state(run)));
    return 0;
  }
  store->signal(run, SIGTERM);
  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.timeout_seconds * 1000));
  if (store->wait_for_end(run, timeout)) return 0;
  say(fmt::format("run {} still runs {:g} s after SIGTERM: sending SIGKILL", run.id, o.timeout_seconds));
  store->signal(run, SIGKILL);
  if (store->wait_for_end(run, kill_grace)) return 0;
  say(fmt::format("run {} still runs after SIGKILL", run.id));
  return 1;
}

int rm_command(const RemoveOptions& o) {
  const auto store = open_store();
  if (!store) return internal_failure_status;
  int status = 0;
  for (const std::string& name : o.runs) {
    auto found = find_run(*store, name);
    if (const int* failed = std::get_if<int>(&found)) {
      status = status == 0 ? *failed : status;
      continue;
    }
    try {
      store->remove(std::get<RunRecord>(found));
    } catch (const std::runtime_error& e) {  // running, already removed, or not removable
      say(e.what());
      status = status == 0 ? 1 : status;
    }
  }
  return status;
}

int prune_command(const PruneOptions& o) {
  RetentionPolicy policy{.keep = o.keep};
  if (o.older_than) {
    policy.older_than = parse_duration(*o.older_than);
    if (!policy.older_than) {
      say(fmt::format("--older-than: '{}' is no duration (30s, 15m, 12h, 7d)", *o.older_than));
      return usage_status;
    }
  }
  if (o.max_size) {
    policy.max_bytes = parse_size(*o.max_size);
    if (!policy.max_bytes) {
      say(fmt::format("--max-size: '{}' is no size (500M, 10G)", *o.max_size));
      return usage_status;
    }
  }
  if (!policy.keep && !policy.older_than && !policy.max_bytes) policy = RunStore::default_retention();
  const auto store = open_store();
  if (!store) return internal_failure_status;
  const auto removed = store->prune(policy);
  say(fmt::format("removed {} run{}", removed.size(), removed.size() == 1 ? "" : "s"));
  return 0;
}

}  // namespace logstream::cli
