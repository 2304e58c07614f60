// logstream's memory stays bounded by bytes, whatever the lines: the terminal display cuts what
// it keeps of long lines, and a large --buffer is not allocated up front.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <algorithm>

#include "cli_support.hpp"

using namespace logstream::test;

namespace {

// The CLI's peak RSS (KiB) once its first line for `marker` was read: a high-water mark, so any
// sample after the allocations holds it. Not before exec: the forked process then still has
// this test's pages.
long peak_once_shown(const std::vector<std::string>& args, const std::string& marker) {
  TempDir dir;
  CliProcess cli(args, CliOptions{.env = {no_quarantine()}, .cwd = dir.path()});
  REQUIRE(cli.out_contains(marker));
  const long peak = vm_hwm_kib(cli.pid());
  REQUIRE(cli.finish() == 0);
  return peak;
}

}  // namespace

TEST_CASE("cli memory: 400 lines of 1 MB on a terminal stay under 100 MB", "[cli][memory][display]") {
  TempDir dir;
  CliProcess cli(run_args({"--log", "run.log"}, {"lines", "400", "1048576"}),
                 CliOptions{.env = {{"TERM", "xterm"}, no_quarantine()}, .cwd = dir.path(), .pty_stdout = true});
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
  // The sanitizers keep shadow memory for every page touched (TSan's docs: 5-10x; ASan's
  // allocator adds redzones around each 1 MB line): there the bound is 2.5 times. The plain
  // build holds the 100 MB (45 MB measured with the run recorded in the store and libcurl's
  // libraries, for the alert webhooks, mapped).
  const long bound_kib = sanitized() ? 250 * 1024 : 100 * 1024;
  CHECK(peak < bound_kib);
  CHECK(std::filesystem::file_size(dir / "run.log") == 400u * 1048576u);  // the log has them whole
  // Shown cut, and said so.
  CHECK(cli.out().find("[... 1048575 bytes in all, whole in the log file]") != std::string::npos);
}

TEST_CASE("cli memory: --buffer 1000000 costs nothing until lines come", "[cli][memory]") {
  // The buffer exists before the command starts: its first line means the allocation is done.
  // Compared with the default buffer, so that a sanitizer build's own overhead cancels out.
  const long base = peak_once_shown(run_args({"--plain"}, {"slow", "2", "200"}), "slow 1\n");
  const long large = peak_once_shown(run_args({"--plain", "--buffer", "1000000"}, {"slow", "2", "200"}), "slow 1\n");
  INFO("peak RSS " << large << " KiB with --buffer 1000000, " << base << " KiB with the default");
  CHECK(base > 0);
  CHECK(large < base + 10 * 1024);
}
