// Number scanning: the inline fast path and the general one agree with std::from_chars, bit for
// bit, and stop where the number stops.
#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "extract/number_scan.hpp"
#include "test_scale.hpp"

using logstream::extract::scan_double;
using logstream::extract::scan_number;

namespace {

double reference(const std::string& text) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  REQUIRE(ec == std::errc{});
  REQUIRE(ptr == text.data() + text.size());
  return value;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("number scan: decimals round exactly as from_chars does", "[number]") {
  std::mt19937_64 rng(20261129);
  for (int i = 0, samples = scaled(200000, 20000); i < samples; ++i) {
    const int int_digits = static_cast<int>(rng() % 10);
    const int fraction_digits = static_cast<int>(rng() % 17);
    std::string text = std::to_string(rng() % 10);
    for (int d = 0; d < int_digits; ++d) text += static_cast<char>('0' + rng() % 10);
    if (fraction_digits > 0 || rng() % 4 == 0) text += '.';
    for (int d = 0; d < fraction_digits; ++d) text += static_cast<char>('0' + rng() % 10);
    if (rng() % 8 == 0) {
      text += 'e';
      text += std::to_string(static_cast<int>(rng() % 40) - 20);
    }
    CAPTURE(text);
    const double expected = reference(text);
    const auto fast = scan_number(text + " tail", 0);
    REQUIRE(fast);
    CHECK(same_bits(fast->value, expected));
    CHECK(fast->end == text.size());
    const auto general = scan_double(text + ",", 0);
    REQUIRE(general);
    CHECK(same_bits(general->value, expected));
    CHECK(general->end == text.size());
  }
}

TEST_CASE("number scan: the fast path hands signs, words and long numbers to the general one", "[number]") {
  CHECK(scan_number("-0.5", 0)->value == -0.5);
  CHECK(scan_number("+2", 0)->value == 2);
  CHECK(std::isnan(scan_number("nan", 0)->value));
  CHECK(scan_number(".25x", 0)->value == 0.25);
  CHECK(scan_number(".25x", 0)->end == 3);
  CHECK(scan_number("12345678901234567890123", 0)->value == Approx(1.2345678901234568e22));
  CHECK(scan_number("3e-4", 0)->value == reference("3e-4"));
  CHECK(scan_number("5.", 0)->end == 2);
  CHECK_FALSE(scan_number("abc", 0));
  CHECK_FALSE(scan_number("", 0));
  CHECK_FALSE(scan_number("x", 1));
  CHECK_FALSE(scan_number("1e999", 0));  // out of range: refused
}
