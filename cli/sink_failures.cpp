// SinkFailures (see sink_failures.hpp).
#include "sink_failures.hpp"

namespace logstream::cli {

void SinkFailures::record(const StreamEvent& event) {
  if (event.kind != EventKind::sink_error) return;
  std::lock_guard lock(mutex_);
  first_error_.try_emplace(event.sink, event.message);
}

std::optional<std::string> SinkFailures::of(std::string_view sink) const {
  std::lock_guard lock(mutex_);
  const auto found = first_error_.find(sink);
  if (found == first_error_.end()) return std::nullopt;
  return found->second;
}

}  // namespace logstream::cli
