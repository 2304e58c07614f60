// `logstream attach`: a file another process writes, followed through appends, rotation and
// truncation; a run recorded by another logstream, its history then live, to its end.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "count_of.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

void append(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::app | std::ios::binary) << text << std::flush;
}

}  // namespace

TEST_CASE("cli attach: a file is followed through appends, rotation and truncation; SIGTERM ends it", "[cli][attach]") {
  TempDir dir;
  const auto log = dir / "app.log";
  append(log, "old 1\nold 2\nold 3\n");
  CliProcess attach({"attach", "--plain", "-n", "2", log.string()}, CliOptions{.cwd = dir.path()});
  REQUIRE(attach.out_contains("old 3\n"));
  CHECK(attach.out().find("old 1") == std::string::npos);  // -n 2: the last two lines
  CHECK(attach.out().find("old 2\n") != std::string::npos);

  append(log, "new 1\n");
  REQUIRE(attach.out_contains("new 1\n"));
  // Rotation: the old file renamed away and written once more, then a new file at the path.
  std::filesystem::rename(log, dir / "app.log.1");
  append(dir / "app.log.1", "late 1\n");
  append(log, "rotated 1\n");
  REQUIRE(attach.out_contains("rotated 1\n"));
  CHECK(attach.out().find("late 1\n") != std::string::npos);
  // Truncation: followed from the start again.
  { std::ofstream(log, std::ios::trunc | std::ios::binary) << "cut 1\n"; }
  REQUIRE(attach.out_contains("cut 1\n"));

  ::kill(attach.pid(), SIGTERM);
  CHECK(attach.finish() == 0);
  for (const char* line : {"old 2\n", "old 3\n", "new 1\n", "late 1\n", "rotated 1\n", "cut 1\n"}) {
    INFO(line);
    CHECK(count_of(attach.out(), line) == 1);
  }
}

TEST_CASE("cli attach: --json gives each appended line promptly, with the extraction of run", "[cli][attach]") {
  TempDir dir;
  const auto log = dir / "train.log";
  append(log, "Position 2/6\n");
  CliProcess attach({"attach", "--json", log.string()}, CliOptions{.cwd = dir.path()});
  REQUIRE(attach.out_contains("\"text\":\"Position 2/6\""));
  for (int t = 1; t <= 3; ++t) {
    const std::string line = "  Trial " + std::to_string(t) + "/3: Score=0.5";
    append(log, line + "\n");
    REQUIRE(attach.out_contains("\"text\":\"" + line + "\""));  // each as it comes
  }
  REQUIRE(attach.out_contains("\"trial\":3"));
  ::kill(attach.pid(), SIGINT);
  CHECK(attach.finish() == 0);
  bool position_seen = false;
  for (const std::string& text : split_lines(attach.out())) {
    const Json object = Json::parse(text);
    if (object["type"] == "progress") position_seen = position_seen || object["position"] == 2;
  }
  CHECK(position_seen);
}

TEST_CASE("cli attach: a run shows its history, then its live lines, and ends with it", "[cli][attach][store]") {
  TempDir dir;
  const CliOptions store{.env = {{"LOGSTREAM_HOME", dir.file("home")}}, .cwd = dir.path()};
  CliOptions detached = store;
  detached.pty_stdout = true;
  CliProcess starter(run_args({"-d", "--name", "job"}, {"slow", "30", "40"}), detached);
  REQUIRE(starter.finish() == 0);
  CliProcess attach({"attach", "--plain", "job"}, store);
  const int status = attach.finish(std::chrono::seconds(30));
  INFO("attach said: " << attach.err());
  INFO("the run's record: " << run_cli({"show", "--json", "job"}, store).out);
  CHECK(status == 0);  // the run's own exit status
  for (int i = 1; i <= 30; ++i) {
    INFO(i);
    CHECK(count_of(attach.out(), "slow " + std::to_string(i) + "\n") == 1);
  }
  const CliResult unknown = run_cli({"attach", "no-such-run"}, store);
  CHECK(unknown.status == 1);
}
