// Signals sent to logstream reach the child's process group; the log is complete afterwards.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

// The command running a test child that ignores signals (`mode`), once the child is ready: its
// handlers are in place.
struct IgnoringChild {
  IgnoringChild(const std::vector<std::string>& cli_args, const std::string& mode)
      : cli(run_args(cli_args, {mode}), CliOptions{.cwd = dir.path()}) {
    REQUIRE(cli.out_contains("ready\n"));
  }
  TempDir dir;
  CliProcess cli;
};

}  // namespace

TEST_CASE("cli: SIGINT reaches the child, which dies of it, and the log holds every line", "[cli][signals]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--log", "run.log"}, {"slow", "100000", "20"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains("slow 3\n"));
  ::kill(cli.pid(), SIGINT);
  CHECK(cli.finish() == 128 + SIGINT);  // the child died of SIGINT: it got it, we did not
  CHECK(cli.err().find("interrupt sent") != std::string::npos);
  CHECK(cli.err().find("killed by signal 2 (SIGINT), status 130") != std::string::npos);
  const std::string log = read_file(dir / "run.log");
  REQUIRE(!log.empty());
  CHECK(log.back() == '\n');
  CHECK(log == cli.out());  // every line printed is in the log, flushed
  const auto lines = split_lines(log);
  for (std::size_t i = 0; i < lines.size(); ++i) CHECK(lines[i] == "slow " + std::to_string(i + 1));
}

TEST_CASE("cli: a child that ignores SIGINT dies on the second Ctrl-C", "[cli][signals]") {
  IgnoringChild run({"--plain", "--log", "run.log"}, "ignore-int-term");
  REQUIRE(signal_acknowledged(run.cli, SIGINT, "interrupt sent"));
  CHECK(run.cli.running());  // the child ignored it, so we still wait for it
  ::kill(run.cli.pid(), SIGINT);
  CHECK(run.cli.finish() == 128 + SIGKILL);
  CHECK(run.cli.err().find("second interrupt") != std::string::npos);
  CHECK(read_file(run.dir / "run.log") == "ready\n");
  CHECK(run.cli.err().find("logstream: summary") != std::string::npos);
}

TEST_CASE("cli: SIGTERM is forwarded, then SIGKILL after --stop-timeout", "[cli][signals]") {
  TempDir dir;
  SECTION("a child that obeys SIGTERM") {
    CliProcess cli(run_args({"--plain"}, {"slow", "100000", "20"}), CliOptions{.cwd = dir.path()});
    REQUIRE(cli.out_contains("slow 2\n"));
    ::kill(cli.pid(), SIGTERM);
    CHECK(cli.finish() == 128 + SIGTERM);
  }
  SECTION("a child that ignores SIGTERM") {
    IgnoringChild run({"--plain", "--stop-timeout", "0.2"}, "ignore-term");
    ::kill(run.cli.pid(), SIGTERM);
    CHECK(run.cli.finish() == 128 + SIGKILL);
    CHECK(run.cli.err().find("SIGTERM received") != std::string::npos);
  }
}

TEST_CASE("cli: a second SIGTERM kills the group without waiting for --stop-timeout", "[cli][signals]") {
  IgnoringChild run({"--plain", "--stop-timeout", "1000"}, "ignore-term");
  REQUIRE(signal_acknowledged(run.cli, SIGTERM, "SIGTERM received"));
  ::kill(run.cli.pid(), SIGTERM);
  CHECK(run.cli.finish() == 128 + SIGKILL);
  CHECK(run.cli.err().find("second SIGTERM: killed the command's process group") != std::string::npos);
}

TEST_CASE("cli: after SIGINT in --json mode the exit object still comes last", "[cli][signals][json]") {
  TempDir dir;
  CliProcess cli(run_args({"--json"}, {"slow", "100000", "20"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains("slow 2"));
  ::kill(cli.pid(), SIGINT);
  CHECK(cli.finish() == 130);
  const auto lines = split_lines(cli.out());
  REQUIRE(!lines.empty());
  CHECK(lines.back().find("\"type\":\"exit\"") != std::string::npos);
  CHECK(lines.back().find("\"signal\":2") != std::string::npos);
}
