// The layout of a run's directory (runs/<id>/), the truth the index is rebuilt from:
//   run.json     the run object at its start
//   status.json  the latest snapshot (the same object), replaced atomically
//   output.log   the log, unless the run was given another path
//   lines.idx    per committed line of the log: seq and flags, offset, time (line_index.hpp)
//   events.jsonl the stream's events, one JSON object a line
//   metrics.csv  every metric observation (the CSV of --metrics-csv)
//   lock         held (flock) by the recording process while the run runs
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include <logstream/run_store.hpp>

namespace logstream::store {

struct RunDirectory {
  std::filesystem::path path;

  std::filesystem::path run_file() const { return path / "run.json"; }
  std::filesystem::path status_file() const { return path / "status.json"; }
  std::filesystem::path default_log() const { return path / "output.log"; }
  std::filesystem::path line_index() const { return path / "lines.idx"; }
  std::filesystem::path events_file() const { return path / "events.jsonl"; }
  std::filesystem::path metrics_file() const { return path / "metrics.csv"; }
  std::filesystem::path lock_file() const { return path / "lock"; }
};

/// The run a directory holds: status.json, else run.json (a snapshot cut short by a crash);
/// a `running` run whose lock nobody holds is `lost`. Empty when neither file is a run object.
std::optional<RunRecord> read_run(const RunDirectory& dir);

/// Whether a process holds the run's lock (its recorder is alive).
bool recorder_alive(const RunDirectory& dir);

/// Writes `text` to `path` so that a reader sees the old file or the new one, whole, also after
/// a crash: a temporary file beside it, fsync, rename. Throws StoreError naming the path.
void replace_file(const std::filesystem::path& path, std::string_view text);

/// The exclusive lock a recorder holds on its run while it runs (released when the process
/// dies, however it dies). The descriptor is close-on-exec: the child does not inherit it.
class RunLock {
public:
  /// Throws StoreError naming the lock file.
  explicit RunLock(const RunDirectory& dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

private:
  int fd_ = -1;
};

}  // namespace logstream::store
