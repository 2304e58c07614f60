// Child text made safe for a terminal and measured in columns: what the display draws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace logstream::cli {

/// Drops ANSI escape sequences (CSI, OSC, two-byte ESC forms) and replaces every other control
/// byte but TAB with '?', so a child cannot move our cursor or recolour the panel.
void append_terminal_safe(std::string& out, std::string_view text);
std::string terminal_safe(std::string_view text);

/// Terminal columns `text` takes: wide characters (CJK, emoji) two, combining marks none, an
/// invalid byte one.
std::size_t columns(std::string_view text) noexcept;
/// The longest prefix of `text` that fits in `max_columns`, never cutting a code point.
std::string_view truncate_columns(std::string_view text, std::size_t max_columns) noexcept;

}  // namespace logstream::cli
