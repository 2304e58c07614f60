// Random byte streams that hit the framing rules' corners: empty lines, CR, CRLF, NUL, ESC,
// invalid UTF-8, and lines just under, at and over the line limit.
#pragma once

#include <cstddef>
#include <random>
#include <string>

namespace logstream::test {

/// About `size` bytes (a little more when the last piece is a long line).
inline std::string random_stream(std::mt19937_64& rng, std::size_t size, std::size_t max_line) {
  static constexpr std::string_view pieces[] = {
      "\n", "\n", "\n\n", "\r", "\r\n", "\r\r\n", "\n\r", std::string_view("\0", 1), "\x1b[2K", "\x1b]0;t\x07",
      "\xff", "\xc3", "\xc3\xa9", "\x80", "\xe2\x80\xae", " ", "x", "loss=0.5 ", "Trial 1/3: Score=0.5\n",
  };
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) + 3);
  std::string out;
  while (out.size() < size) {
    std::size_t choice = pick(rng);
    if (choice < std::size(pieces)) {
      out += pieces[choice];
      continue;
    }
    // A run of plain text whose length sits around the line limit (or is short).
    std::size_t lengths[] = {max_line - 1, max_line, max_line + 1, 2 * max_line + 1,
                             std::uniform_int_distribution<std::size_t>(1, 3 * max_line)(rng)};
    std::size_t length = lengths[std::uniform_int_distribution<std::size_t>(0, std::size(lengths) - 1)(rng)];
    char letter = static_cast<char>('a' + rng() % 26);
    out.append(length, letter);
  }
  return out;
}

/// A random stream of 1 to `max_size` bytes, its size drawn from `rng` first.
inline std::string random_stream_upto(std::mt19937_64& rng, std::size_t max_size, std::size_t max_line) {
  return random_stream(rng, std::uniform_int_distribution<std::size_t>(1, max_size)(rng), max_line);
}

}  // namespace logstream::test
