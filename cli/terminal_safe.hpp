// The one sanitiser: every piece of child (or user) text that logstream writes where a terminal
// may read it (display, plain lines, status, notices, summary, replay) passes through here, so a
// child cannot move our cursor, retitle the window, clear the screen or reorder what we print.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace logstream::cli {

/// The rule: ESC sequences (CSI, OSC/DCS/APC/PM strings, two-byte ESC forms) are dropped; every
/// other C0 control but TAB, DEL, the C1 controls (U+0080-U+009F in UTF-8, and bytes 0x80-0x9F
/// that are not part of a valid UTF-8 sequence) and the bidi embeddings, overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069) become '?'. Everything else, invalid UTF-8 included, passes
/// unchanged.
void append_terminal_safe(std::string& out, std::string_view text);
std::string terminal_safe(std::string_view text);

/// terminal_safe, TAB too replaced by a space, cut to `max_columns` terminal columns with "..."
/// when longer: a one-line message (an error echoing a rules line, a notice).
std::string terminal_safe_line(std::string_view text, std::size_t max_columns = 300);

}  // namespace logstream::cli
