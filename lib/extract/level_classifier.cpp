// LevelClassifier (see the header). Every line pays for this, so each format is tried only
// where it can be: the fixed prefixes (glog, Optuna, a traceback, an exception) at the line's
// start, level words and fields in its first bytes, and only once a cheap pass saw a byte
// they need (two capitals in a row, '[', '=', '"').
#include "extract/level_classifier.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "extract/char_class.hpp"
#include "text/ascii.hpp"

namespace logstream::extract {
namespace {


bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && std::memcmp(text.data(), prefix.data(), prefix.size()) == 0;
}

bool equals_ignoring_case(std::string_view a, std::string_view lower_word) noexcept {
  if (a.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (text::ascii_lower(a[i]) != lower_word[i]) return false;
  return true;
}

// Colours a child wraps its level in ("\x1b[31mERROR\x1b[0m") and leading blanks.
std::string_view skip_sgr_and_blanks(std::string_view text) noexcept {
  for (;;) {
    if (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
      text.remove_prefix(1);
    } else if (text.size() >= 3 && text[0] == '\x1b' && text[1] == '[') {
      std::size_t i = 2;
      while (i < text.size() && (is_digit(text[i]) || text[i] == ';')) ++i;
      if (i == text.size() || text[i] != 'm') return text;
      text.remove_prefix(i + 1);
    } else {
      return text;
    }
  }
}

// The level words of Python logging, log4j/logback, Go, Rust, syslog.
constexpr std::pair<std::string_view, Level> level_words[] = {
    {"warn", Level::warning},  {"info", Level::info},     {"error", Level::error},
    {"fatal", Level::error},   {"debug", Level::debug},   {"trace", Level::debug},
    {"panic", Level::error},   {"severe", Level::error},  {"notice", Level::info},
    {"warning", Level::warning}, {"critical", Level::error},
};

Level level_word(std::string_view word) noexcept {
  if (word.size() < 4 || word.size() > 8) return Level::none;  // the table's lengths
  for (const auto& [name, level] : level_words)
    if (word.size() == name.size() && equals_ignoring_case(word, name)) return level;
  return Level::none;
}

// The one-letter levels of glog/absl (E, F, W, I) and of Optuna (C, E, W, I, D).
Level level_letter(char letter) noexcept {
  switch (letter) {
    case 'C':
    case 'E':
    case 'F': return Level::error;
    case 'W': return Level::warning;
    case 'I': return Level::info;
    case 'D': return Level::debug;
    default: return Level::none;
  }
}

// glog and absl: "E1201 12:00:00.123456  4242 train.cc:12] message".
Level glog_level(std::string_view t) noexcept {
  if (t.size() < 14 || t[5] != ' ' || t[8] != ':' || t[11] != ':') return Level::none;
  for (std::size_t i : {1, 2, 3, 4, 6, 7, 9, 10, 12, 13})
    if (!is_digit(t[i])) return Level::none;
  return level_letter(t[0]);
}

// Optuna (and tornado's format it copies): "[W 2026-12-01 12:00:00,123] message".
Level optuna_level(std::string_view t) noexcept {
  if (t.size() < 8 || t[0] != '[' || t[2] != ' ' || t[7] != '-') return Level::none;
  for (std::size_t i : {3, 4, 5, 6})
    if (!is_digit(t[i])) return Level::none;
  return level_letter(t[1]);
}

// "ValueError: ...", "torch.OutOfMemoryError: CUDA out of memory", "UserWarning: ...": the
// identifier that starts at `at` and ends in ':' followed by a blank or the end.
Level exception_level(std::string_view t, std::size_t at) noexcept {
  if (at >= t.size() || !(is_alpha(t[at]) || t[at] == '_')) return Level::none;
  std::size_t end = at;
  while (end < t.size() && (is_word(t[end]) || t[end] == '.')) ++end;
  if (end == t.size() || t[end] != ':' || (end + 1 < t.size() && t[end + 1] != ' ')) return Level::none;
  const std::string_view name = t.substr(at, end - at);
  auto ends = [name](std::string_view suffix) { return name.size() >= suffix.size() && name.ends_with(suffix); };
  if (ends("Error") || ends("Exception") || ends("Exit")) return Level::error;
  if (ends("Warning")) return Level::warning;
  return Level::none;
}

// "file.py:12: UserWarning: message" (the warnings module): an exception or warning name after
// the first ": " of the line, which ends a line number.
Level warning_after_location(std::string_view t) noexcept {
  const std::size_t colon = t.find(": ");
  if (colon == std::string_view::npos || colon == 0 || !is_digit(t[colon - 1])) return Level::none;
  return exception_level(t, colon + 2);
}

// The value after "level=", "lvl=", `"level":` or `"level": "`: a level word.
Level field_value(std::string_view t, std::size_t at) noexcept {
  if (at < t.size() && t[at] == ' ') ++at;
  if (at < t.size() && t[at] == '"') ++at;
  std::size_t end = at;
  while (end < t.size() && is_alpha(t[end])) ++end;
  return level_word(t.substr(at, end - at));
}

Level level_field(std::string_view t) noexcept {
  for (std::size_t at = t.find("level"); at != std::string_view::npos; at = t.find("level", at + 5)) {
    if (at > 0 && is_word(t[at - 1]) && t[at - 1] != '_') continue;  // "loglevel" is fine, "xlevel" not
    std::size_t p = at + 5;
    if (p < t.size() && t[p] == '"') ++p;
    if (p < t.size() && (t[p] == '=' || t[p] == ':')) {
      if (const Level level = field_value(t, p + 1); level != Level::none) return level;
    }
  }
  return Level::none;
}

// "[ERROR]", "[warn]", "<Warning>": a level word in brackets, any case.
Level bracketed_level(std::string_view t) noexcept {
  for (std::size_t at = t.find('['); at != std::string_view::npos; at = t.find('[', at + 1)) {
    std::size_t end = at + 1;
    while (end < t.size() && is_alpha(t[end])) ++end;
    std::size_t close = end;
    while (close < t.size() && t[close] == ' ') ++close;
    if (close < t.size() && t[close] == ']') {
      if (const Level level = level_word(t.substr(at + 1, end - at - 1)); level != Level::none) return level;
    }
  }
  return Level::none;
}

// A capitalised level word standing alone: "ERROR:root:...", "... - WARNING - ...",
// "| INFO     |", "2026-12-01T12:00:00Z ERROR ...". Not a key ("ERROR=3") nor part of a longer
// word ("ERRORS", "MY_ERROR").
Level capital_word(std::string_view t) noexcept {
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!is_upper(t[i]) || !is_upper(t[i + 1])) continue;
    if (i > 0 && is_word(t[i - 1])) {
      while (i < t.size() && is_word(t[i])) ++i;
      continue;
    }
    std::size_t end = i;
    while (end < t.size() && is_upper(t[end])) ++end;
    const bool alone = end == t.size() || !(is_word(t[end]) || t[end] == '=');
    if (alone) {
      if (const Level level = level_word(t.substr(i, end - i)); level != Level::none) return level;
    }
    i = end;
  }
  return Level::none;
}

// The cheap pass: which of the word and field formats could be in the first bytes at all.
struct Candidates {
  bool capitals = false;  // two capitals in a row
  bool bracket = false;
  bool field = false;  // '=' or '"' (logfmt, JSON)
};

Candidates candidates_scalar(std::string_view t) noexcept {
  Candidates c;
  bool previous_upper = false;
  for (const char ch : t) {
    const bool upper = is_upper(ch);
    c.capitals |= upper && previous_upper;
    previous_upper = upper;
    c.bracket |= ch == '[';
    c.field |= ch == '=' || ch == '"';
  }
  return c;
}

#ifdef __SSE2__
// Sixteen bytes a step (SSE2 is x86-64's baseline), masks kept in registers until the end: the
// capitals of each block and of the block one byte further give the pairs, across blocks too.
Candidates candidates(std::string_view t) noexcept {
  if (t.size() < 17) return candidates_scalar(t);
  const __m128i before_a = _mm_set1_epi8('A' - 1);
  const __m128i after_z = _mm_set1_epi8('Z' + 1);
  auto capitals = [&](__m128i v) { return _mm_and_si128(_mm_cmpgt_epi8(v, before_a), _mm_cmplt_epi8(v, after_z)); };
  __m128i pairs = _mm_setzero_si128(), brackets = _mm_setzero_si128(), fields = _mm_setzero_si128();
  // Blocks of 16 (and their neighbours one byte on); the last overlaps the one before it.
  const std::size_t last = t.size() - 17;
  for (std::size_t off = 0;; off += 16) {
    const std::size_t at = std::min(off, last);
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + at));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + at + 1));
    // Signed compares: bytes from 0x80 (UTF-8) are negative, so never capitals.
    pairs = _mm_or_si128(pairs, _mm_and_si128(capitals(v), capitals(next)));
    brackets = _mm_or_si128(brackets, _mm_cmpeq_epi8(v, _mm_set1_epi8('[')));
    fields = _mm_or_si128(fields, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
    if (at == last) break;
  }
  // The last byte was only seen as a neighbour.
  const char end = t.back();
  return Candidates{.capitals = _mm_movemask_epi8(pairs) != 0,
                    .bracket = _mm_movemask_epi8(brackets) != 0 || end == '[',
                    .field = _mm_movemask_epi8(fields) != 0 || end == '=' || end == '"'};
}
#else
Candidates candidates(std::string_view t) noexcept { return candidates_scalar(t); }
#endif

}  // namespace

bool is_capitalised_level_word(std::string_view word) noexcept {
  return !word.empty() && is_upper(word.front()) && level_word(word) != Level::none;
}

Level level_of_line(std::string_view text, Source source) noexcept {
  const std::string_view t = skip_sgr_and_blanks(text);
  if (t.empty()) return Level::none;
  if (const Level level = glog_level(t); level != Level::none) return level;
  if (const Level level = optuna_level(t); level != Level::none) return level;
  if (const Level level = exception_level(t, 0); level != Level::none) return level;
  if (t == "Killed" || starts_with(t, "Segmentation fault") || starts_with(t, "Aborted (core dumped)"))
    return Level::error;
  const std::string_view head = t.substr(0, LevelClassifier::scan_bytes);
  const Candidates c = candidates(head);
  if (c.capitals) {
    if (const Level level = capital_word(head); level != Level::none) return level;
  }
  if (c.field) {
    if (const Level level = level_field(head); level != Level::none) return level;
  }
  if (c.bracket) {
    if (const Level level = bracketed_level(head); level != Level::none) return level;
  }
  // Python's warnings module writes to stderr, and only there is the whole line searched.
  return source == Source::err ? warning_after_location(t) : Level::none;
}

Level LevelClassifier::classify(std::string_view text, Source source) noexcept {
  Traceback& traceback = traceback_[static_cast<std::size_t>(source)];
  if (starts_with(text, "Traceback (most recent call last):")) {
    traceback = Traceback::body;
    return Level::error;
  }
  switch (traceback) {
    case Traceback::body:
      // Frames are indented; the first line that is not is the exception, which ends it.
      if (text.empty() || text.front() != ' ') traceback = Traceback::after;
      return Level::error;
    case Traceback::after:
      // A chained exception: a blank line, a sentence, a blank line, the next traceback.
      if (text.empty()) return Level::none;
      if (starts_with(text, "During handling of the above exception") ||
          starts_with(text, "The above exception was the direct cause")) {
        return Level::error;
      }
      traceback = Traceback::none;
      break;
    case Traceback::none:
      break;
  }
  return level_of_line(text, source);
}

}  // namespace logstream::extract
