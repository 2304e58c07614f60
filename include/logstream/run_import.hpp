// RunImport: a run recorded on another machine, written into a store as it arrives (what
// `logstream collect` does with the runs it reads from Redis).
#pragma once

#include <cstdint>
#include <memory>

#include <logstream/export.hpp>
#include <logstream/run_store.hpp>

namespace logstream {

/// Writes a run of another machine into `store` under its own id: its log and line index (so
/// `logs`, `search`, `show` and the dashboard read it as a local run) and its record (host,
/// command, progress, state...), as its lines and snapshots arrive. While the run is running
/// the import holds the run's lock, so the store shows it running (not lost); its pid is not
/// kept (no process of this machine). Opening an import of a run the store already has resumes
/// after the last line it holds whole: a line handed again is kept once. Not thread-safe;
/// throws StoreError naming the file it could not write.
class LOGSTREAM_API RunImport {
public:
  RunImport(std::shared_ptr<RunStore> store, const RunRecord& run);
  ~RunImport();
  RunImport(const RunImport&) = delete;
  RunImport& operator=(const RunImport&) = delete;

  /// The seq of the last line the store has (0: none).
  std::uint64_t last_seq() const noexcept;
  /// Appends a line after last_seq() (an earlier one is skipped).
  void append(const StoredLine& line);
  /// Writes the lines appended so far, then `run` as the run's snapshot and index row. Once
  /// `run` is no longer running, the lock is released.
  void update(const RunRecord& run);

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace logstream
