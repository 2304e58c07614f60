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
