// The command's log file against the reference model of the framing rules: random byte streams
// from a real child, written in random sizes, in plain and --raw mode.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "cli_support.hpp"
#include "framing_model.hpp"
#include "random_stream.hpp"

using namespace logstream::test;

TEST_CASE("cli: the log file of random streams is the model's, and --raw keeps every byte", "[cli][lossless]") {
  TempDir dir;
  std::mt19937_64 rng(Catch::rngSeed() + 17);
  constexpr std::size_t limit = cli_max_line_bytes;
  for (int round = 0; round < 6; ++round) {
    std::string input = random_stream_upto(rng, 100'000, 64);
    if (round == 0) input += std::string(limit + 5, 'L') + "\r" + std::string(limit, 'M') + "\rdone\n";
    write_file(dir / "input", input);
    const std::string seed = std::to_string(rng() % 1000);
    const std::string max_write = std::to_string(std::size_t{1} << (rng() % 17));
    INFO("round " << round << ": " << input.size() << " bytes, writes up to " << max_write << ", seed " << seed);
    for (bool raw : {false, true}) {
      const auto log = dir / (raw ? "raw.log" : "framed.log");
      std::vector<std::string> cli{"--plain", "--quiet", "--log", log.string()};
      if (raw) cli.push_back("--raw");
      const CliResult r = run_cli(run_args(cli, {"write-file", dir.file("input"), seed, max_write}),
                                  CliOptions{.cwd = dir.path()});
      REQUIRE(r.status == 0);
      const std::string got = read_file(log);
      REQUIRE(got == (raw ? input : model_log(input, limit)));
      std::filesystem::remove(log);
    }
  }
}
