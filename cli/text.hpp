// Text measured and cut in terminal columns: what the display draws (made safe first, by
// terminal_safe.hpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace logstream::cli {

/// Terminal columns `text` takes: wide characters (CJK, emoji) two, combining marks none, an
/// invalid byte one, a CSI sequence (the SGR colours that safe text keeps) none.
std::size_t columns(std::string_view text) noexcept;
/// The longest prefix of `text` that fits in `max_columns`, never cutting a code point or a
/// colour sequence.
std::string_view truncate_columns(std::string_view text, std::size_t max_columns) noexcept;

}  // namespace logstream::cli
