// Column counting for the display (see text.hpp).
#include "text.hpp"

#include <locale.h>
#include <wchar.h>

#include "text/terminal_safe.hpp"
#include "text/utf8.hpp"

namespace logstream::cli {
namespace {

// Decodes one code point; a byte that starts no valid UTF-8 sequence counts as one (U+FFFD).
char32_t decode(std::string_view text, std::size_t& i) noexcept {
  char32_t cp = 0xFFFD;
  const std::size_t length = text::utf8_sequence(text, i, cp);
  i += length == 0 ? 1 : length;
  return length == 0 ? 0xFFFD : cp;
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
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      // Safe text keeps no escape but the child's colours (SGR), which take no cell.
      i = text::csi_end(text, i + 2);
      return 0;
    }
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
