// RunStore: listing and reading a store's runs (see run_store.hpp); recording is RunRecorder's.
#include <logstream/run_store.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "io/standard_fds.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "store/run_id.hpp"
#include "store/store_impl.hpp"

namespace logstream {
namespace {

std::filesystem::path checked_root(std::filesystem::path root) {
  io::fill_closed_standard_fds();  // before the store's own files take those numbers
  std::error_code error;
  std::filesystem::create_directories(root / "runs", error);
  if (error)
    throw StoreError(error, fmt::format("cannot create the run store {}: {}", (root / "runs").string(), error.message()));
  if (::access((root / "runs").c_str(), W_OK | X_OK) != 0) {
    const int e = errno;
    throw StoreError(std::error_code(e, std::generic_category()),
                     fmt::format("cannot write the run store {}: {}", root.string(), std::generic_category().message(e)));
  }
  return root;
}

}  // namespace

std::string_view to_string(RunState state) noexcept {
  switch (state) {
    case RunState::running: return "running";
    case RunState::exited: return "exited";
    case RunState::failed: return "failed";
    case RunState::killed: return "killed";
    case RunState::lost: return "lost";
  }
  return "lost";
}

std::chrono::duration<double> RunRecord::duration() const {
  const auto end = ended_at ? *ended_at : std::chrono::system_clock::now();
  return std::max(std::chrono::duration<double>(end - started_at), std::chrono::duration<double>(0));
}

RunStore::Impl::Impl(std::filesystem::path store_root) : root(checked_root(std::move(store_root))), index(root, warnings) {}

std::optional<RunRecord> RunStore::Impl::refresh(RunRecord run) {
  if (run.state != RunState::running) return run;
  return read(run.id);
}

std::optional<RunRecord> RunStore::Impl::read(const std::string& id) {
  auto current = store::read_run(store::RunDirectory{runs_dir() / id});
  if (!current) return std::nullopt;
  if (current->state == RunState::lost) {
    try {
      index.put(*current);
    } catch (const StoreError&) {
      // the directory says lost whatever the index says
    }
  }
  return current;
}

RunStore::Impl& store_impl(const RunStore& store) noexcept { return *store.impl_; }

std::filesystem::path RunStore::default_root() {
  if (const char* home = std::getenv("LOGSTREAM_HOME"); home != nullptr && *home != '\0') return home;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state != '\0')
    return std::filesystem::path(state) / "logstream";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr && *home != '\0' ? home : ".") / ".local" / "state" / "logstream";
}

RunStore::RunStore(std::filesystem::path root) : impl_(std::make_unique<Impl>(std::filesystem::absolute(root))) {}

RunStore::~RunStore() = default;

const std::filesystem::path& RunStore::root() const noexcept { return impl_->root; }

std::vector<std::string> RunStore::warnings() const { return impl_->warnings; }

std::vector<RunRecord> RunStore::list(const RunQuery& query) const {
  std::vector<RunRecord> runs;
  for (RunRecord& row : impl_->index.list(query)) {
    auto run = impl_->refresh(std::move(row));
    if (!run || (query.running_only && run->state != RunState::running)) continue;
    runs.push_back(std::move(*run));
  }
  return runs;
}

std::optional<RunRecord> RunStore::get(std::string_view id) const {
  // The directory, not the row: it has the metric summaries, and a run not indexed yet is
  // still a run.
  if (!store::looks_like_run_id(id)) return std::nullopt;
  return impl_->read(std::string(id));
}

RunRecord RunStore::find(std::string_view key) const {
  if (key.empty()) throw RunLookupError("no run named ''", {});
  if (auto run = get(key)) return std::move(*run);
  for (const RunRecord& row : impl_->index.with_name(key))
    if (auto run = impl_->read(row.id)) return std::move(*run);
  std::vector<RunRecord> matches = impl_->index.with_id_prefix(key);
  if (matches.size() == 1)
    if (auto run = impl_->read(matches.front().id)) return std::move(*run);
  if (matches.size() > 1) {
    std::vector<std::string> ids;
    for (const RunRecord& m : matches) ids.push_back(m.id);
    throw RunLookupError(fmt::format("'{}' matches {} runs", key, ids.size()), std::move(ids));
  }
  throw RunLookupError(fmt::format("no run '{}' in {}", key, impl_->root.string()), {});
}

void RunStore::for_each_line(const RunRecord& run, std::optional<std::size_t> count,
                             const std::function<void(const StoredLine&)>& out) const {
  const store::RunDirectory dir{run.directory.empty() ? impl_->runs_dir() / run.id : run.directory};
  store::for_each_line(run.log, dir.line_index(), count, [&](StoredLine&& line) { out(line); });
}

std::vector<StoredLine> RunStore::lines(const RunRecord& run, std::optional<std::size_t> count) const {
  std::vector<StoredLine> lines;
  for_each_line(run, count, [&](const StoredLine& line) { lines.push_back(line); });
  return lines;
}

std::vector<std::string> RunStore::events(const RunRecord& run) const {
  const store::RunDirectory dir{run.directory.empty() ? impl_->runs_dir() / run.id : run.directory};
  std::ifstream in(dir.events_file());
  std::vector<std::string> events;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) events.push_back(std::move(line));
  return events;
}

}  // namespace logstream
