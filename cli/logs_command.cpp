// `logstream logs RUN` (see store_commands.hpp): the run's committed lines, as the log holds them
// or as the line objects of `run --json`.
#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "filter/context_window.hpp"
#include "filter_flags.hpp"
#include "io/directory_watch.hpp"
#include "io/write_all.hpp"
#include "json_events.hpp"
#include "messages.hpp"
#include "redis_remote.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

// The whole log, byte for byte.
int copy_log(const RunRecord& run) {
  const int fd = ::open(run.log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    say(fmt::format("cannot read {}: {}", run.log.string(), std::generic_category().message(errno)));
    return unknown_run_status;
  }
  std::vector<char> buffer(flush_bytes);
  int status = 0;
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      say(fmt::format("cannot read {}: {}", run.log.string(), std::generic_category().message(errno)));
      status = unknown_run_status;
      break;
    }
    if (got == 0 || !io::write_all(STDOUT_FILENO, std::string_view(buffer.data(), static_cast<std::size_t>(got))).ok()) break;
  }
  ::close(fd);
  return status;
}

// Lines as `logs` prints them: the log's text, or line objects.
class LineWriter {
public:
  LineWriter(const RunRecord& run, bool json) : run_(run), json_(json) {}
  ~LineWriter() { flush(); }
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  void add(const StoredLine& line) {
    if (json_) {
      out_ += to_json_line(json::stored_line_json(run_, line));
    } else {
      out_ += line.text;
      if (!line.continued) out_ += '\n';
    }
    if (out_.size() >= flush_bytes) flush();
  }
  /// grep's `--` between groups of lines that are not consecutive (none in JSON: seqs tell).
  void separate() {
    if (!json_) out_ += "--\n";
  }
  void flush() {
    if (!reader_gone_ && !io::write_all(STDOUT_FILENO, out_).ok()) reader_gone_ = true;  // `| head`: not an error
    out_.clear();
  }
  bool reader_gone() const { return reader_gone_; }

private:
  const RunRecord& run_;
  bool json_;
  std::string out_;
  bool reader_gone_ = false;
};

// The filter flags over stored lines: the lines it keeps and their context reach the writer.
// Progress facts (--best, --progress) come from extracting the lines again, as the run did.
class ShownLines {
public:
  ShownLines(LineWriter& writer, LineFilter filter)
      : writer_(writer), filter_(std::move(filter)), separate_(separates_groups(filter_)),
        window_(filter_.options().before, filter_.options().after) {
    if (filter_.options().best || filter_.options().progress) extractor_.emplace();
  }

  void add(const StoredLine& line) {
    if (filter_.options().keeps_all()) return writer_.add(line);
    const Source source = line.is_stderr ? Source::err : Source::out;
    LineFacts facts;
    if (extractor_ && extractor_->feed(Line{{.seq = line.seq, .source = source, .continued = line.continued,
                                               .wall_time = line.wall_time, .level = line.level},
                                              line.text}))
      facts = progress_facts_.take(extractor_->progress());
    if (filter_.keeps(line.text, source, line.level, facts)) {
      window_.matched([&](const StoredLine& held) { show(held); });
      show(line);
    } else if (window_.owed()) {
      show(line);
    } else if (window_.holds()) {
      window_.hold(line);
    }
  }

private:
  void show(const StoredLine& line) {
    if (separate_ && last_seq_ != 0 && line.seq != last_seq_ + 1) writer_.separate();
    last_seq_ = line.seq;
    writer_.add(line);
  }

  LineWriter& writer_;
  LineFilter filter_;
  bool separate_;
  filter::ContextWindow<StoredLine> window_;
  std::optional<ProgressExtractor> extractor_;
  ProgressFacts progress_facts_;
  std::uint64_t last_seq_ = 0;
};

// Wakes when something in the run's directory (or the log's) changes, or after a second.
// -f: the lines there are, then each new one, until the run is no longer running.
int follow(const RunStore& store, const RunRecord& run, const LogsOptions& o, LineFilter filter) {
  RunLineCursor cursor(run, o.count);
  LineWriter writer(run, o.json);
  ShownLines shown(writer, std::move(filter));
  // Its files' directories: the log's appends, the index's, the final snapshot's rename. The
  // second-long wait is for the lock's release, which inotify does not tell.
  io::DirectoryWatch watch(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
  watch.add(run.directory);
  if (run.log.parent_path() != run.directory) watch.add(run.log.parent_path());
  for (;;) {
    // Asked before reading: once the run ended, its files are whole, so this read is the last.
    const auto now = store.get(run.id);
    const bool ended = !now || now->state != RunState::running;
    cursor.read([&](const StoredLine& line) { shown.add(line); }, ended);
    writer.flush();
    if (ended || writer.reader_gone()) return 0;
    watch.wait(std::chrono::seconds(1));
  }
}

// A run in Redis (redis://HOST[:PORT]/RUN): the same lines, read from its stream.
int remote_logs(const LogsOptions& o, LineFilter filter) {
  try {
    RemoteRun remote(o.run);
    const RunRecord run = remote.record();
    LineWriter writer(run, o.json);
    ShownLines shown(writer, std::move(filter));
    read_remote_lines(remote, run, o.follow, o.count,
                      RemoteLines{.line = [&](const StoredLine& line) { shown.add(line); },
                                  .flush = [&] { writer.flush(); },
                                  .stop = [&] { return writer.reader_gone(); }});
    return 0;
  } catch (...) {
    return remote_failure_status();
  }
}

}  // namespace

int logs_command(const LogsOptions& o) {
  std::optional<LineFilter> filter = filter_or_say(o.filter);
  if (!filter) return usage_status;
  if (is_remote_run(o.run)) return remote_logs(o, std::move(*filter));
  auto found = open_and_find(o.run);
  if (const int* status = std::get_if<int>(&found)) return *status;
  const auto& [store, run] = std::get<FoundRun>(found);
  if (o.follow) {
    try {
      return follow(*store, run, o, std::move(*filter));
    } catch (const StoreError& e) {
      say(e.what());
      return unknown_run_status;
    }
  }
  if (!o.json && !o.count && filter->options().keeps_all()) return copy_log(run);
  LineWriter writer(run, o.json);
  ShownLines shown(writer, std::move(*filter));
  try {
    store->for_each_line(run, o.count, [&](const StoredLine& line) { shown.add(line); });
  } catch (const StoreError& e) {
    writer.flush();
    say(e.what());
    return unknown_run_status;
  }
  return 0;
}

}  // namespace logstream::cli
