// What a RunStore holds: its root, the index connection and what opening it repaired.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <logstream/run_store.hpp>

#include "store/run_index.hpp"

namespace logstream {

struct RunStore::Impl {
  explicit Impl(std::filesystem::path store_root);

  std::filesystem::path root;
  std::vector<std::string> warnings;  // filled before index opens
  store::RunIndex index;

  std::filesystem::path runs_dir() const { return root / "runs"; }
  /// A row refreshed from its directory (a running run's latest snapshot, or lost); empty
  /// when the directory is gone. A run found lost is written back to the index.
  std::optional<RunRecord> refresh(RunRecord run);
  /// The run as its directory has it (metric summaries included); empty when it is gone.
  std::optional<RunRecord> read(const std::string& id);
};

RunStore::Impl& store_impl(const RunStore& store) noexcept;

}  // namespace logstream
