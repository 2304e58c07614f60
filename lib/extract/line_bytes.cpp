// The vector pass of line_bytes (see the header).
#include "extract/line_bytes.hpp"

#ifdef LOGSTREAM_LINE_BYTES_SSSE3
#include <tmmintrin.h>

#include <cstring>

namespace logstream::extract::detail {

bool cpu_has_ssse3() noexcept { return __builtin_cpu_supports("ssse3"); }

__attribute__((target("ssse3"))) std::uint8_t line_bytes_ssse3(const char* p, std::size_t n) noexcept {
  __m128i low_table;
  __m128i high_table;
  std::memcpy(&low_table, line_byte_nibbles.low.data(), sizeof low_table);
  std::memcpy(&high_table, line_byte_nibbles.high.data(), sizeof high_table);
  const __m128i nibble = _mm_set1_epi8(0x0f);
  __m128i seen = _mm_setzero_si128();
  // Blocks of 16; the last one overlaps the one before it, which a presence test does not mind.
  const std::size_t blocks = (n + 15) / 16;
  for (std::size_t b = 0; b < blocks; ++b) {
    const char* at = b + 1 < blocks ? p + b * 16 : p + n - 16;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i low = _mm_shuffle_epi8(low_table, _mm_and_si128(v, nibble));
    // pshufb reads bit 7 of the index as "zero": masking the shifted nibble keeps 0x80..0xff
    // bytes (UTF-8) from selecting anything by accident.
    const __m128i high = _mm_shuffle_epi8(high_table, _mm_and_si128(_mm_srli_epi16(v, 4), nibble));
    seen = _mm_or_si128(seen, _mm_and_si128(low, high));
  }
  seen = _mm_or_si128(seen, _mm_srli_si128(seen, 8));
  seen = _mm_or_si128(seen, _mm_srli_si128(seen, 4));
  seen = _mm_or_si128(seen, _mm_srli_si128(seen, 2));
  seen = _mm_or_si128(seen, _mm_srli_si128(seen, 1));
  return static_cast<std::uint8_t>(_mm_cvtsi128_si32(seen) & 0xff);
}

}  // namespace logstream::extract::detail
#endif
