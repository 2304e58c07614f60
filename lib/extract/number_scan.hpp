// Number scanning shared by the scanners: std::from_chars plus what it leaves to us (a leading
// '+', nan/inf words, values out of range refused rather than clamped, where a number may end).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "extract/char_class.hpp"

namespace logstream::extract {

template <typename T>
struct Scanned {
  T value{};
  std::size_t end = 0;  // one past the last character of the number
};

/// "Not found" of every position the scanners return.
inline constexpr std::size_t npos = std::string_view::npos;

/// A decimal integer starting exactly at text[pos] (optional '-'). Empty when there is no
/// digit or the value does not fit an int64 (too large for its field: ignored, never UB).
std::optional<Scanned<std::int64_t>> scan_int(std::string_view text, std::size_t pos) noexcept;

/// A floating-point number starting exactly at text[pos]: optional sign, digits with an
/// optional fraction and exponent, or nan / inf / infinity in any case. Empty when there is
/// none or it overflows a double.
std::optional<Scanned<double>> scan_double(std::string_view text, std::size_t pos) noexcept;

/// Where a decimal integer (optional '-', then digits) starting at text[pos] ends, whether or not
/// its value fits an int64; `pos` when there is no digit.
inline std::size_t int_end(std::string_view text, std::size_t pos) noexcept {
  std::size_t end = pos < text.size() && text[pos] == '-' ? pos + 1 : pos;
  const std::size_t digits = end;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end == digits ? pos : end;
}

/// Whether a number that stops at `pos` ends a value token: end of text, a blank, a
/// separator (, ; ) ] } | %), or a full stop that ends a sentence. "30.0it/s" does not.
bool is_value_end(std::string_view text, std::size_t pos) noexcept;

/// The whole of `text` (blanks around allowed) as one number; empty otherwise.
std::optional<double> parse_double(std::string_view text) noexcept;
std::optional<std::int64_t> parse_int(std::string_view text) noexcept;

/// Skips blanks from `pos`; returns the first non-blank position (or text.size()).
inline std::size_t skip_blanks(std::string_view text, std::size_t pos) noexcept {
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  return pos;
}

namespace detail {
/// Appends the digits from `p` to `mantissa`; returns where they stop. The caller bounds how
/// many digits may come (nineteen fit an uint64).
inline const char* accumulate_digits(const char* p, const char* end, std::uint64_t& mantissa) noexcept {
  while (p < end && is_digit(*p)) mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

inline constexpr double exact_pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
}  // namespace detail

/// scan_double for the common shape, inline: "1600", "0.4436" (at most 15 digits, no sign, no
/// exponent). One multiplication or division by an exact power of ten rounds correctly
/// (Clinger), as from_chars would; anything else goes to scan_double.
inline std::optional<Scanned<double>> scan_number(std::string_view text, std::size_t pos) noexcept {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin + pos;
  if (pos >= text.size() || !is_digit(*p)) return scan_double(text, pos);
  const char* const first = p;
  std::uint64_t mantissa = 0;
  p = detail::accumulate_digits(p, end, mantissa);
  std::ptrdiff_t digits = p - first;
  std::ptrdiff_t fraction_digits = 0;
  if (p < end && *p == '.') {
    const char* const fraction = ++p;
    p = detail::accumulate_digits(p, end, mantissa);
    fraction_digits = p - fraction;
    digits += fraction_digits;
  }
  // Fifteen digits stay below 2^53 (and the accumulator cannot wrap); an exponent letter
  // needs the general path.
  if (digits > 15 || (p < end && (*p == 'e' || *p == 'E'))) return scan_double(text, pos);
  const double v = static_cast<double>(mantissa);
  return Scanned<double>{fraction_digits ? v / detail::exact_pow10[fraction_digits] : v, static_cast<std::size_t>(p - begin)};
}

/// `text` without leading and trailing blanks (and CR/LF).
std::string_view trim(std::string_view text) noexcept;

}  // namespace logstream::extract
