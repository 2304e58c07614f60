// RunRecorder (see run_recorder.hpp).
#include "store/run_recorder.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "extract/metrics_export.hpp"
#include "io/write_all.hpp"
#include "json/event_json.hpp"
#include "json/run_json.hpp"
#include "store/run_id.hpp"
#include "store/store_error.hpp"
#include "store/store_impl.hpp"

namespace logstream::store {
namespace {

constexpr std::chrono::seconds snapshot_interval{1};
constexpr int claim_attempts = 100;

// A new directory under runs/: mkdir is the claim, so two processes never share an id.
std::pair<std::string, RunDirectory> claim_directory(const std::filesystem::path& runs, std::chrono::system_clock::time_point now) {
  for (int attempt = 0; attempt < claim_attempts; ++attempt) {
    std::string id = make_run_id(now);
    RunDirectory dir{runs / id};
    if (::mkdir(dir.path.c_str(), 0755) == 0) return {std::move(id), std::move(dir)};
    if (errno != EEXIST) throw os_error(errno, "cannot create the run directory", dir.path);
  }
  throw StoreError(std::make_error_code(std::errc::file_exists), fmt::format("no free run id in {}", runs.string()));
}

int open_append(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw os_error(errno, "cannot create", path);
  return fd;
}

void append(int fd, std::string_view bytes, const std::filesystem::path& path) {
  if (fd < 0 || bytes.empty()) return;
  const io::WriteResult result = io::write_all(fd, bytes);
  if (!result.ok()) throw os_error(result.error, "cannot write", path);
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::uint64_t size_of(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// The line index and metric rows buffered between writes.
constexpr std::size_t write_out_bytes = 256 * 1024;

std::string directory_removed(const RunDirectory& dir) {
  return fmt::format("the run directory {} was removed while the run ran: the run is no longer recorded", dir.path.string());
}

}  // namespace

RunState final_state(const RunRecord& r) {
  if (r.signal) return RunState::killed;
  if (r.exit_code && *r.exit_code != 0) return RunState::failed;
  return RunState::exited;
}

RunRecorder::RunRecorder(std::shared_ptr<RunStore> store, RunStart start, std::shared_ptr<MetricStore> metrics)
    : store_(std::move(store)), metrics_(std::move(metrics)) {
  RunStore::Impl& impl = store_impl(*store_);
  const auto now = std::chrono::system_clock::now();
  std::tie(id_, dir_) = claim_directory(impl.runs_dir(), now);
  log_ = start.log.empty() ? dir_.default_log() : std::filesystem::absolute(start.log);
  lock_ = std::make_unique<RunLock>(dir_);
  if (!start.raw_log) {
    // Created now: a reader that finds no index knows the log is raw, not that it is early.
    index_ = std::make_unique<LineIndexWriter>(dir_.line_index(), size_of(log_));
    index_->open();
  }

  record_.id = id_;
  record_.name = start.name;
  record_.group = start.group;
  record_.command = start.command;
  std::error_code ignored;
  record_.cwd = std::filesystem::current_path(ignored).string();
  record_.host = host_name();
  record_.supervisor_pid = static_cast<int>(::getpid());
  record_.started_at = now;
  record_.log = log_;
  record_.directory = dir_.path;
  replace_file(dir_.run_file(), json::dump(json::run_json(record_, false)) + "\n");
  impl.index.put(record_);
}

RunRecorder::~RunRecorder() {
  std::lock_guard lock(mutex_);
  if (!finished_) {
    // Never started, or the sink was retired: the run ends here, not as `lost` later.
    if (record_.error.empty()) record_.error = "the run was not recorded to its end";
    try {
      finish(record_.exit_code || record_.signal ? final_state(record_) : RunState::failed);
    } catch (const StoreError&) {
      // the directory keeps its last snapshot; readers will see the run lost
    }
  }
  if (events_fd_ >= 0) ::close(events_fd_);
  if (metrics_fd_ >= 0) ::close(metrics_fd_);
}

void RunRecorder::started(std::optional<int> pid) {
  std::lock_guard lock(mutex_);
  record_.pid = pid;
  write_snapshot(finished_);  // a run that already ended gets its pid in the index too
}

void RunRecorder::start_failed(std::string_view error) {
  std::lock_guard lock(mutex_);
  record_.error = std::string(error);
  finish(RunState::failed);
}

void RunRecorder::open() {
  events_fd_ = open_append(dir_.events_file());
  const bool new_csv = size_of(dir_.metrics_file()) == 0;
  metrics_fd_ = open_append(dir_.metrics_file());
  if (new_csv) append(metrics_fd_, extract::metrics_csv_header(), dir_.metrics_file());
}

void RunRecorder::write(const LineBatch& batch) {
  // The hot path: counts, the index records and the metric rows, all into buffers.
  if (index_) index_->add(batch);
  std::uint64_t err = 0;
  for (const Line line : batch) err += line.is_stderr() ? 1 : 0;
  extract::append_metrics_csv_rows(metrics_pending_, batch, metrics_->start());
  // Written once they fill a buffer, not only at flush(): memory stays bounded at any rate.
  if (index_ && index_->pending_bytes() >= write_out_bytes) index_->flush();
  if (metrics_pending_.size() >= write_out_bytes) write_metrics_out();
  std::lock_guard lock(mutex_);
  record_.lines += batch.size();
  record_.stderr_lines += err;
  record_.stdout_lines += batch.size() - err;
  if (!batch.progress_changes().empty()) record_.progress = batch.progress_changes().back().progress;
}

void RunRecorder::write_metrics_out() {
  append(metrics_fd_, metrics_pending_, dir_.metrics_file());
  metrics_pending_.clear();
}

void RunRecorder::flush() {
  if (index_) index_->flush();
  write_metrics_out();
  std::lock_guard lock(mutex_);
  if (std::chrono::steady_clock::now() - last_snapshot_ >= snapshot_interval) write_snapshot(false);
}

void RunRecorder::on_event(const StreamEvent& event) {
  if (event.kind == EventKind::exited) {
    {
      std::lock_guard lock(mutex_);
      record_.exit_code = event.exit_code;
      record_.signal = event.term_signal;
    }
    append_event(json::dump(json::Json{{"type", "exit"},
                                       {"exit_code", json::optional(event.exit_code)},
                                       {"signal", json::optional(event.term_signal)}}));
    return;
  }
  const json::Json object = json::event_json(event);
  if (!object.is_null()) append_event(json::dump(object));
}

void RunRecorder::close() {
  flush();
  // The last chance to say it as a sink error: complete() has no event to say it with.
  std::error_code ignored;
  if (!std::filesystem::exists(dir_.path, ignored))
    throw StoreError(std::make_error_code(std::errc::no_such_file_or_directory), directory_removed(dir_));
}

void RunRecorder::complete() {
  std::lock_guard lock(mutex_);
  try {
    finish(final_state(record_));
  } catch (const StoreError&) {
    // The run directory went away (removed by hand): the sink's error event said so when its
    // writes began to fail, and there is nothing left to end.
  }
}

void RunRecorder::append_event(const std::string& json_line) {
  append(events_fd_, json_line + "\n", dir_.events_file());
}

void RunRecorder::write_snapshot(bool final) {
  if (metrics_) record_.metrics = metrics_->summaries();
  try {
    replace_file(dir_.status_file(), json::dump(json::run_json(record_, true)) + "\n");
  } catch (const StoreError& e) {
    std::error_code ignored;
    if (std::filesystem::exists(dir_.path, ignored)) throw;
    throw StoreError(std::make_error_code(std::errc::no_such_file_or_directory), directory_removed(dir_));
  }
  last_snapshot_ = std::chrono::steady_clock::now();
  if (final) store_impl(*store_).index.put(record_);
}

void RunRecorder::finish(RunState state) {
  if (finished_) return;
  finished_ = true;
  record_.state = state;
  record_.ended_at = std::chrono::system_clock::now();
  write_snapshot(true);
  lock_.reset();  // after the final snapshot: a reader never sees `running` without a holder
}

}  // namespace logstream::store
