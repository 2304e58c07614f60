// The extract actor: the hot path. One batch per read, shared by every sink, no copy per line.
#include "actors/extract_actor.hpp"

#include "actors/stream_context.hpp"

namespace logstream {

ExtractActor::ExtractActor(StreamContext& stream, Executor& executor, ExtractorOptions extraction,
                         std::shared_ptr<MetricStore> metrics,
                         std::vector<SinkActor*> sinks)
    : stream_(stream),
      inbox_(executor),
      extractor_(std::move(extraction), std::move(metrics)),
      sinks_(std::move(sinks)) {}

Task<> ExtractActor::run() {
  extractor_.start(start_);
  while (co_await inbox_.wait()) {
    while (auto message = inbox_.try_receive()) {
      if (!message->event) {
        deliver(std::move(message->batch), message->held_bytes);
      } else if (message->event->kind == EventKind::exited) {
        exit_ = std::move(message->event);  // after the end's progress: the last word
      } else {
        fan_out(message->event);
      }
    }
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
  if (exit_) fan_out(exit_);
}

void ExtractActor::deliver(LineBatch batch, std::size_t held_bytes) {
  if (batch.empty() && batch.raw().empty()) {
    stream_.release(held_bytes);
    return;
  }
  std::array<std::uint64_t, 2> counts{};
  bool changed = false;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Line line = batch[i];
    ++counts[static_cast<std::size_t>(line.source)];
    const bool progressed = extractor_.feed(line);
    if (const Level level = extractor_.level(); level != Level::none) batch.set_level(i, level);
    if (progressed) {
      changed = true;
      batch.add_progress(line.seq, extractor_.progress());
    }
    // Keys view the line's text, which the batch's metric arena does not touch.
    for (const MetricStore::Observation& o : extractor_.observations()) batch.add_metric(o.key, o.value, line.seq);
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
}

}  // namespace logstream
