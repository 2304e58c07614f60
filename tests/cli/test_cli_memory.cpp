// logstream's memory stays bounded by bytes, whatever the lines: the terminal display cuts what
// it keeps of long lines, and a large --buffer is not allocated up front.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_support.hpp"

using namespace logstream::test;

TEST_CASE("cli memory: 400 lines of 1 MB on a terminal stay under 100 MB", "[cli][memory][display]") {
  TempDir dir;
  CliProcess cli(run_args({"--log", "run.log"}, {"lines", "400", "1048576"}),
                 CliOptions{.env = {{"TERM", "xterm"}}, .cwd = dir.path(), .pty_stdout = true});
  // The peak is a high-water mark: any sample taken after it holds it, and the command lives
  // until its summary is read. Sampled after every read of its output, once there is output:
  // before its exec the forked process still has this test's pages.
  long peak = 0;
  const auto sample = [&] {
    if (!cli.out().empty()) peak = std::max(peak, vm_hwm_kib(cli.pid()));
    return false;
  };
  cli.read_until(sample, std::chrono::seconds(60));
  REQUIRE(cli.finish() == 0);
  INFO("peak RSS " << peak << " KiB");
  CHECK(peak > 0);
  CHECK(peak < 100 * 1024);
  CHECK(std::filesystem::file_size(dir / "run.log") == 400u * 1048576u);  // the log has them whole
  // Shown cut, and said so.
  CHECK(cli.out().find("[... 1048575 bytes in all, whole in the log file]") != std::string::npos);
}

TEST_CASE("cli memory: --buffer 1000000 costs nothing until lines come", "[cli][memory]") {
  TempDir dir;
  // The buffer exists before the command starts: its first line means the allocation is done.
  CliProcess cli(run_args({"--plain", "--buffer", "1000000"}, {"slow", "2", "200"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains("slow 1\n"));
  const long peak = vm_hwm_kib(cli.pid());
  REQUIRE(cli.finish() == 0);
  INFO("peak RSS " << peak << " KiB");
  CHECK(peak > 0);
  CHECK(peak < 40 * 1024);
}
