// The first pass over a line: which of the bytes the scanners key on does it contain? One
// vector pass answers for all of them, and each scanner then skips the lines that cannot hold
// its pattern instead of searching them for a keyword ("Position" needs a 'P').
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace logstream::extract {

enum LineByte : std::uint16_t {
  lb_slash = 1 << 0,    // Position 1/6, Trial 1/15, tqdm's n/total and rate unit
  lb_equals = 1 << 1,   // === model ===, Score=, key=value
  lb_colon = 1 << 2,    // Score:, key: value, Optuna, tqdm's times
  lb_percent = 1 << 3,  // tqdm's percentage
  lb_bracket = 1 << 4,  // [BEST], tqdm's stats
  lb_B = 1 << 5,        // [BEST], NEW BEST
  lb_pipe = 1 << 6,     // tqdm's bar
  lb_T = 1 << 7,        // Trial
  lb_P = 1 << 8,        // Position
};

/// Every default pattern and metric token needs one of these.
inline constexpr std::uint16_t lb_triggers = lb_slash | lb_equals | lb_colon | lb_percent | lb_bracket | lb_B;

namespace detail {

inline constexpr std::array<char, 9> line_byte_chars = {'/', '=', ':', '%', '[', 'B', '|', 'T', 'P'};

static constexpr std::array<std::uint16_t, 256> line_byte_table = [] {  // static: see char_class.hpp
  std::array<std::uint16_t, 256> table{};
  for (std::size_t i = 0; i < line_byte_chars.size(); ++i)
    table[static_cast<unsigned char>(line_byte_chars[i])] = static_cast<std::uint16_t>(1u << i);
  return table;
}();

}  // namespace detail

/// The LineByte flags of the bytes in `text`. Lines of 16 bytes and more are read 16 bytes at
/// a time with the compiler's portable vector extension (SSE2/NEON code); the last block
/// overlaps the one before it, which a presence test does not mind.
inline std::uint16_t line_bytes(std::string_view text) noexcept {
  const char* const p = text.data();
  const std::size_t n = text.size();
#if defined(__GNUC__) || defined(__clang__)
  if (n >= 16) {
    using Bytes = unsigned char __attribute__((vector_size(16)));
    const Bytes zero{};
    Bytes seen[detail::line_byte_chars.size()] = {};
    auto scan_block = [&](const char* at) {
      Bytes v;
      std::memcpy(&v, at, sizeof v);
      for (std::size_t k = 0; k < detail::line_byte_chars.size(); ++k)
        seen[k] |= (v == zero + static_cast<unsigned char>(detail::line_byte_chars[k]));
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) scan_block(p + i);
    if (i < n) scan_block(p + n - 16);
    unsigned mask = 0;
    for (std::size_t k = 0; k < detail::line_byte_chars.size(); ++k) {
#if defined(__SSE2__)
      const unsigned any = __builtin_ia32_pmovmskb128(reinterpret_cast<__v16qi>(seen[k])) != 0;
#else
      std::uint64_t lanes[2];
      std::memcpy(lanes, &seen[k], sizeof lanes);
      const unsigned any = (lanes[0] | lanes[1]) != 0;
#endif
      mask |= any << k;  // no branch: which bytes a line holds is anyone's guess
    }
    return static_cast<std::uint16_t>(mask);
  }
#endif
  std::uint16_t mask = 0;
  for (std::size_t i = 0; i < n; ++i) mask = static_cast<std::uint16_t>(mask | detail::line_byte_table[static_cast<unsigned char>(p[i])]);
  return mask;
}

/// True when `text` holds a byte some default pattern or metric token needs.
inline bool has_trigger_byte(std::string_view text) noexcept { return (line_bytes(text) & lb_triggers) != 0; }

}  // namespace logstream::extract
