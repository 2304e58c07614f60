// Completion: whichever part finishes last queues on_complete behind the stream's events.
#include "actors/completion.hpp"

#include <fmt/format.h>

namespace logstream {

Completion::Completion(RuntimeImpl& runtime, Strand& callbacks, std::vector<std::function<void()>> on_complete,
                       std::function<void(const StreamEvent&)> on_error)
    : runtime_(runtime), callbacks_(callbacks), on_complete_(std::move(on_complete)), on_error_(std::move(on_error)) {}

void Completion::complete(std::shared_ptr<const void> owner) {
  // Whichever actor (or the loop) finishes last: on_complete goes behind every event on the
  // strand, so it never runs on the I/O thread and comes after every event and line.
  callbacks_.post([this] { complete_on_strand(); }, std::move(owner));
}

void Completion::complete_on_strand() {
  for (auto& on_complete : on_complete_) {
    try {
      on_complete();
    } catch (const std::exception& e) {
      on_error_(StreamEvent{.kind = EventKind::callback_error, .message = fmt::format("on_complete threw: {}", e.what())});
    } catch (...) {
      on_error_(StreamEvent{.kind = EventKind::callback_error, .message = "on_complete threw"});
    }
  }
  RuntimeImpl& runtime = runtime_;
  mark_done();
  // The runtime counts this stream until the loop has run this: it outlives the post, and a
  // host loop is held (kept running) until then.
  runtime.loop_executor().post([&runtime] {
    runtime.loop_executor().release();
    runtime.stream_ended();
  });
}

void Completion::mark_done() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
}

bool Completion::wait(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock lock(mutex_);
  if (done_) return true;
  // Waiting on the thread that must do the work would never end.
  if (runtime_.on_runtime_thread()) return false;
  if (!timeout) {
    done_cv_.wait(lock, [this] { return done_; });
    return true;
  }
  return done_cv_.wait_for(lock, *timeout, [this] { return done_; });
}

bool Completion::is_done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

}  // namespace logstream
