// The one sanitiser: child (or user) text that logstream writes where a terminal may read it
// (the ConsoleSink, the command's display, plain lines, status, notices, summary, replay) passes
// through here, so a child cannot move the cursor, retitle the window, clear the screen or
// reorder what is printed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace logstream::text {

/// What becomes of an ESC sequence: dropped whole (the command's display, where a stray "[2J"
/// would only be noise), or its ESC shown as '?' and the rest kept (the ConsoleSink, so that
/// a log read on the console shows where a child tried to drive the terminal), or kept when
/// it only sets colours and attributes (SGR: ESC '[' digits ; : 'm') and dropped otherwise
/// (the terminal display with colour on: the child's colours, nothing that moves or retitles).
enum class Escapes { drop, mark, keep_sgr };

/// Whether `sequence` (a whole escape sequence) is an SGR: ESC '[', digits, ';' or ':', 'm'.
bool is_sgr(std::string_view sequence) noexcept;

/// The rule: ESC sequences (CSI, OSC/DCS/APC/PM strings, two-byte ESC forms) as `escapes` says;
/// every other C0 control but TAB, DEL, the C1 controls (U+0080-U+009F in UTF-8, and bytes
/// 0x80-0x9F that are not part of a valid UTF-8 sequence) and the bidi embeddings, overrides and
/// isolates (U+202A-U+202E, U+2066-U+2069) become '?'. Everything else, invalid UTF-8 included,
/// passes unchanged. Reentrant.
void append_terminal_safe(std::string& out, std::string_view text, Escapes escapes = Escapes::drop);
std::string terminal_safe(std::string_view text, Escapes escapes = Escapes::drop);

/// Index just past a CSI sequence (ESC '[' parameters, intermediates, one final byte 0x40-0x7E)
/// whose parameters start at text[from]; text.size() when it is cut off.
inline std::size_t csi_end(std::string_view text, std::size_t from) noexcept {
  std::size_t j = from;
  while (j < text.size() && (text[j] < 0x40 || text[j] > 0x7E)) ++j;
  return j < text.size() ? j + 1 : j;
}

}  // namespace logstream::text
