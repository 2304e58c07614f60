// runs.db: the SQLite index of a store's runs (WAL mode, shared by every process using the
// store), for listing fast. The run directories are the truth: a missing, corrupt or foreign
// database is set aside and rebuilt from them.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/run_store.hpp>

struct sqlite3;

namespace logstream::store {

class RunIndex {
public:
  /// Opens (or creates, or rebuilds) `<root>/runs.db`. A repair adds a sentence to `warnings`.
  /// Throws StoreError when the database cannot be created at all.
  RunIndex(const std::filesystem::path& root, std::vector<std::string>& warnings);
  ~RunIndex();
  RunIndex(const RunIndex&) = delete;
  RunIndex& operator=(const RunIndex&) = delete;

  /// Inserts or replaces the run's row. Throws StoreError.
  void put(const RunRecord& run);
  void remove(std::string_view id);

  /// The rows' records, newest first (their directory set from the root).
  std::vector<RunRecord> list(const RunQuery& query) const;
  std::vector<RunRecord> with_name(std::string_view name) const;
  std::vector<RunRecord> with_id_prefix(std::string_view prefix) const;
  std::optional<RunRecord> with_id(std::string_view id) const;

private:
  void open_or_rebuild(std::vector<std::string>& warnings);
  bool open_existing();
  void create_schema();
  void rebuild_from_directories();
  std::vector<RunRecord> query(const std::string& sql, const std::vector<std::string>& args, std::optional<std::size_t> limit) const;

  std::filesystem::path root_;
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;  // one statement at a time on the connection
};

}  // namespace logstream::store
