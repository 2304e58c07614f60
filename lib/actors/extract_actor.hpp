// ExtractActor: runs extraction over each framed batch and fans the batch out to sinks.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include <logstream/alerts.hpp>
#include <logstream/events.hpp>
#include <logstream/extractor.hpp>

#include "actors/mailbox.hpp"
#include "actors/sink_actor.hpp"
#include "actors/task.hpp"

namespace logstream {

class AlertEngine;
class StreamContext;

/// What the reader side sends: the lines framed from one read (or a source's last line at its
/// end) and the bytes of pipe buffer they hold, released when the last sink lets go; or, with
/// `event` set, a stream event for every sink at this place among the batches.
struct ReadMessage {
  LineBatch batch;
  std::size_t held_bytes = 0;
  std::shared_ptr<const StreamEvent> event;
  bool tick = false;  ///< the clock moved: time-based alert rules (stall) may fire
};

class ExtractActor {
public:
  ExtractActor(StreamContext& stream, Executor& executor, ExtractorOptions extraction,
              std::shared_ptr<MetricStore> metrics, std::vector<SinkActor*> sinks, AlertOptions alerts);
  ~ExtractActor();

  Mailbox<ReadMessage>& inbox() noexcept { return inbox_; }
  void set_start(std::chrono::steady_clock::time_point start) { start_ = start; }
  /// Lines parsed so far from `source` (any thread).
  std::uint64_t lines(Source source) const noexcept {
    return lines_[static_cast<std::size_t>(source)].load(std::memory_order_relaxed);
  }
  /// Alerts sent and held back so far (any thread).
  std::uint64_t alerts() const noexcept { return alerts_fired_.load(std::memory_order_relaxed); }
  std::uint64_t suppressed_alerts() const noexcept { return alerts_suppressed_.load(std::memory_order_relaxed); }
  Task<> run();

private:
  void deliver(LineBatch batch, std::size_t held_bytes);
  void deliver_end();
  void fan_out(const std::shared_ptr<const StreamEvent>& event);
  void send_alerts(bool all);

  StreamContext& stream_;
  Mailbox<ReadMessage> inbox_;
  ProgressExtractor extractor_;
  std::vector<SinkActor*> sinks_;
  std::chrono::steady_clock::time_point start_{};
  std::array<std::atomic<std::uint64_t>, 2> lines_{};
  std::uint64_t last_seq_ = 0;
  std::shared_ptr<const StreamEvent> exit_;  // held until the end's progress went out
  AlertOptions alert_options_;
  std::unique_ptr<AlertEngine> alerts_;  // null without rules: the hot path asks nothing
  std::vector<Alert> ready_alerts_;
  std::atomic<std::uint64_t> alerts_fired_{0};
  std::atomic<std::uint64_t> alerts_suppressed_{0};
};

}  // namespace logstream
