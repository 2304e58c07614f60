// append_line_json, the fast writer of the line object, against line_json (the JSON library's
// object) as a model: random texts of any bytes (controls, quotes, invalid UTF-8), any seq,
// source, flags and time give the same JSON value.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "json/line_json.hpp"

using logstream::json::append_line_json;
using logstream::json::Json;
using logstream::json::LineFields;

TEST_CASE("line json: the direct writer and the JSON library agree on random lines", "[json]") {
  std::mt19937_64 rng(Catch::rngSeed() + 3);
  const std::string alphabet = "ab \"\\\t\n\r\x01\x1f\x7f\xc3\xa9\xe2\x82\xac\xff\xfe\xc3";
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const bool ascii = round % 2 == 0;
    for (int i = std::uniform_int_distribution<int>(0, 30)(rng); i > 0; --i)
      text += ascii ? static_cast<char>(std::uniform_int_distribution<int>(0x20, 0x7e)(rng))
                    : alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
    double seconds = std::uniform_real_distribution<double>(0, 1e6)(rng);
    if (round % 97 == 0) seconds = std::numeric_limits<double>::quiet_NaN();
    if (round % 89 == 0) seconds = 1e-7;
    const LineFields fields{.seq = rng() >> std::uniform_int_distribution<int>(0, 63)(rng),
                            .is_stderr = (rng() & 1) != 0,
                            .text = text,
                            .transient = (rng() & 3) == 0,
                            .continued = (rng() & 7) == 0,
                            .seconds = seconds,
                            .wall_time = std::chrono::system_clock::time_point(std::chrono::milliseconds(rng() % 4'000'000'000'000))};
    std::string written;
    append_line_json(written, fields);
    const Json model = Json::parse(logstream::json::dump(logstream::json::line_json(fields)));
    const Json parsed = Json::parse(written);
    INFO("round " << round << ": " << written);
    CHECK(parsed == model);
    CHECK(parsed.dump() == model.dump());  // the same fields in the same order
  }
}
