// Number scanning for the default scanner, the tqdm parser, user rules and metric tokens.
#include "extract/number_scan.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

namespace logstream::extract {
namespace {

bool equals_nocase(std::string_view text, std::size_t pos, std::string_view word) noexcept {
  if (text.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if ((text[pos + i] | 0x20) != word[i]) return false;
  }
  return true;
}

// nan / inf / infinity, which from_chars would also take but with its own idea of the sign
// and of "nan(...)"; written out so the accepted set is exactly what logs print.
std::optional<Scanned<double>> scan_special(std::string_view text, std::size_t pos,
                                            bool negative) noexcept {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (equals_nocase(text, pos, "nan")) {
    return Scanned<double>{std::numeric_limits<double>::quiet_NaN(), pos + 3};
  }
  if (equals_nocase(text, pos, "infinity")) return Scanned<double>{negative ? -inf : inf, pos + 8};
  if (equals_nocase(text, pos, "inf")) return Scanned<double>{negative ? -inf : inf, pos + 3};
  return std::nullopt;
}

// Clinger's fast path: a mantissa below 2^53 is an exact double and 10^k for k <= 22 is exact,
// so one multiplication or division rounds correctly, as from_chars would. Log numbers
// ("0.4436", "3e-4", "1600") nearly always qualify; anything else goes to from_chars.
bool scan_simple_double(const char* p, const char* end, bool negative, double& value,
                        const char*& stop) noexcept {
  // Nineteen digits cannot overflow the accumulator; longer numbers take the slow path.
  constexpr std::ptrdiff_t max_digits = 19;
  std::uint64_t mantissa = 0;
  const char* const first = p;
  p = detail::accumulate_digits(p, end, mantissa);
  std::ptrdiff_t digits = p - first;
  int exponent = 0;
  if (p < end && *p == '.') {
    const char* const fraction = ++p;
    p = detail::accumulate_digits(p, end, mantissa);
    digits += p - fraction;
    exponent = -static_cast<int>(p - fraction);
  }
  if (digits > max_digits) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    bool exp_negative = false;
    if (q < end && (*q == '+' || *q == '-')) exp_negative = *q++ == '-';
    if (q < end && is_digit(*q)) {
      int e = 0;
      while (q < end && is_digit(*q)) {
        if (e > 1000) return false;
        e = e * 10 + (*q++ - '0');
      }
      exponent += exp_negative ? -e : e;
      p = q;
    }
  }
  if (exponent < -22 || exponent > 22 || mantissa > (std::uint64_t{1} << 53)) return false;
  double v = static_cast<double>(mantissa);
  v = exponent < 0 ? v / detail::exact_pow10[-exponent] : v * detail::exact_pow10[exponent];
  value = negative ? -v : v;
  stop = p;
  return true;
}

}  // namespace

std::optional<Scanned<std::int64_t>> scan_int(std::string_view text, std::size_t pos) noexcept {
  // By hand rather than from_chars: fields are a few digits, and the call overhead dominated.
  if (pos >= text.size()) return std::nullopt;
  const char* p = text.data() + pos;
  const char* const end = text.data() + text.size();
  const bool negative = *p == '-';
  if (negative) ++p;
  const char* const first = p;
  std::uint64_t magnitude = 0;
  bool overflow = false;
  for (; p < end && is_digit(*p); ++p) {
    overflow |= __builtin_mul_overflow(magnitude, 10u, &magnitude);
    overflow |= __builtin_add_overflow(magnitude, static_cast<unsigned>(*p - '0'), &magnitude);
  }
  if (p == first) return std::nullopt;
  constexpr std::uint64_t max_positive = std::numeric_limits<std::int64_t>::max();
  if (overflow || magnitude > max_positive + (negative ? 1 : 0)) return std::nullopt;
  const std::int64_t value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return Scanned<std::int64_t>{value, static_cast<std::size_t>(p - text.data())};
}

std::optional<Scanned<double>> scan_double(std::string_view text, std::size_t pos) noexcept {
  if (pos >= text.size()) return std::nullopt;
  bool negative = false;
  std::size_t start = pos;
  if (text[pos] == '+' || text[pos] == '-') {
    negative = text[pos] == '-';
    ++pos;
    if (pos >= text.size()) return std::nullopt;
  }
  if (is_alpha(text[pos])) {
    auto special = scan_special(text, pos, negative);
    if (special && special->end < text.size() && is_alnum(text[special->end])) return std::nullopt;
    return special;
  }
  const bool leading_dot = text[pos] == '.' && pos + 1 < text.size() && is_digit(text[pos + 1]);
  if (!is_digit(text[pos]) && !leading_dot) return std::nullopt;
  double value = 0;
  const char* stop = nullptr;
  if (scan_simple_double(text.data() + pos, text.data() + text.size(), negative, value, stop))
    return Scanned<double>{value, static_cast<std::size_t>(stop - text.data())};
  // from_chars takes '-' but not '+': start after a '+'.
  const char* first = text.data() + (negative ? start : pos);
  auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), value,
                                   std::chars_format::general);
  if (ec != std::errc{}) return std::nullopt;  // out of range: refused, not clamped
  return Scanned<double>{value, static_cast<std::size_t>(ptr - text.data())};
}

bool is_value_end(std::string_view text, std::size_t pos) noexcept {
  if (pos >= text.size() || has_class(text[pos], cc_value_end)) return true;
  return text[pos] == '.' && (pos + 1 == text.size() || is_blank(text[pos + 1]));
}

std::string_view trim(std::string_view text) noexcept {
  auto is_space = [](char c) { return is_blank(c) || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<double> parse_double(std::string_view text) noexcept {
  text = trim(text);
  auto scanned = scan_double(text, 0);
  if (!scanned || scanned->end != text.size()) return std::nullopt;
  return scanned->value;
}

std::optional<std::int64_t> parse_int(std::string_view text) noexcept {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto scanned = scan_int(text, 0);
  if (!scanned || scanned->end != text.size()) return std::nullopt;
  return scanned->value;
}

}  // namespace logstream::extract
