// Finding numeric key/value tokens in a line, scanning only from '=' and ':' characters.
#include "extract/metrics_tokenizer.hpp"

#include "extract/level_classifier.hpp"

#include <cstdint>
#include <cstring>

#include "extract/char_class.hpp"
#include "extract/number_scan.hpp"

namespace logstream::extract {
namespace {

// Most bytes of a line are neither '=' nor ':'; testing eight at a time (SWAR) keeps the search
// from costing a comparison chain per byte. Flags are exact up to the first match, which is all
// the lowest set bit needs.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr std::uint64_t byte_ones = 0x0101010101010101ULL;
constexpr std::uint64_t byte_highs = 0x8080808080808080ULL;

inline std::uint64_t zero_bytes(std::uint64_t word) noexcept {
  return (word - byte_ones) & ~word & byte_highs;
}
#endif

std::size_t find_separator(std::string_view text, std::size_t from) noexcept {
  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t i = from;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    const std::uint64_t hits =
        zero_bytes(word ^ (byte_ones * '=')) | zero_bytes(word ^ (byte_ones * ':'));
    if (hits != 0) return i + static_cast<std::size_t>(__builtin_ctzll(hits) >> 3);
  }
#endif
  for (; i < n; ++i) {
    if (has_class(p[i], cc_separator)) return i;
  }
  return npos;
}

// The key that ends right before `end` (exclusive), or empty. Handles a closing quote, which
// then needs its opening twin, and strips CLI dashes ("--lr"). A run of key bytes longer than
// a key plus one is no key at all; the walk stops there.
std::string_view key_before(std::string_view text, std::size_t end) noexcept {
  char quote = 0;
  if (end > 0 && (text[end - 1] == '\'' || text[end - 1] == '"')) {
    quote = text[end - 1];
    --end;
  }
  const char* const p = text.data();
  const std::size_t limit = end > max_metric_key_bytes + 1 ? end - max_metric_key_bytes - 1 : 0;
  std::size_t start = end;
  while (start > limit && has_class(p[start - 1], cc_key)) --start;
  if (start > 0 && has_class(p[start - 1], cc_key)) return {};
  if (quote != 0 && (start == 0 || p[start - 1] != quote)) return {};
  while (start < end && (p[start] == '-' || p[start] == '.' || p[start] == '/')) ++start;
  // Every byte is a key byte already: only the length and the first byte remain to check.
  if (start == end || end - start > max_metric_key_bytes || !has_class(p[start], cc_key_start)) {
    return {};
  }
  return {p + start, end - start};
}

}  // namespace

bool is_metric_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > max_metric_key_bytes || !has_class(key.front(), cc_key_start)) {
    return false;
  }
  for (char c : key) {
    if (!has_class(c, cc_key)) return false;
  }
  return true;
}

void tokenize_metrics(std::string_view text, MetricTokens& out) noexcept {
  std::size_t pos = 0;
  while ((pos = find_separator(text, pos)) != npos) {
    const std::size_t sep = pos++;
    if (text[sep] == '=') {
      // "==", "===", "<=", "!=": comparisons and rules, not assignments.
      if (pos < text.size() && text[pos] == '=') {
        while (pos < text.size() && text[pos] == '=') ++pos;
        continue;
      }
      if (sep > 0 && (text[sep - 1] == '<' || text[sep - 1] == '>' || text[sep - 1] == '!')) {
        continue;
      }
    }
    // Blanks are allowed before '=' ("loss = 0.4"), not before ':' (prose: "note : 3").
    std::size_t key_end = sep;
    if (text[sep] == '=') {
      while (key_end > 0 && is_blank(text[key_end - 1])) --key_end;
    }
    const std::string_view key = key_before(text, key_end);
    if (key.empty() || is_capitalised_level_word(key)) continue;
    auto value = scan_number(text, skip_blanks(text, pos));
    if (!value || !is_value_end(text, value->end)) continue;
    out.push(key, value->value);
    pos = value->end;
  }
}

}  // namespace logstream::extract
