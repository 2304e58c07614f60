// Strand: at most one drain is scheduled at a time; it runs items until the queue is empty.
#include "runtime/strand.hpp"

namespace logstream {

void Strand::post(std::function<void()> fn, std::shared_ptr<const void> owner) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(fn));
    if (scheduled_) return;  // the running drain will find it
    scheduled_ = true;
  }
  executor_.post([this, owner = std::move(owner)] { drain(); });
}

void Strand::drain() {
  for (;;) {
    std::function<void()> fn;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        scheduled_ = false;
        return;
      }
      fn = std::move(queue_.front());
      queue_.pop_front();
    }
    fn();
  }
}

}  // namespace logstream
