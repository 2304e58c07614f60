// logstream's memory stays bounded by bytes, whatever the lines: the terminal display cuts what
// it keeps of long lines, and a large --buffer is not allocated up front.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace logstream::test;

TEST_CASE("cli memory: 400 lines of 1 MB on a terminal stay under 100 MB", "[cli][memory][display]") {
  TempDir dir;
  CliProcess cli(run_args({"--log", "run.log"}, {"lines", "400", "1048576"}),
                 CliOptions{.env = {{"TERM", "xterm"}}, .cwd = dir.path(), .pty_stdout = true});
  REQUIRE(cli.finish(std::chrono::seconds(60)) == 0);
  INFO("peak RSS " << cli.max_rss_kib() << " KiB");
  CHECK(cli.max_rss_kib() < 100 * 1024);
  CHECK(std::filesystem::file_size(dir / "run.log") == 400u * 1048576u);  // the log has them whole
  // Shown cut, and said so.
  CHECK(cli.out().find("[... 1048575 bytes in all, whole in the log file]") != std::string::npos);
}

TEST_CASE("cli memory: --buffer 1000000 costs nothing until lines come", "[cli][memory]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--buffer", "1000000"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.finish() == 0);
  INFO("peak RSS " << cli.max_rss_kib() << " KiB");
  CHECK(cli.max_rss_kib() < 40 * 1024);
}
