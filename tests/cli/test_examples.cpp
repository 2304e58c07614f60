// The examples do what their comments say, run as a user runs them.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_support.hpp"

using namespace logstream::test;

TEST_CASE("examples: custom_sink gets each line, then its metrics, and the exit after the last line", "[examples]") {
  const CliOptions options{.program = env_or("LOGSTREAM_EXAMPLE_CUSTOM_SINK", "examples/custom_sink")};
  const CliResult r = run_cli({test_child_path(), "train", "2", "3", "0"}, options);
  CHECK(r.status == 0);
  const auto lines = split_lines(r.out);
  REQUIRE(lines.size() > 3);
  CHECK(lines.back() == "end: exited with code 0");
  // Each metric line follows its own line (or another metric of it): loss and acc after "epoch".
  std::size_t epochs = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("epoch ", 0) != 0) continue;
    ++epochs;
    REQUIRE(i + 2 < lines.size());
    CHECK(lines[i + 1].rfind("  metric loss = ", 0) == 0);
    CHECK(lines[i + 2].rfind("  metric acc = ", 0) == 0);
  }
  CHECK(epochs == 6);
  CHECK(std::count(lines.begin(), lines.end(), "end: exited with code 0") == 1);
}

TEST_CASE("examples: run_store lists the store's runs and prints the progress of one the command recorded", "[examples][store]") {
  TempDir dir;
  const std::string home = dir.file("home");
  const CliOptions in_store{.env = {{"LOGSTREAM_HOME", home}}, .cwd = dir.path()};
  REQUIRE(run_cli(run_args({"--plain", "--quiet", "--name", "sweep"}, {"train", "2", "3", "0"}), in_store).status == 0);
  const CliOptions example{.program = env_or("LOGSTREAM_EXAMPLE_RUN_STORE", "examples/run_store"),
                           .env = {{"LOGSTREAM_HOME", home}}};
  const CliResult r = run_cli({}, example);
  CHECK(r.status == 0);
  const auto lines = split_lines(r.out);
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0].find("sweep") != std::string::npos);
  CHECK(lines[0].find("exited") != std::string::npos);
  CHECK(lines[1].rfind("latest: sweep, position 2/2, trial 3/3, best score", 0) == 0);
  CHECK(r.out.find("  loss: latest") != std::string::npos);
}
