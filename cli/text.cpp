// Escape stripping and column counting for the display (see text.hpp).
#include "text.hpp"

#include <locale.h>
#include <wchar.h>

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

// Decodes one UTF-8 code point; invalid or truncated sequences count as one byte.
char32_t decode(std::string_view text, std::size_t& i) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if (!is_continuation(text[i + k])) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  i += length;
  return cp;
}

// Terminal cells per code point, from the C library's wcwidth under a UTF-8 locale whatever the
// process locale is: CJK and emoji take two cells, combining marks none. Without a UTF-8 locale
// on the system every code point takes one cell.
class CellWidths {
public:
  CellWidths() noexcept : previous_(utf8() ? uselocale(utf8()) : nullptr) {}
  ~CellWidths() {
    if (previous_) uselocale(previous_);
  }
  CellWidths(const CellWidths&) = delete;
  CellWidths& operator=(const CellWidths&) = delete;

  /// Cells of the code point at text[i]; advances i past it.
  std::size_t next(std::string_view text, std::size_t& i) const noexcept {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // the common case, no call
      ++i;
      return 1;
    }
    const char32_t cp = decode(text, i);
    if (!previous_) return 1;
    const int w = ::wcwidth(static_cast<wchar_t>(cp));
    return w < 0 ? 1 : static_cast<std::size_t>(w);
  }

private:
  static locale_t utf8() noexcept {
    static const locale_t locale = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return locale;
  }
  locale_t previous_;
};

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
  const CellWidths widths;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) n += widths.next(text, i);
  return n;
}

std::string_view truncate_columns(std::string_view text, std::size_t max_columns) noexcept {
  const CellWidths widths;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    n += widths.next(text, i);
    if (n > max_columns) return text.substr(0, start);
  }
  return text;
}

}  // namespace logstream::cli
