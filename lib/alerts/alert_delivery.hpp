// AlertDelivery: the sink that hands each alert event to the channels, on a thread of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <logstream/alerts.hpp>
#include <logstream/sink.hpp>

namespace logstream::alerts {

/// Lossless and never slow: on_event() only queues. The thread delivers the alerts in order,
/// each to every channel with retries; a channel that keeps failing is reported through
/// `report` (a notify_error event). close() waits for the queue to empty, for at most as long
/// as one alert takes with every try on every channel; what is left then is reported as not
/// delivered.
class AlertDelivery final : public Sink {
public:
  AlertDelivery(AlertChannels channels, std::function<void(StreamEvent)> report);
  ~AlertDelivery() override;

  void open() override;
  void write(const LineBatch&) override {}
  void on_event(const StreamEvent& event) override;
  void close() override;
  std::string name() const override { return "alerts"; }

private:
  void run();
  void deliver(const Alert& alert);
  // One channel, with retries; the reason of the last failure, or nullopt once delivered.
  std::optional<std::string> attempt(const std::function<std::optional<std::string>()>& send);
  std::chrono::milliseconds one_alert_at_most() const;
  bool past_deadline() const;

  AlertChannels channels_;
  std::function<void(StreamEvent)> report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<const Alert>> queue_;
  bool closing_ = false;
  std::chrono::steady_clock::time_point deadline_{};
  std::thread thread_;
};

}  // namespace logstream::alerts
