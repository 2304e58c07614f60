// JsonOutput (see json_output.hpp; the schema is in json_events.hpp and the README).
#include "json_output.hpp"

#include <unistd.h>


#include "json_events.hpp"
#include "terminal.hpp"

namespace logstream::cli {

// Runs on its sink actor: one batch at a time, in order.
class JsonOutput::LineSink : public Sink {
public:
  LineSink(JsonOutput& owner, const Streamer& streamer) : owner_(owner), streamer_(streamer) {}

  void open() override { origin_ = streamer_.get_progress().start_time; }

  // Each line is followed by the metrics found in it: the batch carries both, in line order.
  void write(const LineBatch& batch) override {
    std::string out;
    const LineBatch::Metrics metrics = batch.metrics();
    std::size_t next_metric = 0;
    auto metrics_up_to = [&](std::uint64_t seq) {
      for (; next_metric < metrics.size() && metrics[next_metric].seq <= seq; ++next_metric)
        out += to_json_line(metric_json(metrics[next_metric], origin_, batch.arrival()));
    };
    for (const Line& line : batch) {
      if (owner_.include_lines_) out += to_json_line(line_json(line, origin_));
      metrics_up_to(line.seq);
    }
    if (!out.empty()) owner_.emit(out);
  }

  std::string name() const override { return "json"; }

private:
  JsonOutput& owner_;
  const Streamer& streamer_;
  std::chrono::steady_clock::time_point origin_{};
};

JsonOutput::JsonOutput(bool include_lines) : include_lines_(include_lines) {}

void JsonOutput::attach(Streamer& streamer) {
  streamer_ = &streamer;
  sink_ = std::make_shared<LineSink>(*this, streamer);
  streamer.add_sink(sink_);
  streamer.on_progress_update = [this](const TrainingProgress& p) {
    // The stream also reports its end (end_time): only changed fields make an event.
    if (p.same_fields(last_progress_)) return;  // progress callbacks never run concurrently
    last_progress_ = p;
    emit(to_json_line(progress_json(p)));
  };
  streamer.on_event = [this](const StreamEvent& e) {
    if (Json object = event_json(e); !object.is_null()) emit(to_json_line(object));
  };
}

void JsonOutput::notice(std::string_view text) {
  std::string line = "logstream: ";
  line += text;
  line += '\n';
  write_all(STDERR_FILENO, line);
}

void JsonOutput::end(const RunSummary& summary) {
  std::string out;
  if (!summary.start_error.empty()) out += to_json_line(error_json("start", summary.start_error));
  out += to_json_line(exit_json(summary));
  emit(out);
}

void JsonOutput::emit(std::string_view json_lines) {
  std::lock_guard lock(mutex_);
  if (broken_) return;
  if (!write_all(STDOUT_FILENO, json_lines)) broken_ = true;
}

}  // namespace logstream::cli
