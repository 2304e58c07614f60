// RunEventStream (see run_event_stream.hpp): one client following one run's files.
#include "web/run_event_stream.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "json/json.hpp"
#include "json/metric_json.hpp"
#include "json/progress_json.hpp"
#include "json/stored_run_json.hpp"
#include "web/http_response.hpp"

namespace logstream::web {
namespace {

constexpr std::size_t file_chunk = 256 * 1024;

// The complete lines appended to `path` since `offset` (at most a chunk's worth), `partial`
// holding a line not ended yet. A file not there yet has no lines.
std::vector<std::string> read_new_lines(const std::filesystem::path& path, std::uint64_t& offset, std::string& partial) {
  std::vector<std::string> lines;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return lines;
  std::string chunk(file_chunk, '\0');
  const ssize_t got = ::pread(fd, chunk.data(), chunk.size(), static_cast<off_t>(offset));
  ::close(fd);
  if (got <= 0) return lines;
  chunk.resize(static_cast<std::size_t>(got));
  offset += chunk.size();
  std::size_t start = 0;
  for (std::size_t nl = chunk.find('\n'); nl != std::string::npos; nl = chunk.find('\n', start)) {
    partial.append(chunk, start, nl - start);
    lines.push_back(std::move(partial));
    partial.clear();
    start = nl + 1;
  }
  partial.append(chunk, start);
  return lines;
}

}  // namespace

RunEventStream::RunEventStream(const RunRecord& run, std::uint64_t from_seq, EventStreamOptions options)
    : dir_{run.directory}, run_(run), options_(options),
      cursor_(run.log, dir_.line_index(), store::LineCursor::Start{.from_seq = from_seq}),
      from_seq_(from_seq), last_seq_(from_seq > 0 ? from_seq - 1 : 0) {}

RunEventStream::~RunEventStream() = default;

std::string RunEventStream::head() {
  return streaming_head(200, "text/event-stream; charset=utf-8",
                        {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}});
}

void RunEventStream::start(Connection& connection) {
  connection_ = &connection;
  uv_loop_t* loop = connection.loop();
  auto open_timer = [&](LoopHandle<uv_timer_t, HandleState>& timer) {
    if (timer.open(connection.handles(), [&](uv_timer_t* h) { return uv_timer_init(loop, h); }) == 0) timer.state().owner = this;
  };
  open_timer(pump_timer_);
  open_timer(heartbeat_timer_);
  watch(dir_watch_, dir_.path);
  if (run_.log.parent_path() != dir_.path) watch(log_watch_, run_.log.parent_path());
  if (heartbeat_timer_.is_open()) {
    const auto every = static_cast<std::uint64_t>(options_.heartbeat.count());
    uv_timer_start(
        heartbeat_timer_.get(),
        [](uv_timer_t* timer) {
          if (RunEventStream* self = decltype(heartbeat_timer_)::state(timer).owner) self->connection_->write(": heartbeat\n\n");
        },
        every, every);
  }
  // How long the browser waits before it reconnects after the stream broke.
  connection.write("retry: 2000\n\n");
  pump();
}

void RunEventStream::watch(LoopHandle<uv_fs_event_t, HandleState>& handle, const std::filesystem::path& dir) {
  uv_loop_t* loop = connection_->loop();
  if (handle.open(connection_->handles(), [&](uv_fs_event_t* h) { return uv_fs_event_init(loop, h); }) != 0) return;
  handle.state().owner = this;
  // Without a watch (no inotify, its limit reached) the backstop timer alone finds changes.
  uv_fs_event_start(
      handle.get(),
      [](uv_fs_event_t* h, const char*, int, int) {
        if (RunEventStream* self = LoopHandle<uv_fs_event_t, HandleState>::state(h).owner) self->schedule();
      },
      dir.c_str(), 0);
}

// A client catching up reads as fast as it can take: the batch interval paces live lines only.
void RunEventStream::on_drained(Connection&) {
  if (!waiting_for_drain_) return;
  waiting_for_drain_ = false;
  pump();
}

void RunEventStream::stop() {
  done_ = true;
  for (auto* timer : {&pump_timer_, &heartbeat_timer_})
    if (timer->is_open()) {
      timer->state().owner = nullptr;
      timer->close();
    }
  for (auto* watch : {&dir_watch_, &log_watch_})
    if (watch->is_open()) {
      watch->state().owner = nullptr;
      watch->close();
    }
}

// At most one pump per batch interval: a burst of file changes is one event per kind.
void RunEventStream::schedule() {
  if (done_ || pump_scheduled_ || !pump_timer_.is_open()) return;
  pump_scheduled_ = true;
  const auto since = std::chrono::steady_clock::now() - last_pump_;
  const auto wait = since >= options_.batch_interval
                        ? std::chrono::milliseconds(0)
                        : std::chrono::duration_cast<std::chrono::milliseconds>(options_.batch_interval - since);
  uv_timer_start(
      pump_timer_.get(),
      [](uv_timer_t* timer) {
        if (RunEventStream* self = decltype(pump_timer_)::state(timer).owner) {
          self->pump_scheduled_ = false;
          self->pump();
        }
      },
      static_cast<std::uint64_t>(wait.count()), 0);
}

void RunEventStream::pump() {
  if (done_) return;
  last_pump_ = std::chrono::steady_clock::now();
  if (connection_->write_queue_bytes() >= options_.high_water_bytes) {
    waiting_for_drain_ = true;
    return;
  }
  const std::optional<RunRecord> now = store::read_run(dir_);
  if (!now) {  // the run's directory went away (removed)
    send("error", json::dump(json::Json{{"error", fmt::format("run {} was removed", run_.id)}}));
    stop();
    connection_->close_after_writes();
    return;
  }
  const bool final = now->state != RunState::running;
  bool drained = false;
  try {
    drained = send_lines(final);
  } catch (const StoreError& e) {
    send("error", json::dump(json::Json{{"error", e.what()}}));
    stop();
    connection_->close_after_writes();
    return;
  }
  read_events();
  send_metrics();
  send_progress(*now);
  if (final && drained) {
    finish(*now);
    return;
  }
  if (!drained && connection_->write_queue_bytes() >= options_.high_water_bytes) {
    waiting_for_drain_ = true;
    return;
  }
  if (!drained) {
    schedule();  // more to read: after the batch interval
    return;
  }
  // Caught up: the next change wakes us; the backstop re-reads the files anyway.
  if (!pump_scheduled_ && pump_timer_.is_open()) {
    uv_timer_start(
        pump_timer_.get(),
        [](uv_timer_t* timer) {
          if (RunEventStream* self = decltype(pump_timer_)::state(timer).owner) self->pump();
        },
        static_cast<std::uint64_t>(options_.backstop.count()), 0);
  }
}

// Line events until the client's backlog is full; true when every line there is was sent.
bool RunEventStream::send_lines(bool final) {
  while (connection_->write_queue_bytes() < options_.high_water_bytes) {
    std::string data = "[";
    std::uint64_t last = last_seq_;
    const std::size_t n = cursor_.read(
        [&](StoredLine&& line) {
          if (data.size() > 1) data += ',';
          json::append_stored_line_json(data, run_, line);
          last = line.seq;
        },
        final, options_.max_lines_per_event, options_.max_event_bytes);
    if (n == 0) return true;
    data += ']';
    last_seq_ = last;
    send("line", data);
    if (n < options_.max_lines_per_event && data.size() < options_.max_event_bytes) return true;
  }
  return false;
}

void RunEventStream::read_metrics() {
  for (std::string& row : read_new_lines(dir_.metrics_file(), metrics_offset_, metrics_partial_))
    if (auto parsed = extract::parse_metrics_csv_row(row); parsed && parsed->seq >= from_seq_)
      metrics_pending_.push_back(std::move(*parsed));
}

// A metric after its line: rows of lines not sent yet wait (and no more of the file is read
// while they do, so what waits is one chunk at most).
void RunEventStream::send_metrics() {
  for (;;) {
    if (metrics_pending_.empty()) {
      read_metrics();
      if (metrics_pending_.empty()) return;
    }
    const extract::MetricsCsvRow& row = metrics_pending_.front();
    if (row.seq > last_seq_) return;
    send("metric", json::dump(json::metric_event_json(row.key, row.value, row.seq, row.elapsed_s)));
    metrics_pending_.pop_front();
  }
}

void RunEventStream::read_events() {
  for (const std::string& text : read_new_lines(dir_.events_file(), events_offset_, events_partial_)) {
    const json::Json event = json::Json::parse(text, nullptr, false);
    if (event.is_discarded() || !event.is_object()) continue;
    const std::string type = json::get_or<std::string>(event, "type", "");
    if (type.empty() || type == "exit") continue;  // the exit is sent last, from the final record
    send(type, json::dump(event));
  }
}

void RunEventStream::send_progress(const RunRecord& run) {
  std::string text = json::dump(json::progress_event_json(run.progress));
  if (text == last_progress_) return;
  send("progress", text);
  last_progress_ = std::move(text);
}

void RunEventStream::finish(const RunRecord& run) {
  send_metrics();
  send("exit", json::dump(json::stored_exit_json(run)));
  stop();
  connection_->close_after_writes();
}

void RunEventStream::send(std::string_view event, std::string_view data) {
  connection_->write(fmt::format("event: {}\nid: {}\ndata: {}\n\n", event, last_seq_, data));
}

}  // namespace logstream::web
