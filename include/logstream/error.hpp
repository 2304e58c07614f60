// Exceptions thrown by configuration and start-up (never while streaming: see events.hpp).
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace logstream {

/// start() could not start the stream: the message names the command (or fd) and the OS error.
class StartError : public std::system_error {
public:
  StartError(std::error_code code, const std::string& what) : std::system_error(code, what) {}
};

/// A Streamer used out of order (start() twice, add_sink() after start()).
class UsageError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

}  // namespace logstream
