// CallbackSink: user code is untrusted, so each call is guarded and the batch goes on.
#include <logstream/sinks/callback_sink.hpp>

#include <exception>

#include <fmt/format.h>

namespace logstream {

CallbackSink::CallbackSink(LineCallback callback, CallbackSinkOptions options)
    : callback_(std::move(callback)), options_(std::move(options)) {}

void CallbackSink::write(const LineBatch& batch) {
  if (!callback_) return;
  std::size_t failures = 0;
  std::string first_error;
  for (const Line& line : batch) {
    if (line.transient && !options_.include_transient) continue;
    try {
      callback_(line);
    } catch (const std::exception& e) {
      if (failures++ == 0) first_error = fmt::format("line {}: {}", line.seq, e.what());
    } catch (...) {
      if (failures++ == 0) first_error = fmt::format("line {}: unknown exception", line.seq);
    }
  }
  if (failures > 0)
    throw CallbackError(fmt::format("{} threw {} time(s); first at {}", options_.name, failures, first_error));
}

}  // namespace logstream
