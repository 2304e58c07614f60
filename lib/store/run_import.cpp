// RunImport (see run_import.hpp).
#include <logstream/run_import.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <fmt/format.h>

#include "io/write_all.hpp"
#include "json/run_json.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "store/store_error.hpp"
#include "store/store_impl.hpp"

namespace logstream {

namespace {

constexpr std::size_t write_out_bytes = 256 * 1024;

std::uint64_t size_of(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

void truncate_to(const std::filesystem::path& path, std::uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0 && errno != ENOENT) throw store::os_error(errno, "cannot truncate", path);
}

store::LineIndexRecord record_at(const std::filesystem::path& index, std::uint64_t n) {
  store::LineIndexRecord r{};
  const int fd = ::open(index.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw store::os_error(errno, "cannot read", index);
  const ssize_t got = ::pread(fd, &r, sizeof r, static_cast<off_t>(n * sizeof r));
  ::close(fd);
  if (got != static_cast<ssize_t>(sizeof r)) throw store::os_error(errno != 0 ? errno : EIO, "cannot read", index);
  return r;
}

}  // namespace

struct RunImport::Impl {
  std::shared_ptr<RunStore> store;
  store::RunDirectory dir;
  std::filesystem::path log;
  std::unique_ptr<store::RunLock> lock;
  int log_fd = -1;
  std::unique_ptr<store::LineIndexWriter> index;
  std::string pending;
  std::uint64_t last_seq = 0;
  RunRecord record;

  ~Impl() {
    if (log_fd >= 0) ::close(log_fd);
  }

  // The log before the index: an index record never points past the log's end.
  void write_out() {
    if (!pending.empty()) {
      const io::WriteResult result = io::write_all(log_fd, pending);
      if (!result.ok()) throw store::os_error(result.error, "cannot write", log);
      pending.clear();
    }
    index->flush();
  }

  // Local paths; no pid of this machine.
  void take(const RunRecord& run) {
    record = run;
    record.log = log;
    record.directory = dir.path;
    record.pid.reset();
    record.supervisor_pid.reset();
  }
};

RunImport::RunImport(std::shared_ptr<RunStore> store, const RunRecord& run) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  if (run.id.empty() || run.id.find('/') != std::string::npos || run.id.starts_with("."))
    throw StoreError(std::make_error_code(std::errc::invalid_argument), fmt::format("'{}' is no run id", run.id));
  m.store = std::move(store);
  m.dir = store::RunDirectory{store_impl(*m.store).runs_dir() / run.id};
  if (::mkdir(m.dir.path.c_str(), 0755) != 0 && errno != EEXIST) throw store::os_error(errno, "cannot create the run directory", m.dir.path);
  m.log = m.dir.default_log();
  // Resuming: the last indexed line may have been cut short by a crash, and the log may hold
  // lines the index never got. Both go back to where the line before it ended, and are read again.
  const std::uint64_t records = size_of(m.dir.line_index()) / sizeof(store::LineIndexRecord);
  std::uint64_t log_end = 0;
  if (records > 0) {
    log_end = record_at(m.dir.line_index(), records - 1).offset();
    if (records > 1) m.last_seq = record_at(m.dir.line_index(), records - 2).seq_flags >> 2;
  }
  truncate_to(m.dir.line_index(), records > 0 ? (records - 1) * sizeof(store::LineIndexRecord) : 0);
  truncate_to(m.log, log_end);
  m.log_fd = ::open(m.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (m.log_fd < 0) throw store::os_error(errno, "cannot create", m.log);
  m.index = std::make_unique<store::LineIndexWriter>(m.dir.line_index(), log_end);
  m.index->open();
  if (run.state == RunState::running) m.lock = std::make_unique<store::RunLock>(m.dir);
  m.take(run);
  if (size_of(m.dir.run_file()) == 0) store::replace_file(m.dir.run_file(), json::dump(json::run_json(m.record, false)) + "\n");
}

RunImport::~RunImport() = default;

std::uint64_t RunImport::last_seq() const noexcept { return impl_->last_seq; }

void RunImport::append(const StoredLine& line) {
  Impl& m = *impl_;
  if (line.seq <= m.last_seq) return;
  m.index->add(line);
  m.pending += line.text;
  if (!line.continued) m.pending += '\n';
  m.last_seq = line.seq;
  if (m.pending.size() >= write_out_bytes) m.write_out();
}

void RunImport::update(const RunRecord& run) {
  Impl& m = *impl_;
  m.write_out();
  m.take(run);
  store::replace_file(m.dir.status_file(), json::dump(json::run_json(m.record, true)) + "\n");
  store_impl(*m.store).index.put(m.record);
  if (run.state != RunState::running) m.lock.reset();
}

}  // namespace logstream
