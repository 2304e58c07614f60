// OutputQueue: a bounded, blocking, multi-consumer queue of owned lines.
#include <logstream/output_queue.hpp>

#include <algorithm>

namespace logstream {

OutputQueue::OutputQueue(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void OutputQueue::write(const LineBatch& batch) {
  bool added = false;
  {
    std::lock_guard lock(mutex_);
    for (const Line& line : batch) {
      if (line.transient) continue;
      if (lines_.size() == capacity_) {
        lines_.pop_front();
        ++dropped_;
      }
      lines_.emplace_back(line);
      added = true;
    }
  }
  if (added) ready_.notify_all();
}

void OutputQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

std::optional<OwnedLine> OutputQueue::try_pop() {
  std::lock_guard lock(mutex_);
  if (lines_.empty()) return std::nullopt;
  OwnedLine line = std::move(lines_.front());
  lines_.pop_front();
  return line;
}

std::optional<OwnedLine> OutputQueue::pop(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock lock(mutex_);
  auto ready = [this] { return !lines_.empty() || closed_; };
  if (timeout) {
    if (!ready_.wait_for(lock, *timeout, ready)) return std::nullopt;
  } else {
    ready_.wait(lock, ready);
  }
  if (lines_.empty()) return std::nullopt;
  OwnedLine line = std::move(lines_.front());
  lines_.pop_front();
  return line;
}

std::size_t OutputQueue::size() const {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

bool OutputQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::uint64_t OutputQueue::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace logstream
