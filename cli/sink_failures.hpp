// SinkFailures: the sink errors a run met, by sink name, so that the summary and the exit status
// can say what is incomplete (the log file, a metrics export). Fed from the stream's events.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/events.hpp>

namespace logstream::cli {

class SinkFailures {
public:
  /// Keeps the first sink_error of each sink; other events are ignored. Thread-safe.
  void record(const StreamEvent& event);
  /// The message of `sink`'s first error, if it failed. Thread-safe.
  std::optional<std::string> of(std::string_view sink) const;

private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> first_error_;
};

}  // namespace logstream::cli
