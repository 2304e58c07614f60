// The extract actor: the hot path. One batch per read, shared by every sink, no copy per line.
#include "actors/extract_actor.hpp"

#include "actors/stream_context.hpp"
#include "alerts/alert_engine.hpp"

namespace logstream {

ExtractActor::ExtractActor(StreamContext& stream, Executor& executor, ExtractorOptions extraction,
                         std::shared_ptr<MetricStore> metrics,
                         std::vector<SinkActor*> sinks, AlertOptions alerts)
    : stream_(stream),
      inbox_(executor),
      extractor_(std::move(extraction), std::move(metrics)),
      sinks_(std::move(sinks)),
      alert_options_(std::move(alerts)) {}

ExtractActor::~ExtractActor() = default;

Task<> ExtractActor::run() {
  extractor_.start(start_);
  if (!alert_options_.rules.empty()) {
    alerts_ = std::make_unique<AlertEngine>(std::move(alert_options_), start_);
    alerts_->set_initial_best(extractor_.progress().best_score);
  }
  while (co_await inbox_.wait()) {
    while (auto message = inbox_.try_receive()) {
      if (message->tick) {
        if (alerts_) alerts_->tick(std::chrono::steady_clock::now());
      } else if (!message->event) {
        deliver(std::move(message->batch), message->held_bytes);
      } else if (message->event->kind == EventKind::exited) {
        exit_ = std::move(message->event);  // after the end's progress: the last word
      } else {
        fan_out(message->event);
      }
    }
    // The stream paused: an alert waiting for the lines after its match goes with what it has.
    if (alerts_) send_alerts(true);
  }
  deliver_end();
  for (SinkActor* sink : sinks_) sink->close();
  stream_.actor_done();
}

void ExtractActor::fan_out(const std::shared_ptr<const StreamEvent>& event) {
  for (SinkActor* sink : sinks_) sink->send_event(event);
}

void ExtractActor::deliver_end() {
  // The end is a progress change too (end_time): a batch without lines that carries it,
  // placed after the last line, then the exit.
  extractor_.finish(std::chrono::steady_clock::now());
  stream_.progress_changed(extractor_.progress());
  LineBatch end;
  end.first_seq_ = last_seq_ + 1;
  end.add_progress(last_seq_, extractor_.progress());
  auto batch = std::make_shared<const LineBatch>(std::move(end));
  for (SinkActor* sink : sinks_) sink->send(batch);
  if (alerts_) {
    if (exit_) alerts_->exited(*exit_, std::chrono::steady_clock::now());
    send_alerts(true);
  }
  if (exit_) fan_out(exit_);
}

void ExtractActor::send_alerts(bool all) {
  alerts_->take(ready_alerts_, all);
  alerts_fired_.store(alerts_->fired(), std::memory_order_relaxed);
  alerts_suppressed_.store(alerts_->suppressed(), std::memory_order_relaxed);
  for (Alert& alert : ready_alerts_) {
    StreamEvent event{.kind = EventKind::alert, .message = alert.message};
    event.alert = std::make_shared<const Alert>(std::move(alert));
    fan_out(std::make_shared<const StreamEvent>(event));
    stream_.tell_subscribers(std::move(event));
  }
  ready_alerts_.clear();
}

void ExtractActor::deliver(LineBatch batch, std::size_t held_bytes) {
  if (batch.empty() && batch.raw().empty()) {
    stream_.release(held_bytes);
    return;
  }
  std::array<std::uint64_t, 2> counts{};
  bool changed = false;
  const auto now = alerts_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Line line = batch[i];
    ++counts[static_cast<std::size_t>(line.source)];
    const bool progressed = extractor_.feed(line);
    const Level level = extractor_.level();
    if (level != Level::none) batch.set_level(i, level);
    if (progressed) {
      changed = true;
      batch.add_progress(line.seq, extractor_.progress());
    }
    // Keys view the line's text, which the batch's metric arena does not touch.
    for (const MetricStore::Observation& o : extractor_.observations()) batch.add_metric(o.key, o.value, line.seq);
    if (alerts_) alerts_->line(line, level, extractor_.observations(), progressed ? &extractor_.progress() : nullptr, now);
  }
  if (!batch.empty()) last_seq_ = batch.last_seq();
  // Queries see the state after each batch; sinks see every change, in the batch.
  if (changed) stream_.progress_changed(extractor_.progress());
  for (std::size_t s = 0; s < counts.size(); ++s)
    if (counts[s]) lines_[s].fetch_add(counts[s], std::memory_order_relaxed);
  // In-flight bytes are the bytes read from the pipe: they are released when the last sink
  // lets go of the batch that holds them.
  // The budget is held by the lossless sinks only: a drop_oldest sink gets the bare batch, so
  // however many it queues (bounded by drop_queue_bytes) it never holds back reading.
  struct Budget {
    Budget(std::shared_ptr<const LineBatch> b, StreamContext* s, std::size_t n) : batch(std::move(b)), stream(s), bytes(n) {}
    Budget(const Budget&) = delete;
    Budget& operator=(const Budget&) = delete;
    ~Budget() { stream->release(bytes); }
    std::shared_ptr<const LineBatch> batch;
    StreamContext* stream;
    std::size_t bytes;
  };
  auto bare = std::make_shared<const LineBatch>(std::move(batch));
  auto budget = std::make_shared<Budget>(bare, &stream_, held_bytes);
  BatchPtr shared(budget, bare.get());
  // Running sinks inline saves a thread hop per batch (latency) but serialises them with
  // extraction: worth it only when no further chunk waits for the extract actor.
  const bool idle = inbox_.size() == 0;
  for (SinkActor* sink : sinks_) sink->send(sink->lossy() ? bare : shared, idle);
  // After the batch that holds their lines; one still gathering context waits for the pause.
  if (alerts_) send_alerts(false);
}

}  // namespace logstream
