// The first pass over a line: which of the bytes the scanners key on does it contain? One
// vector pass answers for all of them, and each scanner then skips the lines that cannot hold
// its pattern instead of searching them for a keyword ("Position" needs a 'P').
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/char_class.hpp"

namespace logstream::extract {
namespace detail {

// A byte's class is low[byte & 15] & high[byte >> 4]. Exact because each class is one byte, or
// bytes with the same high nibble ('T' and 'P'): no mix of two members' nibbles is a third byte.
struct NibbleTables {
  std::array<std::uint8_t, 16> low{};
  std::array<std::uint8_t, 16> high{};
};
static constexpr NibbleTables line_byte_nibbles = [] {
  NibbleTables t;
  for (const LineByteMember& b : line_byte_members) {
    const auto byte = static_cast<unsigned char>(b.c);
    t.low[byte & 15] |= b.cls;
    t.high[byte >> 4] |= b.cls;
  }
  return t;
}();

inline std::uint8_t line_bytes_scalar(const char* p, std::size_t n) noexcept {
  unsigned mask = 0;
  for (std::size_t i = 0; i < n; ++i) mask |= line_byte_table[static_cast<unsigned char>(p[i])];
  return static_cast<std::uint8_t>(mask);
}

// Two table lookups per 16 bytes (pshufb): SSSE3, which every x86-64 CPU of the last fifteen
// years has, chosen at run time so that the build still targets baseline x86-64.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LOGSTREAM_LINE_BYTES_SSSE3 1
std::uint8_t line_bytes_ssse3(const char* p, std::size_t n) noexcept;  // n >= 16
bool cpu_has_ssse3() noexcept;
#endif

}  // namespace detail

/// The LineByte classes of the bytes in `text`.
inline std::uint8_t line_bytes(std::string_view text) noexcept {
#ifdef LOGSTREAM_LINE_BYTES_SSSE3
  static const bool vector = detail::cpu_has_ssse3();
  if (text.size() >= 16 && vector) return detail::line_bytes_ssse3(text.data(), text.size());
#endif
  return detail::line_bytes_scalar(text.data(), text.size());
}

/// True when `text` holds a byte some default pattern or metric token needs.
inline bool has_trigger_byte(std::string_view text) noexcept { return (line_bytes(text) & lb_triggers) != 0; }

}  // namespace logstream::extract
