// The sanitiser (see terminal_safe.hpp).
#include "text/terminal_safe.hpp"

#include "text/utf8.hpp"

namespace logstream::text {
namespace {

constexpr char esc = '\x1b';
constexpr char bel = '\x07';

// Index just past the escape sequence starting at text[i] (an ESC).
std::size_t skip_escape(std::string_view text, std::size_t i) noexcept {
  if (i + 1 >= text.size()) return text.size();
  const char kind = text[i + 1];
  std::size_t j = i + 2;
  if (kind == '[') return csi_end(text, j);
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

// Code points a terminal acts on instead of drawing: C1 controls (0x9B is a CSI, 0x9D an OSC
// on terminals that take 8-bit controls) and the bidi controls that reorder what follows them.
bool is_forbidden(char32_t cp) noexcept {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

bool is_sgr(std::string_view sequence) noexcept {
  if (sequence.size() < 3 || sequence[0] != esc || sequence[1] != '[' || sequence.back() != 'm') return false;
  for (const char c : sequence.substr(2, sequence.size() - 3))
    if ((c < '0' || c > '9') && c != ';' && c != ':') return false;
  return true;
}

void append_terminal_safe(std::string& out, std::string_view text, Escapes escapes) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte >= 0x20 && byte < 0x7F) || byte == '\t') {  // the common case
      out += text[i++];
      continue;
    }
    if (byte == 0x1B && escapes != Escapes::mark) {
      const std::size_t end = skip_escape(text, i);
      if (escapes == Escapes::keep_sgr && is_sgr(text.substr(i, end - i))) out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (byte < 0x80) {  // C0 controls and DEL (and a marked ESC)
      out += '?';
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = utf8_sequence(text, i, cp);
    if (length == 0) {
      // Not UTF-8: a terminal in an 8-bit mode reads 0x80-0x9F as C1 controls.
      out += byte <= 0x9F ? '?' : text[i];
      ++i;
      continue;
    }
    if (is_forbidden(cp)) out += '?';
    else out.append(text.substr(i, length));
    i += length;
  }
}

std::string terminal_safe(std::string_view text, Escapes escapes) {
  std::string out;
  out.reserve(text.size());
  append_terminal_safe(out, text, escapes);
  return out;
}

}  // namespace logstream::text
