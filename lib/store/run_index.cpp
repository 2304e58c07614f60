// runs.db (see run_index.hpp).
#include "store/run_index.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <system_error>

#include <fmt/format.h>

#include "json/run_json.hpp"
#include "store/run_directory.hpp"
#include "store/run_id.hpp"
#include "store/store_error.hpp"
#include "text/time_format.hpp"

namespace logstream::store {
namespace {

// The database's header says whose it is: a file of another program is never taken for ours.
constexpr int application_id = 0x4c53544d;  // "LSTM"
constexpr int busy_timeout_ms = 10000;

constexpr const char* schema_sql = R"(
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,  -- ms since the epoch
  name TEXT NOT NULL,
  grp TEXT NOT NULL,
  state TEXT NOT NULL,
  record TEXT NOT NULL          -- the run object (run_json), without metrics
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, started_at DESC);
)";

class Statement {
public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      const std::string message = sqlite3_errmsg(db);
      sqlite3_finalize(stmt_);
      throw StoreError(std::make_error_code(std::errc::io_error), message);
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  int step() { return sqlite3_step(stmt_); }
  std::string_view text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The one row layout: the columns the queries filter and sort by, and the record itself.
int insert_row(sqlite3* db, const RunRecord& run) {
  Statement insert(db, "INSERT OR REPLACE INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, run.id);
  insert.bind(2, epoch_ms(run.started_at));
  insert.bind(3, run.name);
  insert.bind(4, run.group);
  insert.bind(5, to_string(run.state));
  insert.bind(6, json::dump(json::run_json(run, false)));
  return insert.step();
}

}  // namespace

RunIndex::RunIndex(const std::filesystem::path& root, std::vector<std::string>& warnings)
    : root_(root), path_(root / "runs.db") {
  // One process at a time opens, creates or rebuilds: otherwise one could take another's
  // half-created database for a corrupt one (SQLite answers BUSY while the WAL is set up).
  const int lock = ::open((root / "runs.db.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) {
    const int error = errno;  // before the path's allocation
    throw os_error(error, "cannot create", root / "runs.db.lock");
  }
  while (::flock(lock, LOCK_EX) != 0 && errno == EINTR) {
  }
  try {
    open_or_rebuild(warnings);
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
}

RunIndex::~RunIndex() { sqlite3_close_v2(db_); }

void RunIndex::open_or_rebuild(std::vector<std::string>& warnings) {
  std::error_code ignored;
  const bool existed = std::filesystem::exists(path_, ignored);
  if (existed && open_existing()) return;
  if (existed) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    const std::string aside = fmt::format("{}.bad-{}", path_.string(), text::format_iso8601_basic_utc(std::chrono::system_clock::now()));
    std::filesystem::rename(path_, aside, ignored);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix, ignored);
    warnings.push_back(fmt::format("{} was corrupt or not logstream's: moved to {}, rebuilt from the run directories",
                                   path_.string(), aside));
  }
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    throw StoreError(std::make_error_code(std::errc::io_error), fmt::format("cannot create {}: {}", path_.string(), message));
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  create_schema();
  std::error_code error;
  const bool had_runs = std::filesystem::directory_iterator(root_ / "runs", error) != std::filesystem::directory_iterator();
  if (had_runs) {
    rebuild_from_directories();
    if (!existed) warnings.push_back(fmt::format("{} was missing: rebuilt from the run directories", path_.string()));
  }
}

bool RunIndex::open_existing() {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) return false;
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  try {
    Statement id(db_, "PRAGMA application_id");
    if (id.step() != SQLITE_ROW) return false;
    const auto found = id.integer(0);
    if (found == 0) {
      // Empty: another process is creating it at this moment, or it died doing so.
      Statement tables(db_, "SELECT count(*) FROM sqlite_schema");
      if (tables.step() != SQLITE_ROW || tables.integer(0) != 0) return false;
      create_schema();
      return true;
    }
    if (found != application_id) return false;
    Statement probe(db_, "SELECT count(*) FROM runs");
    return probe.step() == SQLITE_ROW;
  } catch (const StoreError&) {
    return false;  // not a database (SQLITE_NOTADB), corrupt, or our table is missing
  }
}

void RunIndex::create_schema() {
  // WAL: readers never block the writers of the other processes, nor they the readers.
  sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  const std::string sql = fmt::format("BEGIN IMMEDIATE; {} PRAGMA application_id={}; COMMIT;", schema_sql, application_id);
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw StoreError(std::make_error_code(std::errc::io_error), fmt::format("cannot create {}: {}", path_.string(), message));
  }
}

void RunIndex::rebuild_from_directories() {
  std::error_code error;
  std::vector<RunRecord> runs;
  for (const auto& entry : std::filesystem::directory_iterator(root_ / "runs", error)) {
    if (!looks_like_run_id(entry.path().filename().string())) continue;
    if (auto run = read_run(RunDirectory{entry.path()})) runs.push_back(std::move(*run));
  }
  std::lock_guard lock(mutex_);
  sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  for (const RunRecord& run : runs) insert_row(db_, run);
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
}

void RunIndex::put(const RunRecord& run) {
  std::lock_guard lock(mutex_);
  if (insert_row(db_, run) != SQLITE_DONE)
    throw StoreError(std::make_error_code(std::errc::io_error), fmt::format("cannot write {}: {}", path_.string(), sqlite3_errmsg(db_)));
}

void RunIndex::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement erase(db_, "DELETE FROM runs WHERE id = ?1");
  erase.bind(1, id);
  if (erase.step() != SQLITE_DONE)
    throw StoreError(std::make_error_code(std::errc::io_error), fmt::format("cannot write {}: {}", path_.string(), sqlite3_errmsg(db_)));
}

std::vector<RunRecord> RunIndex::query(const std::string& where, const std::vector<std::string>& args,
                                       std::optional<std::size_t> limit) const {
  std::lock_guard lock(mutex_);
  Statement select(db_, fmt::format("SELECT record FROM runs {} ORDER BY started_at DESC, id DESC LIMIT ?{}", where, args.size() + 1));
  for (std::size_t i = 0; i < args.size(); ++i) select.bind(static_cast<int>(i + 1), args[i]);
  select.bind(static_cast<int>(args.size() + 1), limit ? static_cast<std::int64_t>(*limit) : std::int64_t{-1});
  std::vector<RunRecord> runs;
  for (int rc; (rc = select.step()) == SQLITE_ROW;) {
    const json::Json object = json::Json::parse(select.text(0), nullptr, false);
    if (object.is_discarded()) continue;
    try {
      RunRecord run = json::run_from(object);
      run.directory = root_ / "runs" / run.id;
      runs.push_back(std::move(run));
    } catch (const nlohmann::json::exception&) {
      // a row this version cannot read: the directory still has the run
    }
  }
  return runs;
}

std::vector<RunRecord> RunIndex::list(const RunQuery& q) const {
  std::string where = "WHERE 1";
  std::vector<std::string> args;
  if (q.running_only) where += " AND state = 'running'";
  if (!q.group.empty()) {
    args.push_back(q.group);
    where += fmt::format(" AND grp = ?{}", args.size());
  }
  return query(where, args, q.limit);
}

std::vector<RunRecord> RunIndex::with_name(std::string_view name) const {
  return query("WHERE name = ?1", {std::string(name)}, std::nullopt);
}

std::vector<RunRecord> RunIndex::with_id_prefix(std::string_view prefix) const {
  // A range, not LIKE: the prefix is the user's text, '%' and '_' in it are no patterns.
  return query("WHERE id >= ?1 AND id < ?2", {std::string(prefix), std::string(prefix) + '\x7f'}, std::nullopt);
}

std::optional<RunRecord> RunIndex::with_id(std::string_view id) const {
  auto runs = query("WHERE id = ?1", {std::string(id)}, 1);
  if (runs.empty()) return std::nullopt;
  return std::move(runs.front());
}

}  // namespace logstream::store
