// --pty: a child using C stdio without fflush streams line by line, and CR updates are one line
// in the log file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_scale.hpp"

using namespace logstream::test;

namespace {

struct StdioLine {
  std::int64_t written_ns = 0;   // the child's CLOCK_MONOTONIC at printf
  std::int64_t received_ns = 0;  // ours when the JSON object arrived
};

// Runs `stdio 6` (lines 50 ms apart) and returns, per line, when it was written and received.
std::vector<StdioLine> run_stdio(const TempDir& dir, bool pty) {
  std::vector<std::string> args{"run", "--json"};
  if (pty) args.push_back("--pty");
  for (const char* a : {"--", "", "stdio", "6"}) args.push_back(a);
  args[args.size() - 3] = test_child_path();
  CliProcess cli(args, CliOptions{.cwd = dir.path()});
  REQUIRE(cli.finish() == 0);
  std::vector<StdioLine> lines;
  for (const auto& [received, text] : cli.stamped_lines()) {
    const auto object = nlohmann::json::parse(text);
    if (object["type"] != "line") continue;
    const std::string line = object["text"];
    const auto t = line.find(" t=");
    REQUIRE(t != std::string::npos);
    lines.push_back(StdioLine{std::stoll(line.substr(t + 3)), received});
  }
  REQUIRE(lines.size() == 6);
  return lines;
}

}  // namespace

TEST_CASE("cli pty: a stdio child's lines arrive while it runs, not at its exit", "[cli][pty]") {
  TempDir dir;
  const auto streamed = run_stdio(dir, true);
  // Line 1 reached us before the child even wrote line 6 (250 ms later).
  CHECK(streamed.front().received_ns < streamed.back().written_ns);
  for (const StdioLine& line : streamed) CHECK(line.received_ns - line.written_ns < 200'000'000);

  // The same child on a pipe keeps everything in its stdio buffer until exit: the contrast
  // shows the test measures what it claims.
  const auto buffered = run_stdio(dir, false);
  CHECK(buffered.front().received_ns >= buffered.back().written_ns);
}

TEST_CASE("cli pty: tqdm-like CR updates are one line in the log file", "[cli][pty]") {
  TempDir dir;
  const std::vector<std::string> child{"--", test_child_path(), "stdio-bar", "5", "20"};
  std::vector<std::string> args{"run", "--plain", "--pty", "--log", "bar.log"};
  args.insert(args.end(), child.begin(), child.end());
  REQUIRE(run_cli(args, CliOptions{.cwd = dir.path()}).status == 0);
  CHECK(read_file(dir / "bar.log") == "bar start\nstep 100%|##########| 5/5\nbar done\n");

  std::vector<std::string> raw{"run", "--plain", "--pty", "--raw", "--log", "raw.log"};
  raw.insert(raw.end(), child.begin(), child.end());
  REQUIRE(run_cli(raw, CliOptions{.cwd = dir.path()}).status == 0);
  const std::string kept = read_file(dir / "raw.log");
  CHECK(kept.find("\rstep  20%") != std::string::npos);
  CHECK(kept.find("5/5") != std::string::npos);
}

TEST_CASE("cli pty: every line reaches the log file, run after run", "[cli][pty]") {
  // The tail was lost when libuv took the terminal's hang-up with a short read for the end.
  const int runs = scaled(20, 2);
  TempDir dir;
  for (const int count : {3000, 50000, 300000}) {
    // What `test_child lines N` writes: "line 000000001 " and 16 x, numbered from 1.
    std::string expected;
    for (int i = 1; i <= count; ++i) expected += fmt::format("line {:09} xxxxxxxxxxxxxxxx\n", i);
    for (int run = 0; run < runs; ++run) {
      const std::string log = fmt::format("pty-{}-{}.log", count, run);
      const CliResult r = run_cli(run_args({"--plain", "--quiet", "--pty", "--log", log}, {"lines", std::to_string(count)}),
                                  CliOptions{.cwd = dir.path()});
      INFO(count << " lines, run " << run + 1);
      REQUIRE(r.status == 0);
      const std::string kept = read_file(dir / log);
      REQUIRE(kept.size() == expected.size());
      REQUIRE(kept == expected);
      std::filesystem::remove(dir / log);
    }
  }
}
