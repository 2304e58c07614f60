// OutputQueue: a bounded (lines and bytes), blocking, multi-consumer queue of owned lines.
#include <logstream/output_queue.hpp>

#include <algorithm>

namespace logstream {

OutputQueue::OutputQueue(std::size_t capacity, std::size_t max_bytes)
    : capacity_(std::max<std::size_t>(capacity, 1)), max_bytes_(max_bytes) {}

OutputQueue::~OutputQueue() {
  // Whoever drops the last reference, a consumer still inside pop() must get out first.
  std::unique_lock lock(mutex_);
  closed_ = true;
  ready_.notify_all();
  left_.wait(lock, [this] { return consumers_ == 0; });
}

void OutputQueue::write(const LineBatch& batch) {
  bool added = false;
  {
    std::lock_guard lock(mutex_);
    for (const Line& line : batch) {
      if (line.transient) continue;
      // The newest line always goes in, even alone past the byte bound (at most one line,
      // max_line_bytes, over it).
      while (!lines_.empty() && (lines_.size() >= capacity_ || bytes_ + line.text.size() > max_bytes_)) {
        bytes_ -= lines_.front().text.size();
        lines_.pop_front();
        ++dropped_;
      }
      lines_.emplace_back(line);
      bytes_ += line.text.size();
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
  bytes_ -= line.text.size();
  return line;
}

std::optional<OwnedLine> OutputQueue::pop(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock lock(mutex_);
  ++consumers_;
  auto ready = [this] { return !lines_.empty() || closed_; };
  bool got = true;
  if (timeout) {
    got = ready_.wait_for(lock, *timeout, ready);
  } else {
    ready_.wait(lock, ready);
  }
  std::optional<OwnedLine> line;
  if (got && !lines_.empty()) {
    line = std::move(lines_.front());
    lines_.pop_front();
    bytes_ -= line->text.size();
  }
  // Notified under the lock: once it is released, a destructor waiting for us may go on.
  if (--consumers_ == 0) left_.notify_all();
  return line;
}

std::size_t OutputQueue::size() const {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

std::size_t OutputQueue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
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
