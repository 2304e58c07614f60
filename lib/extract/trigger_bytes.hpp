// The first, cheapest test on the hot path: does a line contain any byte that some default
// pattern or metric token needs? Most log lines do not, and leave after this check alone.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace logstream::extract {

// Every default pattern needs one of these: '/' (Position 1/6, Trial 1/15), '=' (=== model ===,
// Score=, key=value), ':' (Score:, key: value, Optuna), '%' (tqdm bars), '[' ([BEST], tqdm
// without total), 'B' (NEW BEST).
inline constexpr std::array<char, 6> trigger_bytes = {'/', '=', ':', '%', '[', 'B'};

namespace detail {

inline constexpr std::array<bool, 256> trigger_table = [] {
  std::array<bool, 256> table{};
  for (char c : trigger_bytes) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

}  // namespace detail

/// True when `text` holds a trigger byte. Compares 16 bytes per step with the compiler's
/// portable vector extension (SSE2/NEON code), then finishes the tail with a table.
inline bool has_trigger_byte(std::string_view text) noexcept {
  const char* p = text.data();
  std::size_t n = text.size();
#if defined(__GNUC__) || defined(__clang__)
  using Bytes = unsigned char __attribute__((vector_size(16)));
  while (n >= 16) {
    Bytes v;
    std::memcpy(&v, p, sizeof v);
    const Bytes zero{};
    auto hit = (v == zero + '/') | (v == zero + '=') | (v == zero + ':') | (v == zero + '%') |
               (v == zero + '[') | (v == zero + 'B');
    std::uint64_t lanes[2];
    std::memcpy(lanes, &hit, sizeof lanes);
    if ((lanes[0] | lanes[1]) != 0) return true;
    p += 16;
    n -= 16;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) {
    if (detail::trigger_table[static_cast<unsigned char>(p[i])]) return true;
  }
  return false;
}

}  // namespace logstream::extract
