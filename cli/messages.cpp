// Messages on stderr (see messages.hpp).
#include "messages.hpp"

#include <unistd.h>

#include <fmt/format.h>

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

std::string event_notice(const StreamEvent& event) {
  if (event.kind == EventKind::exited || event.kind == EventKind::gap) return {};
  if (event.kind != EventKind::alert || !event.alert) return event.message;
  const Alert& a = *event.alert;
  std::string text = fmt::format("alert {}: {}", a.rule, a.message);
  if (a.suppressed > 0) text += fmt::format(" ({} more suppressed)", a.suppressed);
  return text;
}

}  // namespace logstream::cli
