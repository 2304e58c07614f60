// ProgressCallbackSink: user code is untrusted, so each call is guarded and the batch goes on.
#include "sinks/progress_callback_sink.hpp"

#include <exception>
#include <string>

#include <fmt/format.h>

#include <logstream/sinks/callback_sink.hpp>

namespace logstream {

void ProgressCallbackSink::write(const LineBatch& batch) {
  std::size_t failures = 0;
  std::string first_error;
  for (const ProgressChange& change : batch.progress_changes()) {
    try {
      callback_(change.progress);
    } catch (const std::exception& e) {
      if (failures++ == 0) first_error = e.what();
    } catch (...) {
      if (failures++ == 0) first_error = "unknown exception";
    }
  }
  if (failures == 1) throw CallbackError(fmt::format("on_progress_update threw: {}", first_error));
  if (failures > 1)
    throw CallbackError(fmt::format("on_progress_update threw {} times; first: {}", failures, first_error));
}

}  // namespace logstream
