// RunStore: listing and reading a store's runs (see run_store.hpp); recording is RunRecorder's.
#include <logstream/run_store.hpp>

#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "io/directory_watch.hpp"
#include "io/standard_fds.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "store/run_id.hpp"
#include "store/store_error.hpp"
#include "store/store_impl.hpp"

namespace logstream {
namespace {

std::filesystem::path checked_root(std::filesystem::path root) {
  io::fill_closed_standard_fds();  // before the store's own files take those numbers
  std::error_code error;
  std::filesystem::create_directories(root / "runs", error);
  if (error)
    throw StoreError(error, fmt::format("cannot create the run store {}: {}", (root / "runs").string(), error.message()));
  if (::access((root / "runs").c_str(), W_OK | X_OK) != 0) throw store::os_error(errno, "cannot write the run store", root);
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

RunLineCursor::RunLineCursor(const RunRecord& run, std::optional<std::size_t> last)
    : cursor_(std::make_unique<store::LineCursor>(run.log, store::RunDirectory{run.directory}.line_index(), last)) {}

RunLineCursor::~RunLineCursor() = default;

void RunLineCursor::read(const std::function<void(const StoredLine&)>& out, bool final) {
  cursor_->read([&](StoredLine&& line) { out(line); }, final);
}

std::vector<std::string> RunStore::events(const RunRecord& run) const {
  const store::RunDirectory dir{run.directory.empty() ? impl_->runs_dir() / run.id : run.directory};
  std::ifstream in(dir.events_file());
  std::vector<std::string> events;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) events.push_back(std::move(line));
  return events;
}

bool RunStore::wait_for_end(const RunRecord& run, std::chrono::milliseconds timeout) const {
  const store::RunDirectory dir{impl_->runs_dir() / run.id};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // The recorder's last act is its final snapshot (a rename into the directory), then the lock.
  io::DirectoryWatch watch(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF);
  watch.add(dir.path);
  for (;;) {
    if (!store::recorder_alive(dir)) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    // The lock goes after the last snapshot; a second at most between looks covers that gap.
    watch.wait(std::min<std::chrono::milliseconds>(left, std::chrono::seconds(1)));
  }
}

bool RunStore::signal(const RunRecord& run, int signo) const {
  // Only while its recorder holds the run's lock: then its pids are still the run's (a pid
  // of a run long over may be another process's by now).
  if (!store::recorder_alive(store::RunDirectory{impl_->runs_dir() / run.id})) return false;
  if (run.pid && ::kill(-*run.pid, signo) == 0) return true;
  if (run.pid && ::kill(*run.pid, signo) == 0) return true;
  return run.supervisor_pid && signo == SIGTERM && ::kill(*run.supervisor_pid, SIGTERM) == 0;
}

void RunStore::remove(const RunRecord& run) {
  const store::RunDirectory dir{impl_->runs_dir() / run.id};
  if (store::recorder_alive(dir))
    throw StoreError(std::make_error_code(std::errc::device_or_resource_busy), fmt::format("run {} is running: stop it first", run.id));
  // The rename is the claim: of two removes at once, one gets the directory, the other ENOENT.
  const std::filesystem::path claimed = impl_->runs_dir() / fmt::format(".removing-{}-{}", run.id, ::getpid());
  if (::rename(dir.path.c_str(), claimed.c_str()) != 0) {
    const int error = errno;
    if (error == ENOENT) throw RunLookupError(fmt::format("no run '{}' (already removed)", run.id), {});
    throw store::os_error(error, "cannot remove", dir.path);
  }
  impl_->index.remove(run.id);
  std::error_code ignored;
  std::filesystem::remove_all(claimed, ignored);
}

std::vector<std::string> RunStore::prune(const RetentionPolicy& policy) {
  const auto now = std::chrono::system_clock::now();
  std::vector<RunRecord> runs = list();  // newest first
  std::vector<bool> doomed(runs.size(), false);
  std::uint64_t total = 0;
  std::vector<std::uint64_t> sizes(runs.size(), 0);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].state == RunState::running) continue;
    if (policy.keep && i >= *policy.keep) doomed[i] = true;
    if (policy.older_than && now - runs[i].started_at > *policy.older_than) doomed[i] = true;
  }
  if (policy.max_bytes) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      std::error_code error;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(impl_->runs_dir() / runs[i].id, error))
        if (entry.is_regular_file(error)) sizes[i] += entry.file_size(error);
      if (!doomed[i]) total += sizes[i];
    }
    for (std::size_t i = runs.size(); i-- > 0 && total > *policy.max_bytes;) {
      if (doomed[i] || runs[i].state == RunState::running) continue;
      doomed[i] = true;
      total -= sizes[i];
    }
  }
  std::vector<std::string> removed;
  for (std::size_t i = runs.size(); i-- > 0;) {
    if (!doomed[i]) continue;
    try {
      remove(runs[i]);
      removed.push_back(runs[i].id);
    } catch (const RunLookupError&) {
      // removed by another process meanwhile
    } catch (const StoreError&) {
      // started running again? never: a run id is used once; a directory that resists stays
    }
  }
  return removed;
}

RetentionPolicy RunStore::default_retention() {
  return RetentionPolicy{.keep = 500, .max_bytes = std::uint64_t{20} << 30};
}

}  // namespace logstream
