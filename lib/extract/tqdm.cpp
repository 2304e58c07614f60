// Parsing tqdm's meter (format_meter's default layout) into a BarView.
#include "extract/tqdm.hpp"

#include "extract/number_scan.hpp"
#include "text/terminal_safe.hpp"

namespace logstream::extract {
namespace {

// tqdm's format_sizeof suffixes (unit_scale=True).
double si_scale(char c) noexcept {
  switch (c) {
    case 'k': return 1e3;
    case 'M': return 1e6;
    case 'G': return 1e9;
    case 'T': return 1e12;
    case 'P': return 1e15;
    case 'E': return 1e18;
    case 'Z': return 1e21;
    case 'Y': return 1e24;
    default: return 0;
  }
}

// A count as tqdm prints it: "45", "45.0", "4.50k". Plain decimal digits only.
std::optional<Scanned<double>> scan_count(std::string_view text, std::size_t pos) noexcept {
  if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;
  auto n = scan_number(text, pos);
  if (!n) return std::nullopt;
  if (n->end < text.size()) {
    if (double scale = si_scale(text[n->end]); scale != 0) {
      n->value *= scale;
      ++n->end;
    }
  }
  return n;
}

// "MM:SS" or "H:MM:SS" (format_interval); "?" is unknown. Parts of at most nine digits.
std::optional<Scanned<double>> scan_interval(std::string_view text, std::size_t pos) noexcept {
  double seconds = 0;
  int parts = 0;
  while (parts < 3) {
    if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;  // scan_int takes a '-'
    const auto part = scan_int(text, pos);
    if (!part || part->end - pos > 9) return std::nullopt;
    seconds = seconds * 60 + static_cast<double>(part->value);
    pos = part->end;
    ++parts;
    if (pos >= text.size() || text[pos] != ':') break;
    ++pos;
  }
  if (parts < 2) return std::nullopt;
  return Scanned<double>{seconds, pos};
}

// Cursor moves and colours before the meter: ESC '[' params final-byte.
std::string_view skip_ansi(std::string_view text) noexcept {
  while (text.size() >= 2 && text[0] == '\x1b' && text[1] == '[') text.remove_prefix(text::csi_end(text, 2));
  return text;
}

std::string_view clean_description(std::string_view text) noexcept {
  text = trim(skip_ansi(trim(text)));
  if (!text.empty() && text.back() == ':') text.remove_suffix(1);
  return trim(text);
}

// "[00:01<00:02, 30.0it/s, loss=0.4]" or "[00:01, 30.0it/s]" starting at the '['.
bool parse_stats(std::string_view text, std::size_t open, BarView& bar) noexcept {
  auto elapsed = scan_interval(text, open + 1);
  if (!elapsed) return false;
  bar.elapsed_seconds = elapsed->value;
  std::size_t pos = elapsed->end;
  if (pos < text.size() && text[pos] == '<') {
    if (pos + 1 < text.size() && text[pos + 1] == '?') {
      pos += 2;
    } else {
      auto remaining = scan_interval(text, pos + 1);
      if (!remaining) return false;
      bar.remaining_seconds = remaining->value;
      pos = remaining->end;
    }
  }
  if (pos >= text.size() || text[pos] != ',') return false;
  pos = skip_blanks(text, pos + 1);
  // The rate: "30.0it/s", " 2.50s/it", "1.00MB/s", "?it/s".
  if (pos < text.size() && text[pos] == '?') {
    ++pos;
  } else {
    auto rate = scan_number(text, pos);
    if (!rate) return false;
    bar.rate = rate->value;
    pos = rate->end;
  }
  const std::size_t unit_start = pos;
  while (pos < text.size() && text[pos] != ',' && text[pos] != ']' && !is_blank(text[pos])) ++pos;
  bar.rate_unit = text.substr(unit_start, pos - unit_start);
  if (bar.rate_unit.find('/') == npos) return false;
  const std::size_t close = text.rfind(']');
  if (close == npos || close < pos) return false;
  if (text[pos] == ',') bar.postfix = trim(text.substr(pos + 1, close - pos - 1));
  return true;
}

// " 45%|####5     | 45/100 [...]": the percentage, the bar, then n/total and the stats.
std::optional<BarView> parse_with_total(std::string_view text, std::size_t pct) noexcept {
  std::size_t num_start = pct;
  auto in_number = [&](std::size_t i) { return is_digit(text[i - 1]) || text[i - 1] == '.'; };
  while (num_start > 0 && in_number(num_start)) --num_start;
  auto percentage = scan_number(text, num_start);
  if (num_start == pct || !percentage || percentage->end != pct) return std::nullopt;
  const std::size_t bar_end = text.find('|', pct + 2);
  if (bar_end == npos) return std::nullopt;

  BarView bar;
  bar.description = clean_description(text.substr(0, num_start));
  std::size_t pos = skip_blanks(text, bar_end + 1);
  auto n = scan_count(text, pos);
  if (n && n->end < text.size() && text[n->end] == '/') {
    bar.current = n->value;
    if (auto total = scan_count(text, n->end + 1)) {
      bar.total = total->value;
      pos = total->end;
    } else {
      pos = n->end + 1;
    }
  } else {
    // A custom bar_format without counts: the percentage is all there is.
    bar.current = percentage->value;
    bar.total = 100;
  }
  const std::size_t open = text.find('[', pos);
  if (open != npos && !parse_stats(text, open, bar)) {
    bar.rate.reset();
    bar.rate_unit = {};
    bar.elapsed_seconds.reset();
    bar.remaining_seconds.reset();
    bar.postfix = {};
  }
  return bar;
}

// "desc: 45it [00:01, 30.0it/s]": a bar without a total.
std::optional<BarView> parse_without_total(std::string_view text) noexcept {
  for (std::size_t open = text.find(" ["); open != npos; open = text.find(" [", open + 1)) {
    BarView bar;
    if (!parse_stats(text, open + 1, bar)) continue;
    const std::string_view head = trim(text.substr(0, open));
    const std::size_t token = head.find_last_of(" \t") == npos ? 0 : head.find_last_of(" \t") + 1;
    auto n = scan_count(head, token);
    if (!n) return std::nullopt;
    for (std::size_t i = n->end; i < head.size(); ++i) {
      if (!is_alpha(head[i])) return std::nullopt;  // the unit: "it", "B", "steps"
    }
    bar.current = n->value;
    bar.description = clean_description(head.substr(0, token));
    return bar;
  }
  return std::nullopt;
}

}  // namespace

std::optional<BarView> parse_bar(std::string_view text) noexcept {
  if (const std::size_t pct = text.find("%|"); pct != npos) return parse_with_total(text, pct);
  if (text.find('[') != npos) return parse_without_total(text);
  return std::nullopt;
}

}  // namespace logstream::extract
