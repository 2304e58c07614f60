// TransientThrottle (see transient_throttle.hpp).
#include "transient_throttle.hpp"

namespace logstream::cli {

TransientThrottle::TransientThrottle(std::chrono::milliseconds interval) : interval_(interval) {}

void TransientThrottle::emit_held(const Emit& emit) {
  if (!held_) return;
  emit(*held_);
  last_written_[static_cast<std::size_t>(held_->source)] = held_->arrival;
  held_.reset();
  owned_.reset();
}

void TransientThrottle::take(const Line& line, const Emit& emit) {
  if (held_ && held_->source != line.source) emit_held(emit);
  if (!line.transient) {
    held_.reset();  // replaced by its own committed line
    owned_.reset();
    emit(line);
    return;
  }
  auto& last = last_written_[static_cast<std::size_t>(line.source)];
  if (!last || line.arrival - *last >= interval_) {
    held_.reset();
    owned_.reset();
    emit(line);
    last = line.arrival;
    return;
  }
  held_ = line;  // supersedes the state held before, if any
  owned_.reset();
}

void TransientThrottle::end_batch() {
  if (!held_ || owned_) return;
  owned_.emplace(*held_);
  held_ = owned_->view();
}

void TransientThrottle::finish(const Emit& emit) { emit_held(emit); }

}  // namespace logstream::cli
