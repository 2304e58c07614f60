// EventRecorder: an on_event callback that keeps every event, for tests that ask afterwards
// which events came and how many of a kind.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <vector>

#include <logstream/events.hpp>
#include <logstream/sink.hpp>
#include <logstream/streamer.hpp>

namespace logstream::test {

/// Thread-safe: the stream calls it from its own threads while the test reads.
struct EventRecorder {
  std::mutex mutex;
  std::vector<StreamEvent> all;

  void operator()(const StreamEvent& e) {
    std::lock_guard lock(mutex);
    all.push_back(e);
  }
  std::vector<StreamEvent> of(EventKind kind) {
    std::lock_guard lock(mutex);
    std::vector<StreamEvent> out;
    for (auto& e : all)
      if (e.kind == kind) out.push_back(e);
    return out;
  }
  std::size_t count(EventKind kind) {
    std::lock_guard lock(mutex);
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](auto& e) { return e.kind == kind; }));
  }
};

/// Adds `sinks` to `s`, records its events in `events`, and starts it.
inline void start_recorded(Streamer& s, EventRecorder& events, std::initializer_list<std::shared_ptr<Sink>> sinks) {
  for (const auto& sink : sinks) s.add_sink(sink);
  s.on_event = std::ref(events);
  s.start();
}

}  // namespace logstream::test
