// The command's side of the one sanitiser (lib/text/terminal_safe.hpp): every piece of child (or
// user) text that logstream prints passes through it, ESC sequences dropped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "text/terminal_safe.hpp"

namespace logstream::cli {

using text::append_terminal_safe;
using text::terminal_safe;

/// terminal_safe, TAB too replaced by a space, cut to `max_columns` terminal columns with "..."
/// when longer: a one-line message (an error echoing a rules line, a notice).
std::string terminal_safe_line(std::string_view text, std::size_t max_columns = 300);

}  // namespace logstream::cli
