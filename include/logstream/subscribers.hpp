// Subscribers: the functions a Streamer calls for one kind of news (lines, progress, events, the end).
#pragma once

#include <atomic>
#include <functional>
#include <utility>
#include <vector>

#include <logstream/export.hpp>

namespace logstream {

/// Throws UsageError naming `what`: a subscriber was added after start().
[[noreturn]] LOGSTREAM_API void throw_subscribed_after_start(const char* what);

/// A list of functions, called in the order they were added. `s.on_event = f` replaces the list
/// with `f` (assigning an empty function clears it); `s.on_event += f` adds `f` beside the
/// others. Both are for before start(): after it they throw UsageError, as add_sink() does,
/// and change nothing. Not thread-safe: subscribe on the thread that calls start().
template <typename Signature>
class Subscribers;

template <typename... Args>
class Subscribers<void(Args...)> {
public:
  using Function = std::function<void(Args...)>;

  Subscribers(const std::atomic<bool>& started, const char* what) : started_(started), what_(what) {}
  Subscribers(const Subscribers&) = delete;

  Subscribers& operator=(Function f) {
    check();
    functions_.clear();
    if (f) functions_.push_back(std::move(f));
    return *this;
  }
  Subscribers& operator+=(Function f) {
    check();
    if (f) functions_.push_back(std::move(f));
    return *this;
  }

  explicit operator bool() const noexcept { return !functions_.empty(); }
  std::size_t size() const noexcept { return functions_.size(); }
  const std::vector<Function>& functions() const noexcept { return functions_; }

private:
  void check() const {
    if (started_.load(std::memory_order_acquire)) throw_subscribed_after_start(what_);
  }

  const std::atomic<bool>& started_;
  const char* what_;
  std::vector<Function> functions_;
};

}  // namespace logstream
