// The log file of a real child against the reference model of the framing rules: random byte
// streams (empty lines, CR, CRLF across reads, NUL, invalid UTF-8, ESC, lines around the limit)
// written in random write sizes, through the pipe, the framer and the file sink.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <logstream/logstream.hpp>

#include "framing_model.hpp"
#include "process_support.hpp"
#include "random_stream.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct Run {
  std::string log;
  StreamStats stats;
};

/// Runs the child writing `input` in writes of at most `max_write` bytes into a log file.
Run run_child(const TempDir& dir, const std::string& input, std::uint64_t seed, std::size_t max_write,
              std::size_t max_line, bool raw) {
  write_file(dir / "input", input);
  const auto log = dir / (raw ? "raw.log" : "framed.log");
  std::filesystem::remove(log);
  StreamerOptions options;
  options.framing.max_line_bytes = max_line;
  options.log_file.raw = raw;
  Streamer streamer(child({"write-file", dir.file("input"), std::to_string(seed), std::to_string(max_write)}), log,
                    options);
  streamer.start();
  REQUIRE(streamer.wait_for_completion(60s));
  REQUIRE(streamer.exit_status().has_value());
  CHECK(streamer.exit_status()->exit_code == 0);
  return Run{read_file(log), streamer.stats()};
}

}  // namespace

TEST_CASE("lossless log: random streams through a real child match the model", "[lossless][model]") {
  TempDir dir;
  std::mt19937_64 rng(Catch::rngSeed() + 11);
  const int rounds = scaled(40, 4);
  for (int round = 0; round < rounds; ++round) {
    const std::size_t max_line = std::uniform_int_distribution<std::size_t>(1, 300)(rng);
    const std::string input = random_stream_upto(rng, 200'000, max_line);
    const std::uint64_t seed = rng() % 1'000'000;
    const std::size_t max_write = std::size_t{1} << std::uniform_int_distribution<int>(0, 17)(rng);
    INFO("round " << round << ": " << input.size() << " bytes, max_line " << max_line << ", writes up to "
                  << max_write << ", seed " << seed);
    const Run framed = run_child(dir, input, seed, max_write, max_line, false);
    REQUIRE(framed.log == model_log(input, max_line));
    CHECK_FALSE(framed.stats.truncated);
    const Run raw = run_child(dir, input, seed, max_write, max_line, true);
    REQUIRE(raw.log == input);
  }
}

TEST_CASE("lossless log: lines around the default 1 MiB limit match the model", "[lossless][model]") {
  TempDir dir;
  std::mt19937_64 rng(Catch::rngSeed() + 13);
  const std::size_t limit = FramingOptions{}.max_line_bytes;
  std::string input;
  for (std::size_t length : {limit - 1, limit, limit + 1, 2 * limit + 3}) {
    input.append(length, 'L');
    input += (rng() % 2) ? "\n" : "\r";
    input += random_stream(rng, 2000, 64);
  }
  const Run framed = run_child(dir, input, rng() % 1000, 1 << 16, limit, false);
  REQUIRE(framed.log.size() == model_log(input, limit).size());
  REQUIRE(framed.log == model_log(input, limit));
}
