// Byte classes for the scanners, one table lookup per byte: the hot loops walk every line byte by
// byte, and a chain of comparisons per byte cost more than the rest of their work.
#pragma once

#include <array>
#include <cstdint>

namespace logstream::extract {

enum CharClass : std::uint8_t {
  cc_digit = 1 << 0,
  cc_alpha = 1 << 1,
  cc_key = 1 << 2,        // may appear in a metric key: [A-Za-z0-9_./-]
  cc_key_start = 1 << 3,  // may start a metric key: [A-Za-z_]
  cc_separator = 1 << 4,  // '=' or ':', where a metric token may be
};

// static: each file its own copy, read PC-relative (a shared library reads an inline variable
// through the GOT, one more load in the hottest loops).
static constexpr std::array<std::uint8_t, 256> char_classes = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] |= cc_digit | cc_key;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= cc_alpha | cc_key | cc_key_start;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= cc_alpha | cc_key | cc_key_start;
  for (unsigned char c : {'_', '.', '/', '-'}) table[c] |= cc_key;
  table['_'] |= cc_key_start;
  table['='] |= cc_separator;
  table[':'] |= cc_separator;
  return table;
}();

inline bool has_class(char c, std::uint8_t classes) noexcept {
  return (char_classes[static_cast<unsigned char>(c)] & classes) != 0;
}

}  // namespace logstream::extract
