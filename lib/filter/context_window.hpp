// ContextWindow: grep's -B and -A over a stream of lines. The caller says which lines match;
// the window keeps the last `before` others (copies, in `Held`) and counts the `after` ones
// owed to the last match, so that each line is handed out once, in order.
#pragma once

#include <cstddef>
#include <deque>
#include <utility>

namespace logstream::filter {

template <typename Held>
class ContextWindow {
public:
  ContextWindow(std::size_t before, std::size_t after) : before_(before), after_(after) {}

  /// A match: hands `out` the held lines before it (oldest first), then owes it `after` lines.
  /// The caller hands out the match itself after this.
  template <typename Out>
  void matched(Out&& out) {
    for (const Held& held : held_) out(held);
    held_.clear();
    after_left_ = after_;
  }
  /// Not a match: whether it is the context after a match (the caller hands it out).
  bool owed() noexcept {
    if (after_left_ == 0) return false;
    --after_left_;
    return true;
  }
  /// Whether a line that is neither a match nor owed must be held (`before` > 0).
  bool holds() const noexcept { return before_ > 0; }
  /// Keeps a line that is neither for a later match, forgetting the oldest beyond `before`.
  void hold(Held held) {
    if (before_ == 0) return;
    if (held_.size() == before_) held_.pop_front();
    held_.push_back(std::move(held));
  }
  /// Forgets the held lines (they no longer precede the next line: a gap).
  void forget() noexcept { held_.clear(); }
  bool owes() const noexcept { return after_left_ > 0; }

private:
  std::size_t before_;
  std::size_t after_;
  std::size_t after_left_ = 0;
  std::deque<Held> held_;
};

}  // namespace logstream::filter
