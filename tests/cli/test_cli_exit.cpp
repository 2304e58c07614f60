// logstream's exit status: the child's own code, 128+N for a signal, 127/126 for start failures,
// 2 for usage errors; and the help, version and log-file announcements.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_support.hpp"

using namespace logstream::test;

namespace {

CliResult run_child(const TempDir& dir, std::vector<std::string> child_args, std::vector<std::string> cli_args = {"--plain"}) {
  return run_cli(run_args(cli_args, child_args), CliOptions{.cwd = dir.path()});
}

}  // namespace

TEST_CASE("cli: the child's exit code 0 and 3 become logstream's", "[cli][exit]") {
  TempDir dir;
  CHECK(run_child(dir, {"exit", "0"}).status == 0);
  const CliResult three = run_child(dir, {"exit", "3"});
  CHECK(three.status == 3);
  CHECK(three.out == "bye\n");
  CHECK(three.err.find("exit code 3, status 3") != std::string::npos);
}

TEST_CASE("cli: a child killed by signal N gives 128+N", "[cli][exit]") {
  TempDir dir;
  CHECK(run_child(dir, {"signal", "TERM"}).status == 128 + SIGTERM);
  const CliResult killed = run_child(dir, {"signal", "KILL"});
  CHECK(killed.status == 128 + SIGKILL);
  CHECK(killed.err.find("killed by signal 9 (SIGKILL)") != std::string::npos);
}

TEST_CASE("cli: a command that does not exist gives 127 and says so", "[cli][exit]") {
  TempDir dir;
  const CliResult r = run_cli({"run", "--", "/nonexistent/logstream-no-such-command"}, CliOptions{.cwd = dir.path()});
  CHECK(r.status == 127);
  CHECK(r.err.find("not found") != std::string::npos);
  CHECK(r.err.find("/nonexistent/logstream-no-such-command") != std::string::npos);
}

TEST_CASE("cli: a command that is not executable gives 126", "[cli][exit]") {
  TempDir dir;
  const auto script = dir / "not-executable.sh";
  std::ofstream(script) << "#!/bin/sh\necho hi\n";
  ::chmod(script.c_str(), 0644);
  const CliResult r = run_cli({"run", "--", script.string()}, CliOptions{.cwd = dir.path()});
  CHECK(r.status == 126);
  CHECK(r.err.find("not executable") != std::string::npos);
}

TEST_CASE("cli: usage errors give 2", "[cli][exit]") {
  TempDir dir;
  const CliOptions in_dir{.cwd = dir.path()};
  const std::string child = test_child_path();
  SECTION("no subcommand") { CHECK(run_cli({}, in_dir).status == 2); }
  SECTION("an unknown subcommand") { CHECK(run_cli({"walk"}, in_dir).status == 2); }
  SECTION("run without a command") { CHECK(run_cli({"run"}, in_dir).status == 2); }
  SECTION("an unknown option") { CHECK(run_cli({"run", "--frobnicate", "--", child, "exit", "0"}, in_dir).status == 2); }
  SECTION("a bad number") { CHECK(run_cli({"run", "--buffer", "many", "--", child, "exit", "0"}, in_dir).status == 2); }
  SECTION("--plain with --json") { CHECK(run_cli({"run", "--plain", "--json", "--", child, "exit", "0"}, in_dir).status == 2); }
  SECTION("an invalid --rule") {
    const CliResult r = run_cli({"run", "--rule", "(?P<score>unclosed", "--", child, "exit", "0"}, in_dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("rule1") != std::string::npos);
  }
  SECTION("a missing --rules file") { CHECK(run_cli({"run", "--rules", "nope.rules", "--", child, "exit", "0"}, in_dir).status == 2); }
  SECTION("replay without a file") { CHECK(run_cli({"replay"}, in_dir).status == 2); }
}

TEST_CASE("cli: option values that cannot work are usage errors naming the limit", "[cli][exit][options]") {
  TempDir dir;
  const CliOptions in_dir{.cwd = dir.path()};
  const std::string child = test_child_path();
  const auto rejected = [&](const std::string& option, const std::string& value, const std::string& limit) {
    const CliResult r = run_cli({"run", option, value, "--", child, "exit", "0"}, in_dir);
    INFO(option << " " << value << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(option) != std::string::npos);
    CHECK(r.err.find(limit) != std::string::npos);
    CHECK(r.out.empty());  // the command did not run
  };
  for (const char* value : {"nan", "inf", "-1", "1e16", "9.3e15", "1000001", "ten"})
    rejected("--stop-timeout", value, "must be a finite number of seconds from 0 to 1e+06");
  for (const char* value : {"0", "1000001", "1e9", "18446744073709551616", "-1", "2.5"})
    rejected("--buffer", value, "must be a whole number from 1 to 1000000");
  CHECK(run_cli({"run", "--plain", "--stop-timeout", "1e6", "--buffer", "1000000", "--", child, "exit", "0"}, in_dir).status == 0);
  CHECK(run_cli({"run", "--plain", "--stop-timeout", "0", "--buffer", "1", "--", child, "exit", "0"}, in_dir).status == 0);
}

TEST_CASE("cli: a rules file larger than 1 MiB is refused, whatever it is", "[cli][exit][rules]") {
  TempDir dir;
  const CliResult r = run_cli(run_args({"--rules", "/dev/zero"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  CHECK(r.status == 2);
  CHECK(r.err.find("rules file '/dev/zero' is larger than the limit of 1 MiB") != std::string::npos);
  const CliResult replayed = run_cli({"replay", "/dev/null", "--rules", "/dev/zero"}, CliOptions{.cwd = dir.path()});
  CHECK(replayed.status == 2);
}

TEST_CASE("cli: --help, run --help and --version exit 0", "[cli][exit]") {
  const CliResult help = run_cli({"--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("replay") != std::string::npos);
  const CliResult run_help = run_cli({"run", "--help"});
  CHECK(run_help.status == 0);
  for (const char* option : {"--log", "--buffer", "--rules", "--rule", "--metrics-csv", "--metrics-json",
                             "--stop-timeout", "--quiet", "--raw", "--pty", "--plain", "--json"})
    CHECK(run_help.out.find(option) != std::string::npos);
  const CliResult version = run_cli({"--version"});
  CHECK(version.status == 0);
  CHECK(version.out.rfind("logstream ", 0) == 0);
}

TEST_CASE("cli: without the store the default log file is logs/<command>-<UTC time>.log, named at start and end", "[cli][log]") {
  TempDir dir;
  const CliResult r = run_child(dir, {"both", "2"}, {"--plain", "--no-store"});
  REQUIRE(r.status == 0);
  const auto log = announced_log(r.err);
  REQUIRE(!log.empty());
  CHECK(log.string().rfind("logs/test_child-", 0) == 0);
  CHECK(log.extension() == ".log");
  CHECK(r.err.find("  log        " + log.string()) != std::string::npos);  // the summary names it again
  // Order between the two pipes depends on scheduling; each pipe's own order does not.
  auto lines = split_lines(read_file(dir.path() / log));
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{"err 1", "err 2", "out 1", "out 2"});
}

TEST_CASE("cli: --log names the file, and an unusable one fails before the command runs", "[cli][log]") {
  TempDir dir;
  const CliResult ok = run_child(dir, {"exit", "0"}, {"--plain", "--log", "deep/dir/run.log"});
  CHECK(ok.status == 0);
  CHECK(read_file(dir / "deep/dir/run.log") == "bye\n");
  std::ofstream(dir / "a-file") << "x";
  const CliResult bad = run_child(dir, {"exit", "0"}, {"--plain", "--log", "a-file/run.log"});
  CHECK(bad.status == 125);
  CHECK(bad.err.find("a-file/run.log") != std::string::npos);
  CHECK(bad.out.empty());
}

TEST_CASE("cli: the summary reports lines, progress, best score and exit", "[cli][summary]") {
  TempDir dir;
  const CliResult r = run_child(dir, {"train", "1", "3", "0"}, {"--plain", "--metrics-csv", "m.csv", "--metrics-json", "m.json"});
  REQUIRE(r.status == 0);
  CHECK(r.err.find("logstream: summary") != std::string::npos);
  CHECK(r.err.find("position 1/1, trial 3/3, model XGBoost") != std::string::npos);
  CHECK(r.err.find("best score 0.4500") != std::string::npos);
  CHECK(r.err.find("exit code 0, status 0") != std::string::npos);
  CHECK(r.err.find("m.csv, m.json") != std::string::npos);
  CHECK(read_file(dir / "m.csv").find(",loss,") != std::string::npos);
  CHECK(read_file(dir / "m.json").find("\"loss\"") != std::string::npos);
}

TEST_CASE("cli: the command reads logstream's stdin", "[cli][stdin]") {
  TempDir dir;
  std::string input;
  for (int i = 1; i <= 1000; ++i) input += "input line " + std::to_string(i) + "\n";
  std::ofstream(dir / "input.txt") << input;
  const CliResult r = run_cli({"run", "--plain", "--log", "copy.log", "--", "cat"},
                              CliOptions{.cwd = dir.path(), .stdin_file = dir / "input.txt"});
  REQUIRE(r.status == 0);
  CHECK(read_file(dir / "copy.log") == input);
}
