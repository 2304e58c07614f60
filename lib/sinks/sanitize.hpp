// append_sanitized: makes a child's text safe to print on a terminal (the console sink's
// `sanitize` option). Internal; defined in lib/sinks/console_sink.cpp.
#pragma once

#include <string>
#include <string_view>

namespace logstream {

/// Replaces bytes a terminal would interpret (C0 controls but TAB, DEL, and so every ESC)
/// with '?', so a child's output cannot move the cursor, clear the screen or set the title.
void append_sanitized(std::string& out, std::string_view text);

}  // namespace logstream
