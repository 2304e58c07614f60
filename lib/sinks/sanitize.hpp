// append_sanitized: makes a child's text safe to print on a terminal (the console sink's
// `sanitize` option). Internal; defined in lib/sinks/console_sink.cpp.
#pragma once

#include <string>
#include <string_view>

namespace logstream {

/// Replaces bytes a terminal would interpret (C0 controls but TAB, DEL, and so every ESC; C1
/// controls, as UTF-8 or as raw bytes; the bidi controls) with '?', so a child's output cannot
/// move the cursor, clear the screen, set the title or reorder the text. The logstream command
/// applies the same rule (lib/text/terminal_safe), but drops ESC sequences whole.
void append_sanitized(std::string& out, std::string_view text);

}  // namespace logstream
