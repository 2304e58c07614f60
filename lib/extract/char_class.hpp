// Byte classes of extraction, all of them: what the scanners, the tokenizer, the number scanner
// and the first pass over a line (line_bytes.hpp) ask of a byte. The hot loops walk every line
// byte by byte, and a chain of comparisons per byte cost more than the rest of their work, so
// a class that a loop tests is one table lookup.
#pragma once

#include <array>
#include <cstdint>

namespace logstream::extract {

enum CharClass : std::uint8_t {
  cc_digit = 1 << 0,
  cc_alpha = 1 << 1,
  cc_key = 1 << 2,        // may appear in a metric key: [A-Za-z0-9_./-]
  cc_key_start = 1 << 3,  // may start a metric key: [A-Za-z_]
  cc_separator = 1 << 4,  // '=' or ':', where a metric token may be
  cc_word = 1 << 5,       // [A-Za-z0-9_]: "MyTrial" is no "Trial", "val_score" no "score"
  cc_value_end = 1 << 6,  // may follow a number that ends a value: blanks, CR, LF, , ; ) ] } | %
};

// static: each file its own copy, read PC-relative (a shared library reads an inline variable
// through the GOT, one more load in the hottest loops).
static constexpr std::array<std::uint8_t, 256> char_classes = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] |= cc_digit | cc_key | cc_word;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= cc_alpha | cc_key | cc_key_start | cc_word;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= cc_alpha | cc_key | cc_key_start | cc_word;
  for (unsigned char c : {'_', '.', '/', '-'}) table[c] |= cc_key;
  table['_'] |= cc_key_start | cc_word;
  table['='] |= cc_separator;
  table[':'] |= cc_separator;
  for (unsigned char c : {' ', '\t', '\r', '\n', ',', ';', ')', ']', '}', '|', '%'}) table[c] |= cc_value_end;
  return table;
}();

inline bool has_class(char c, std::uint8_t classes) noexcept {
  return (char_classes[static_cast<unsigned char>(c)] & classes) != 0;
}

// Digits, letters and blanks are ranges or pairs: two comparisons cost no more than the load.
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) noexcept { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
inline bool is_word(char c) noexcept { return has_class(c, cc_word); }
inline bool is_alnum(char c) noexcept { return has_class(c, cc_digit | cc_alpha); }
inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// The classes of the first pass over a line (line_bytes.hpp): which of the bytes the scanners key
// on a line contains. Eight classes, one bit each, so that a byte's class fits a byte; each class
// is one byte, or bytes with the same high nibble, which the vector pass relies on.
enum LineByte : std::uint8_t {
  lb_slash = 1 << 0,    // Position 1/6, Trial 1/15, tqdm's n/total and rate unit
  lb_equals = 1 << 1,   // === model ===, Score=, key=value
  lb_colon = 1 << 2,    // Score:, key: value, Optuna, tqdm's times
  lb_percent = 1 << 3,  // tqdm's percentage
  lb_bracket = 1 << 4,  // [BEST], tqdm's stats
  lb_B = 1 << 5,        // [BEST], NEW BEST
  lb_pipe = 1 << 6,     // tqdm's bar
  lb_T_or_P = 1 << 7,   // Trial, Position
};

/// Every default pattern and metric token needs one of these.
inline constexpr std::uint8_t lb_triggers = lb_slash | lb_equals | lb_colon | lb_percent | lb_bracket | lb_B;

struct LineByteMember {
  char c;
  std::uint8_t cls;
};
inline constexpr std::array<LineByteMember, 9> line_byte_members = {{{'/', lb_slash}, {'=', lb_equals},
                                                                     {':', lb_colon}, {'%', lb_percent},
                                                                     {'[', lb_bracket}, {'B', lb_B},
                                                                     {'|', lb_pipe}, {'T', lb_T_or_P},
                                                                     {'P', lb_T_or_P}}};

// static, as char_classes.
static constexpr std::array<std::uint8_t, 256> line_byte_table = [] {
  std::array<std::uint8_t, 256> table{};
  for (const LineByteMember& b : line_byte_members) table[static_cast<unsigned char>(b.c)] |= b.cls;
  return table;
}();

}  // namespace logstream::extract
