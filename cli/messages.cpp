// Messages on stderr (see messages.hpp).
#include "messages.hpp"

#include <unistd.h>

#include "terminal.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {

std::string message_line(std::string_view text) {
  std::string line = "logstream: ";
  line += terminal_safe_line(text);
  line += '\n';
  return line;
}

void say(std::string_view text) { write_all(STDERR_FILENO, message_line(text)); }

void say_within(std::string_view text, std::chrono::milliseconds timeout) {
  write_within(STDERR_FILENO, message_line(text), timeout);
}

}  // namespace logstream::cli
