// Exit status mapping (see exit_status.hpp).
#include "exit_status.hpp"

#include <cerrno>

namespace logstream::cli {

int status_of(const ExitStatus& exit) noexcept {
  if (exit.term_signal) return 128 + *exit.term_signal;
  return exit.exit_code.value_or(0);
}

int status_of_start_error(const std::error_code& code) noexcept {
  // The library reports libuv's errors as positive errno values in the generic category.
  if (code.value() == ENOENT) return not_found_status;
  return not_executable_status;
}

}  // namespace logstream::cli
