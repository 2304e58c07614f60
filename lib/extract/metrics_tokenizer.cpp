// Finding numeric key/value tokens in a line, scanning only from '=' and ':' characters.
#include "extract/metrics_tokenizer.hpp"

#include "extract/number_scan.hpp"

namespace logstream::extract {
namespace {

bool is_key_char(char c) noexcept {
  return is_alnum(c) || c == '_' || c == '.' || c == '/' || c == '-';
}

bool is_key_start(char c) noexcept { return is_alpha(c) || c == '_'; }

// The key that ends right before `end` (exclusive), or empty. Handles a closing quote, which
// then needs its opening twin, and strips CLI dashes ("--lr").
std::string_view key_before(std::string_view text, std::size_t end) noexcept {
  char quote = 0;
  if (end > 0 && (text[end - 1] == '\'' || text[end - 1] == '"')) {
    quote = text[end - 1];
    --end;
  }
  std::size_t start = end;
  while (start > 0 && is_key_char(text[start - 1]) && end - start <= max_metric_key_bytes) --start;
  if (start > 0 && is_key_char(text[start - 1])) return {};  // longer than any key
  if (quote != 0 && (start == 0 || text[start - 1] != quote)) return {};
  std::string_view key = text.substr(start, end - start);
  while (!key.empty() && (key.front() == '-' || key.front() == '.' || key.front() == '/')) {
    key.remove_prefix(1);
  }
  return is_metric_key(key) ? key : std::string_view{};
}

std::size_t find_separator(std::string_view text, std::size_t from) noexcept {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '=' || text[i] == ':') return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool is_metric_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > max_metric_key_bytes || !is_key_start(key.front())) return false;
  for (char c : key) {
    if (!is_key_char(c)) return false;
  }
  return true;
}

void tokenize_metrics(std::string_view text, MetricTokens& out) noexcept {
  std::size_t pos = 0;
  while ((pos = find_separator(text, pos)) != std::string_view::npos) {
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
    if (key.empty()) continue;
    auto value = scan_double(text, skip_blanks(text, pos));
    if (!value || !is_value_end(text, value->end)) continue;
    out.push(key, value->value);
    pos = value->end;
  }
}

}  // namespace logstream::extract
