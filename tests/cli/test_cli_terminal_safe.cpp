// The one sanitiser (lib/text/terminal_safe.hpp, as the command uses it): C1 controls and bidi
// controls as well as ESC sequences, checked case by case and against a tiny independent model
// of its rule on random bytes.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "../../cli/terminal_safe.hpp"

using logstream::cli::terminal_safe;
using logstream::cli::terminal_safe_line;

namespace {

// The model's own UTF-8 decoder, by value rather than by byte ranges: the sequence the lead
// byte announces, accepted when its continuation bytes are 10xxxxxx and the value is the
// shortest form, not a surrogate and at most U+10FFFF. Returns the length, 0 when invalid.
std::size_t model_decode(const std::string& s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[i + k])); };
  std::size_t n = 0;
  char32_t min = 0;
  if ((b(0) >> 5) == 0x6) n = 2, min = 0x80, cp = b(0) & 0x1F;
  else if ((b(0) >> 4) == 0xE) n = 3, min = 0x800, cp = b(0) & 0x0F;
  else if ((b(0) >> 3) == 0x1E) n = 4, min = 0x10000, cp = b(0) & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) >> 6) != 0x2) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

bool model_forbidden(char32_t cp) { return (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

// The rule for text without ESC: each unit (a valid sequence, else one byte) that a terminal
// would act on becomes '?', every other unit stays.
std::string model_without_escapes(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto byte = static_cast<unsigned char>(s[i]);
    char32_t cp = 0;
    const std::size_t n = byte < 0x80 ? 1 : model_decode(s, i, cp);
    if (n == 0) {
      out += byte < 0xA0 ? std::string("?") : std::string(1, s[i]);
      ++i;
      continue;
    }
    const bool bad = n == 1 ? (byte < 0x20 && byte != '\t') || byte == 0x7F : model_forbidden(cp);
    out += bad ? std::string("?") : s.substr(i, n);
    i += n;
  }
  return out;
}

// What must never be in the sanitiser's output; empty when nothing is.
std::string hazard(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7F) return "control byte " + std::to_string(byte) + " at " + std::to_string(i);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t n = model_decode(s, i, cp);
    if (n == 0 && byte < 0xA0) return "raw C1 byte " + std::to_string(byte) + " at " + std::to_string(i);
    if (n > 0 && model_forbidden(cp)) return "code point " + std::to_string(cp) + " at " + std::to_string(i);
    i += n == 0 ? 1 : n;
  }
  return {};
}

// Random text biased towards what matters: controls, ESC, C1 and bidi in both encodings,
// invalid and truncated UTF-8, and plain text.
std::string random_text(std::mt19937& rng) {
  static const char* const pieces[] = {"\x1b", "\x1b[", "\x1b]", "\x07", "\x1b\\", "\xc2\x9b", "\xc2\x85", "\x9b", "\x9d",
                                       "\x80", "\xe2\x80\xae", "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xe2\x80",
                                       "\xe2", "\xc2", "\xf0\x9f\x98\x80", "\xe6\xa8\xa1", "\xc3\xa9", "\xed\xa0\x80",
                                       "\xc0\x9b", "\xe0\x82\x9b", "\t", "\r", "\n", "\x7f", "\x00", "m", "[", "0;"};
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> printable(0x20, 0x7E);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
  std::string s;
  for (int n = length(rng); n > 0; --n) {
    switch (kind(rng)) {
      case 0: s += static_cast<char>(any_byte(rng)); break;
      case 1: s += static_cast<char>(printable(rng)); break;
      default: {
        const char* p = pieces[piece(rng)];
        s += p[0] == '\0' ? std::string(1, '\0') : std::string(p);
      }
    }
  }
  return s;
}

}  // namespace

TEST_CASE("cli terminal safe: C1 controls, in UTF-8 or as raw bytes, become '?'", "[cli][text]") {
  CHECK(terminal_safe("a\xc2\x9b" "2Jb") == "a?2Jb");       // U+009B, the 8-bit CSI
  CHECK(terminal_safe("a\xc2\x9d" "0;t\xc2\x9c") == "a?0;t?");  // OSC ... ST
  CHECK(terminal_safe("a\x9b" "2J\x85z") == "a?2J?z");       // raw bytes outside UTF-8
  CHECK(terminal_safe("\xc2\xa0\xc2\xbf") == "\xc2\xa0\xc2\xbf");  // U+00A0.. are text
  CHECK(terminal_safe("caf\xc3\xa9 \xe6\xa8\xa1") == "caf\xc3\xa9 \xe6\xa8\xa1");
  CHECK(terminal_safe("\xff\xfe") == "\xff\xfe");            // invalid, but no control: kept
}

TEST_CASE("cli terminal safe: bidi embeddings, overrides and isolates become '?'", "[cli][text]") {
  CHECK(terminal_safe("abc\xe2\x80\xae" "fed") == "abc?fed");  // U+202E RIGHT-TO-LEFT OVERRIDE
  CHECK(terminal_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad") == "????");
  CHECK(terminal_safe("\xe2\x81\xa6x\xe2\x81\xa7y\xe2\x81\xa8z\xe2\x81\xa9") == "?x?y?z?");
  CHECK(terminal_safe("\xe2\x80\xa9\xe2\x81\xa5") == "\xe2\x80\xa9\xe2\x81\xa5");  // neighbours stay
}

TEST_CASE("cli terminal safe: a one-line message is sanitised and cut", "[cli][text]") {
  CHECK(terminal_safe_line("bad line '\x1b]0;owned\x07x\ty'") == "bad line 'x y'");
  const std::string cut = terminal_safe_line(std::string(10000, 'a'), 50);
  CHECK(cut == std::string(47, 'a') + "...");
  CHECK(terminal_safe_line(std::string(100000, '\x1b'), 50).size() <= 50);
}

TEST_CASE("cli terminal safe: random bytes against a model of the rule", "[cli][text]") {
  std::mt19937 rng(20261201);
  for (int round = 0; round < 50000; ++round) {
    const std::string in = random_text(rng);
    const std::string out = terminal_safe(in);
    INFO("input: " << ::Catch::Detail::stringify(in));
    REQUIRE(hazard(out).empty());
    REQUIRE(out.size() <= in.size());
    if (in.find('\x1b') == std::string::npos) REQUIRE(out == model_without_escapes(in));
  }
  std::string ascii;
  for (int c = 0x20; c < 0x7F; ++c) ascii += static_cast<char>(c);
  CHECK(terminal_safe(ascii + "\t" + ascii) == ascii + "\t" + ascii);  // printable ASCII unchanged
}
