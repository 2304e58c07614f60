// RunStore: runs that outlive the process that ran them (the seed's "save streamer state between
// sessions"). A store is a directory: runs/<id>/ per run (the truth) and runs.db (an index).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <logstream/error.hpp>
#include <logstream/export.hpp>
#include <logstream/line.hpp>
#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>

namespace logstream {

/// Where a run is. `lost`: its supervising process died (SIGKILL, a reboot) before the end.
enum class RunState : std::uint8_t { running, exited, failed, killed, lost };

LOGSTREAM_API std::string_view to_string(RunState state) noexcept;

/// What the store knows of one run: fixed at its start (id, command, ...) and its latest status
/// snapshot (replaced at most once a second while it runs, and at its end).
struct LOGSTREAM_API RunRecord {
  std::string id;                    ///< "20261201-084622-x7k2": sortable by start time
  std::string name;                  ///< default: the command's base name
  std::string group;                 ///< empty: none
  std::vector<std::string> command;  ///< argv
  std::string cwd;
  std::string host;
  std::optional<int> pid;             ///< the child's, once it started
  std::optional<int> supervisor_pid;  ///< the process that records the run
  RunState state = RunState::running;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::chrono::system_clock::time_point started_at{};
  std::optional<std::chrono::system_clock::time_point> ended_at;
  std::uint64_t lines = 0;
  std::uint64_t stdout_lines = 0;
  std::uint64_t stderr_lines = 0;
  std::filesystem::path log;  ///< the log file's path (absolute)
  /// The progress of the latest snapshot. Its steady-clock times are rebuilt from started_at
  /// and ended_at, so elapsed_time() is right in any process.
  TrainingProgress progress;
  std::vector<MetricSummary> metrics;  ///< first-seen order
  std::string error;                   ///< why the run failed to start, or stopped being recorded
  std::filesystem::path directory;     ///< runs/<id>/

  std::optional<double> best_score() const { return progress.best_score; }
  std::chrono::duration<double> duration() const;  ///< until ended_at, or until now while running
};

/// Which runs list() returns, newest first.
struct LOGSTREAM_API RunQuery {
  bool running_only = false;
  std::string group;              ///< empty: any
  std::optional<std::size_t> limit;  ///< empty: all
};

/// What prune() removes: finished runs beyond any of the bounds (a running run is never removed).
struct LOGSTREAM_API RetentionPolicy {
  std::optional<std::size_t> keep;                   ///< keep the N newest runs
  std::optional<std::chrono::seconds> older_than;    ///< remove runs started longer ago
  std::optional<std::uint64_t> max_bytes;            ///< remove the oldest until the runs' directories fit
};

/// find() matched no run, or an id prefix matched several (listed in candidates, newest first).
class LOGSTREAM_API RunLookupError : public std::runtime_error {
public:
  RunLookupError(const std::string& what, std::vector<std::string> candidates)
      : std::runtime_error(what), candidates_(std::move(candidates)) {}
  bool ambiguous() const noexcept { return !candidates_.empty(); }
  const std::vector<std::string>& candidates() const noexcept { return candidates_; }

private:
  std::vector<std::string> candidates_;
};

/// A line as the store keeps it: the log file's text, with the seq, source and time of the line.
struct LOGSTREAM_API StoredLine {
  std::uint64_t seq = 0;
  bool is_stderr = false;
  bool continued = false;  ///< a piece of a longer line: the next one continues its text
  std::chrono::system_clock::time_point wall_time{};
  std::string text;
  Level level = Level::none;
};

namespace store {
class LineCursor;
}

/// Reads a run's lines as they are written (`logs -f`, a live page): each read() hands out the
/// lines completed since the last one, oldest first; with `final` (the run ended) also a last
/// line without its newline. Memory stays bounded (a chunk of the files at a time). Not
/// thread-safe; throws StoreError when the log cannot be read.
class LOGSTREAM_API RunLineCursor {
public:
  /// `last`: begin with the last N lines there are at the first read (all when empty).
  explicit RunLineCursor(const RunRecord& run, std::optional<std::size_t> last = std::nullopt);
  ~RunLineCursor();
  RunLineCursor(const RunLineCursor&) = delete;
  RunLineCursor& operator=(const RunLineCursor&) = delete;

  void read(const std::function<void(const StoredLine&)>& out, bool final = false);

private:
  std::unique_ptr<store::LineCursor> cursor_;
};

/// A store of runs. Any number of processes may use one store at once (each recording its own
/// runs, listing, reading); a RunStore object is thread-safe. The run directories are the truth:
/// a missing, corrupt or foreign runs.db is rebuilt from them (see warnings()).
class LOGSTREAM_API RunStore {
public:
  /// $LOGSTREAM_HOME, else ${XDG_STATE_HOME:-$HOME/.local/state}/logstream.
  static std::filesystem::path default_root();

  /// Opens the store at `root`, creating it. Throws StoreError naming the directory when it
  /// cannot be created or written.
  explicit RunStore(std::filesystem::path root = default_root());
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  const std::filesystem::path& root() const noexcept;

  /// Runs newest first. A running run's record is its latest snapshot; one whose supervisor
  /// died is `lost`.
  std::vector<RunRecord> list(const RunQuery& query = {}) const;
  /// The run with this id; empty when there is none.
  std::optional<RunRecord> get(std::string_view id) const;
  /// An id, the latest run of a name, or a unique id prefix (tried in that order). Throws
  /// RunLookupError: no such run, or an ambiguous prefix (with the candidates).
  RunRecord find(std::string_view run) const;

  /// The run's committed lines from its log: the last `count` (all when empty). Throws
  /// StoreError when the log cannot be read.
  std::vector<StoredLine> lines(const RunRecord& run, std::optional<std::size_t> count = std::nullopt) const;
  /// The same lines handed to `out` one by one, oldest first: memory stays bounded however
  /// long the log (it is read a chunk at a time).
  void for_each_line(const RunRecord& run, std::optional<std::size_t> count,
                     const std::function<void(const StoredLine&)>& out) const;
  /// The run's events as JSON objects, one per line of text (the schema of `run --json`).
  std::vector<std::string> events(const RunRecord& run) const;

  /// Waits until the run is no longer running (its recorder ended it or died), at most
  /// `timeout`; true when it ended. Sleeps on the run directory's changes, no polling loop.
  bool wait_for_end(const RunRecord& run, std::chrono::milliseconds timeout) const;
  /// Sends `signo` (SIGTERM, SIGKILL) to a run of this machine: to its child's process group,
  /// else to the child, else (not started yet, already gone; SIGTERM only) to the logstream
  /// that records it, which forwards a stop. False when no process was reached.
  bool signal(const RunRecord& run, int signo) const;

  /// Removes a finished run: its directory (a log elsewhere, given with --log, stays) and its
  /// index row. Throws StoreError (EBUSY) for a running run, RunLookupError when it is already
  /// gone (another remove took it: removal is claimed by an atomic rename).
  void remove(const RunRecord& run);
  /// Removes the finished runs the policy does not keep, oldest first; returns their ids.
  std::vector<std::string> prune(const RetentionPolicy& policy);
  /// What `logstream run` applies after each run: the 500 newest runs, 20 GiB at most.
  static RetentionPolicy default_retention();

  /// What opening the store had to repair (runs.db rebuilt), for the user to hear once.
  std::vector<std::string> warnings() const;

  struct Impl;

private:
  friend Impl& store_impl(const RunStore& store) noexcept;  // for the recorder (lib/store/)
  std::unique_ptr<Impl> impl_;
};

}  // namespace logstream
