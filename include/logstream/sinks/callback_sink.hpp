// CallbackSink: calls a user function with each line, on a runtime worker thread.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include <logstream/export.hpp>
#include <logstream/sink.hpp>

namespace logstream {

using LineCallback = std::function<void(const Line&)>;

struct LOGSTREAM_API CallbackSinkOptions {
  bool include_transient = true;  ///< also call for CR progress states (flagged `transient`)
  OverflowPolicy overflow = OverflowPolicy::block;
  std::string name = "callback";
};

/// What a CallbackSink throws after a batch when the user function threw: every line of the
/// batch was still offered to the function. Reported as a `callback_error` event.
class LOGSTREAM_API CallbackError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Calls `callback(line)` for each line, in order, never concurrently. The Line's text is a
/// view valid during the call only.
class LOGSTREAM_API CallbackSink : public Sink {
public:
  explicit CallbackSink(LineCallback callback, CallbackSinkOptions options = {});

  void write(const LineBatch& batch) override;
  OverflowPolicy overflow() const override { return options_.overflow; }
  std::string name() const override { return options_.name; }

private:
  LineCallback callback_;
  CallbackSinkOptions options_;
};

}  // namespace logstream
