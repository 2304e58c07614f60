// JsonOutput (see json_output.hpp; the schema is in json_events.hpp and the README).
#include "json_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "json_events.hpp"
#include "messages.hpp"
#include "terminal.hpp"
#include "transient_throttle.hpp"

namespace logstream::cli {

// Runs on its sink actor: one batch at a time, in order.
class JsonOutput::LineSink : public Sink {
public:
  LineSink(JsonOutput& owner, const Streamer& streamer) : owner_(owner), streamer_(streamer) {}

  void open() override { origin_ = streamer_.get_progress().start_time; }

  // Each line is followed by the metrics found in it, then by the progress it changed (the batch
  // carries all three, in line order). A state the throttle holds back keeps its metrics and
  // progress until it is written; one it drops (a later state replaced it) still has its
  // metrics written: every observation is.
  void write(const LineBatch& batch) override {
    std::string out;
    const LineBatch::Metrics metrics = batch.metrics();
    const std::span<const ProgressChange> changes = batch.progress_changes();
    std::size_t next = 0;
    std::size_t next_change = 0;
    const TransientThrottle::Emit add = [&](const Line& line) {
      out += to_json_line(line_json(line, origin_));
      if (deferred_seq_ == line.seq) write_deferred(out);
    };
    for (const Line& line : batch) {
      // The metrics of lines a filter left out, in seq order before this line.
      for (; next < metrics.size() && metrics[next].seq < line.seq; ++next)
        out += to_json_line(metric_json(metrics[next], origin_, batch.arrival()));
      if (owner_.include_lines_) {
        throttle_.take(line, add);
        if (deferred_seq_ && throttle_.held_seq() != deferred_seq_) write_deferred(out);  // replaced
      }
      const bool held = owner_.include_lines_ && throttle_.held_seq() == line.seq;
      if (held) deferred_seq_ = line.seq;
      for (; next < metrics.size() && metrics[next].seq <= line.seq; ++next) {
        const MetricObservation m = metrics[next];
        if (held) {
          deferred_.push_back(Deferred{std::string(m.key), m.value, m.seq, batch.arrival()});
        } else {
          out += to_json_line(metric_json(m, origin_, batch.arrival()));
        }
      }
      for (; next_change < changes.size() && changes[next_change].seq <= line.seq; ++next_change) {
        if (held) {
          deferred_progress_ = changes[next_change].progress;
        } else {
          write_progress(out, changes[next_change].progress);
        }
      }
    }
    if (owner_.include_lines_) throttle_.end_batch();
    // A filtered batch also carries the metrics of lines after its last one.
    for (; next < metrics.size(); ++next) out += to_json_line(metric_json(metrics[next], origin_, batch.arrival()));
    // The end of the stream: a batch without lines, its one change sets end_time.
    for (; next_change < changes.size(); ++next_change) write_progress(out, changes[next_change].progress);
    if (!out.empty()) owner_.emit(out);
  }

  std::string name() const override { return "json"; }

  /// What is still held back; the main thread calls it after the stream completed.
  std::string rest() {
    std::string out;
    throttle_.finish([&](const Line& line) { out += to_json_line(line_json(line, origin_)); });
    write_deferred(out);
    return out;
  }

private:
  struct Deferred {
    std::string key;
    double value;
    std::uint64_t seq;
    std::chrono::steady_clock::time_point arrival;
  };

  void write_deferred(std::string& out) {
    for (const Deferred& d : deferred_)
      out += to_json_line(metric_json(MetricObservation{d.key, d.value, d.seq}, origin_, d.arrival));
    deferred_.clear();
    if (deferred_progress_) write_progress(out, *deferred_progress_);
    deferred_progress_.reset();
    deferred_seq_.reset();
  }

  // Only changed fields make an event (the end changes end_time alone).
  void write_progress(std::string& out, const TrainingProgress& p) {
    if (p.same_fields(last_progress_)) return;
    last_progress_ = p;
    out += to_json_line(progress_json(p));
  }

  JsonOutput& owner_;
  const Streamer& streamer_;
  std::chrono::steady_clock::time_point origin_{};
  TransientThrottle throttle_;
  std::vector<Deferred> deferred_;  // the metrics of the state the throttle holds back
  std::optional<TrainingProgress> deferred_progress_;  // and the progress it made
  std::optional<std::uint64_t> deferred_seq_;          // the state they wait for
  TrainingProgress last_progress_;  // the last one written
};

JsonOutput::JsonOutput(bool include_lines, LineFilter filter) : include_lines_(include_lines), filter_(std::move(filter)) {}

void JsonOutput::attach(Streamer& streamer) {
  streamer_ = &streamer;
  sink_ = std::make_shared<LineSink>(*this, streamer);
  streamer.add_sink(filtered(sink_, filter_));
  // Events through on_event rather than the sink's: it also hears what happens while the sinks
  // close (a log file whose last flush fails).
  streamer.on_event += [this](const StreamEvent& e) {
    if (Json object = event_json(e); !object.is_null()) emit(to_json_line(object));
  };
}

// Bounded: the signal thread calls this, and must not hang on a stderr nobody reads.
void JsonOutput::notice(std::string_view text) { say_within(text); }

std::string JsonOutput::failure() const {
  const int error = write_error_.load();
  if (error == 0 || error == EPIPE) return {};
  return fmt::format("cannot write the JSON output to stdout: {}", std::strerror(error));
}

void JsonOutput::end(const RunSummary& summary) {
  std::string out;
  if (sink_) out += sink_->rest();
  if (!summary.start_error.empty()) out += to_json_line(error_json("start", summary.start_error));
  out += to_json_line(exit_json(summary));
  emit(out);
}

void JsonOutput::emit(std::string_view json_lines) {
  std::lock_guard lock(mutex_);
  if (write_error_ != 0) return;
  if (write_all(STDOUT_FILENO, json_lines)) return;
  const int error = errno != 0 ? errno : EIO;
  write_error_ = error;
  // stdout carries JSON only, and is what failed: the news goes to stderr.
  if (error == EPIPE) say_within("stdout was closed by its reader: no more JSON is written (the log file still gets every line)");
  else say_within(fmt::format("cannot write the JSON output to stdout: {}; no more JSON is written", std::strerror(error)));
}

}  // namespace logstream::cli
