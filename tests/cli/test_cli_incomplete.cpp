// What logstream was asked to keep and could not is said, and makes the status 125: a log file
// at its size limit or on a full disk, a --json stdout that fails, a metrics export that fails
// (the other one still written).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;

TEST_CASE("cli incomplete: a log file at RLIMIT_FSIZE is reported, not a crash", "[cli][incomplete]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--log", "run.log"}, {"lines", "100000"}),
                 CliOptions{.cwd = dir.path(), .file_size_limit = 100000});
  CHECK(cli.finish() == 125);  // not 153: SIGXFSZ does not kill logstream
  INFO(cli.err());
  CHECK(cli.err().find("logstream: summary") != std::string::npos);
  CHECK(cli.err().find("run.log INCOMPLETE: ") != std::string::npos);
  CHECK(cli.err().find("cannot write log file 'run.log': File too large") != std::string::npos);
  CHECK(cli.err().find("exit code 0, status 125") != std::string::npos);
  CHECK(std::filesystem::file_size(dir / "run.log") == 100000);
  CHECK(split_lines(cli.out()).size() == 100000);  // the display still got every line
}

TEST_CASE("cli incomplete: a log file on a full disk makes the status 125", "[cli][incomplete]") {
  TempDir dir;
  const CliResult r = run_cli(run_args({"--plain", "--log", "/dev/full"}, {"both", "10"}), CliOptions{.cwd = dir.path()});
  CHECK(r.status == 125);
  INFO(r.err);
  CHECK(r.err.find("/dev/full INCOMPLETE: ") != std::string::npos);
  CHECK(r.err.find("cannot write log file '/dev/full': No space left on device") != std::string::npos);
}

TEST_CASE("cli incomplete: a failing --json stdout is reported on stderr", "[cli][incomplete][json]") {
  TempDir dir;
  CliProcess cli(run_args({"--json", "--log", "run.log"}, {"both", "10"}), CliOptions{.cwd = dir.path(), .stdout_file = "/dev/full"});
  CHECK(cli.finish() == 125);
  INFO(cli.err());
  CHECK(cli.err().find("cannot write the JSON output to stdout: No space left on device") != std::string::npos);
  CHECK(cli.err().find("output     INCOMPLETE") != std::string::npos);
  CHECK(split_lines(read_file(dir / "run.log")).size() == 20);  // the log is whole
}

TEST_CASE("cli incomplete: a closed stdout pipe is reported but is not a failure", "[cli][incomplete]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--log", "run.log"}, {"lines", "200000"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains("line 000000002"));
  cli.close_out();  // like `| head`
  CHECK(cli.finish() == 0);
  CHECK(cli.err().find("stdout was closed by its reader") != std::string::npos);
  CHECK(split_lines(read_file(dir / "run.log")).size() == 200000);
}

TEST_CASE("cli incomplete: one bad metrics path fails alone, and the exit object says which", "[cli][incomplete][json]") {
  TempDir dir;
  std::ofstream(dir / "a-file") << "x";
  const CliResult r = run_cli(run_args({"--json", "--metrics-csv", "m.csv", "--metrics-json", "a-file/m.json"}, {"train", "1", "3", "0"}),
                              CliOptions{.cwd = dir.path()});
  CHECK(r.status == 125);
  CHECK(read_file(dir / "m.csv").find(",loss,") != std::string::npos);
  const auto lines = split_lines(r.out);
  REQUIRE(!lines.empty());
  nlohmann::json exit = nlohmann::json::parse(lines.back());  // not const: a missing key reads as null
  CHECK(exit["metrics_files"] == nlohmann::json::array({"m.csv"}));
  CHECK(exit["metrics_failed"] == nlohmann::json::array({"a-file/m.json"}));
  CHECK(r.err.find("metrics    m.csv (FAILED: a-file/m.json)") != std::string::npos);
}
