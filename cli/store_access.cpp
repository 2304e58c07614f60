// Opening the store and finding a run (see store_access.hpp).
#include "store_access.hpp"

#include <ctime>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "json/line_json.hpp"
#include "messages.hpp"
#include "summary.hpp"

namespace logstream::cli {

std::shared_ptr<RunStore> open_store() {
  try {
    auto store = std::make_shared<RunStore>();
    for (const std::string& warning : store->warnings()) say("warning: " + warning);
    return store;
  } catch (const StoreError& e) {
    say(e.what());
    return nullptr;
  }
}

std::variant<RunRecord, int> find_run(const RunStore& store, const std::string& run) {
  try {
    return store.find(run);
  } catch (const RunLookupError& e) {
    if (!e.ambiguous()) {
      say(e.what());
      return unknown_run_status;
    }
    say(fmt::format("{}; give more of the id: {}", e.what(), fmt::join(e.candidates(), ", ")));
    return ambiguous_run_status;
  }
}

std::variant<FoundRun, int> open_and_find(const std::string& run) {
  auto store = open_store();
  if (!store) return internal_failure_status;
  auto found = find_run(*store, run);
  if (const int* status = std::get_if<int>(&found)) return *status;
  return FoundRun{std::move(store), std::get<RunRecord>(std::move(found))};
}

std::string describe_state(const RunRecord& run) {
  switch (run.state) {
    case RunState::failed:
      return run.exit_code ? fmt::format("failed (exit code {})", *run.exit_code) : "failed";
    case RunState::killed:
      return run.signal ? fmt::format("killed ({})", signal_name(*run.signal)) : "killed";
    default:
      return std::string(to_string(run.state));
  }
}

std::string local_time(std::chrono::system_clock::time_point time) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

void apply_default_retention(RunStore& store) {
  try {
    store.prune(RunStore::default_retention());
  } catch (const std::exception& e) {
    say(fmt::format("warning: pruning the run store: {}", e.what()));
  }
}

}  // namespace logstream::cli
