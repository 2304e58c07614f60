// Escape stripping and column counting for the display (see text.hpp).
#include "text.hpp"

#include <logstream/sinks/console_sink.hpp>

namespace logstream::cli {
namespace {

constexpr char esc = '\x1b';
constexpr char bel = '\x07';

bool is_continuation(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Index just past the escape sequence starting at text[i] (an ESC).
std::size_t skip_escape(std::string_view text, std::size_t i) noexcept {
  if (i + 1 >= text.size()) return text.size();
  const char kind = text[i + 1];
  std::size_t j = i + 2;
  if (kind == '[') {  // CSI: parameters and intermediates, then one final byte 0x40-0x7E
    while (j < text.size() && (text[j] < 0x40 || text[j] > 0x7E)) ++j;
    return j < text.size() ? j + 1 : j;
  }
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {  // strings end at BEL or ESC '\'
    while (j < text.size()) {
      if (text[j] == bel) return j + 1;
      if (text[j] == esc && j + 1 < text.size() && text[j + 1] == '\\') return j + 2;
      ++j;
    }
    return j;
  }
  return i + 2;  // ESC plus one byte (ESC 7, ESC =, ...)
}

}  // namespace

void append_terminal_safe(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t next_esc = text.find(esc, i);
    const std::size_t end = next_esc == std::string_view::npos ? text.size() : next_esc;
    append_sanitized(out, text.substr(i, end - i));
    if (end == text.size()) break;
    i = skip_escape(text, end);
  }
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_terminal_safe(out, text);
  return out;
}

std::size_t columns(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text)
    if (!is_continuation(c)) ++n;
  return n;
}

std::string_view truncate_columns(std::string_view text, std::size_t max_columns) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_continuation(text[i])) continue;
    if (n == max_columns) return text.substr(0, i);
    ++n;
  }
  return text;
}

}  // namespace logstream::cli
