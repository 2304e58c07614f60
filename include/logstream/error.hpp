// Exceptions thrown by configuration and start-up (never while streaming: see events.hpp).
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

#include <logstream/export.hpp>

namespace logstream {

/// A failure with the OS error behind it: the message names the thing, code() is the error.
class LOGSTREAM_API CodedError : public std::runtime_error {
public:
  CodedError(std::error_code code, const std::string& what) : std::runtime_error(what), code_(code) {}
  const std::error_code& code() const noexcept { return code_; }

private:
  std::error_code code_;
};

/// start() could not start the stream: the message names the command (or fd) and the OS
/// error; code() is that error (ENOENT: not found, EACCES: not executable, EMFILE: no fds...).
class LOGSTREAM_API StartError : public CodedError {
public:
  using CodedError::CodedError;
};

/// A run store (run_store.hpp) could not be opened or written: the message names the path.
class LOGSTREAM_API StoreError : public CodedError {
public:
  using CodedError::CodedError;
};

/// A Streamer used out of order (start() twice, add_sink() after start()), or started with
/// options it cannot work with (max_inflight_bytes below two reads).
class LOGSTREAM_API UsageError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

/// A search or filter pattern that RE2 cannot compile: what() names it and gives RE2's message.
class LOGSTREAM_API PatternError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// An alert rule that does not parse (AlertRule::parse): what() names the rule and the reason.
class LOGSTREAM_API AlertRuleError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace logstream
