// line_bytes: the vector pass and the scalar one agree, and each class is exactly its bytes.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "extract/line_bytes.hpp"

using namespace logstream::extract;

namespace {

// The definition, byte by byte.
std::uint8_t expected_classes(const std::string& text) {
  std::uint8_t mask = 0;
  for (char c : text) {
    switch (c) {
      case '/': mask |= lb_slash; break;
      case '=': mask |= lb_equals; break;
      case ':': mask |= lb_colon; break;
      case '%': mask |= lb_percent; break;
      case '[': mask |= lb_bracket; break;
      case 'B': mask |= lb_B; break;
      case '|': mask |= lb_pipe; break;
      case 'T': case 'P': mask |= lb_T_or_P; break;
      default: break;
    }
  }
  return mask;
}

}  // namespace

TEST_CASE("line bytes: every byte value alone, at every position of lines up to 80 bytes", "[scanner]") {
  for (std::size_t length = 1; length <= 80; ++length) {
    for (int value = 0; value < 256; ++value) {
      for (std::size_t at : {std::size_t{0}, length / 2, length - 1}) {
        std::string line(length, 'x');
        line[at] = static_cast<char>(value);
        CAPTURE(length, value, at);
        REQUIRE(line_bytes(line) == expected_classes(line));
      }
    }
  }
}

TEST_CASE("line bytes: random lines of random bytes", "[scanner]") {
  std::mt19937 rng(29112026);
  for (int i = 0; i < 20000; ++i) {
    std::string line(rng() % 200, '\0');
    for (char& c : line) c = static_cast<char>(rng() % 4 == 0 ? "/=:%[B|TPx\xc3\x80"[rng() % 12] : rng() % 256);
    CAPTURE(line);
    REQUIRE(line_bytes(line) == expected_classes(line));
    REQUIRE(line_bytes(line) == detail::line_bytes_scalar(line.data(), line.size()));
  }
}
