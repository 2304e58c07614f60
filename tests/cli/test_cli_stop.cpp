// SIGTERM to logstream: nothing of the command's process group outlives the run, not even a
// grandchild that ignores SIGTERM and has let go of the output.
#include <catch2/catch.hpp>

#include <string>

#include "cli_support.hpp"
#include "pid_watch.hpp"

using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("cli: after SIGTERM, a grandchild that ignores it is killed by --stop-timeout", "[cli][signals]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--stop-timeout", "0.5"}, {"orphan-ignore-term"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains(" ready\n"));
  // "grandchild <pid> ready", written once it ignores SIGTERM
  const auto at = cli.out().find("grandchild ");
  REQUIRE(at != std::string::npos);
  const PidWatch watch(std::stoi(cli.out().substr(at + 11)));
  REQUIRE(watch.valid());
  ::kill(cli.pid(), SIGTERM);
  CHECK(cli.finish() == 128 + SIGTERM);  // the child itself obeyed
  CHECK(watch.ended(10s));
}

TEST_CASE("cli: --max-drain ends a background writer that never pauses, and the summary says so", "[cli][drain]") {
  TempDir dir;
  // The child exits at once; the writer it leaves behind writes a line every 10 ms for ever.
  const CliResult r = run_cli(run_args({"--plain", "--max-drain", "0.3"}, {"orphan-writer", "10"}),
                              CliOptions{.cwd = dir.path()});
  CHECK(r.status == 0);
  CHECK(r.err.find("max_drain") != std::string::npos);
  CHECK(r.err.find("output truncated") != std::string::npos);
  CHECK(r.out.find("background") != std::string::npos);
  const CliResult bad = run_cli(run_args({"--max-drain", "nan"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--max-drain") != std::string::npos);
}
