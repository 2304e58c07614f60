// ProgressCallbackSink: calls an on_progress_update subscriber with each progress change.
#pragma once

#include <functional>

#include <logstream/progress.hpp>
#include <logstream/sink.hpp>

namespace logstream {

/// Every change of every batch, in order, and the end (end_time set) last. A throwing function
/// is reported as a `callback_error` event (CallbackError) and keeps being called.
class ProgressCallbackSink final : public Sink {
public:
  explicit ProgressCallbackSink(std::function<void(const TrainingProgress&)> callback)
      : callback_(std::move(callback)) {}

  void write(const LineBatch& batch) override;
  std::string name() const override { return "on_progress_update"; }

private:
  std::function<void(const TrainingProgress&)> callback_;
};

}  // namespace logstream
