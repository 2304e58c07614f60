// Strict UTF-8 decoding, shared by the sanitiser and the command's column counter, so that both
// agree on where a character starts and ends.
#pragma once

#include <cstddef>
#include <string_view>

namespace logstream::text {

/// Length of the valid UTF-8 sequence starting at text[i] (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF); 0 when the byte there starts none. On success `cp` is
/// the code point.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& cp) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;  // the second byte's range; narrower after some lead bytes
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong otherwise
    if (lead == 0xED) high = 0x9F;  // surrogates otherwise
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong otherwise
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF otherwise
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(1) < low || byte(1) > high) return 0;
  char32_t value = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(k) & 0x3F);
  }
  cp = value;
  return length;
}

}  // namespace logstream::text
