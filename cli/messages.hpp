// logstream's own one-line messages on stderr ("logstream: ..."), made terminal-safe: they may
// carry the child's or the user's text (a rules line, a path, an event message).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <logstream/events.hpp>

namespace logstream::cli {

/// "logstream: TEXT\n", TEXT sanitised and cut to one line.
std::string message_line(std::string_view text);
/// Writes message_line(text) to stderr, waiting as long as stderr takes.
void say(std::string_view text);
/// The same, but drops the message when stderr does not take it within `timeout` (a pipe
/// nobody reads): for threads that must stay responsive, such as the signal thread.
void say_within(std::string_view text, std::chrono::milliseconds timeout = std::chrono::milliseconds(200));

/// What a display says of a stream event: "alert RULE: MESSAGE" for an alert, the message of
/// an error; empty for what it shows otherwise (the exit, a gap).
std::string event_notice(const StreamEvent& event);

}  // namespace logstream::cli
