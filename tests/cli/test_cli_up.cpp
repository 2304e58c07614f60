// `logstream up`: a Procfile's processes as runs of one group; their lines merged with aligned
// name prefixes; --on-failure both ways; the exit status; Ctrl-C; a bad Procfile.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// A directory with a Procfile and its own store.
struct Project : StoreDir {
  void procfile(const std::string& text) const { std::ofstream(dir / "Procfile") << text; }
  std::string child(const std::string& args) const { return quoted(test_child_path()) + " " + args; }
  Json group(const std::string& name) const {
    const CliResult r = run_cli({"ls", "--json", "--group", name}, options());
    REQUIRE(r.status == 0);
    return Json::parse(r.out);
  }
};

// stdout's lines by process: "name | text" split at the first " | ", the padding trimmed.
std::map<std::string, std::vector<std::string>> by_process(const std::string& out) {
  std::map<std::string, std::vector<std::string>> lines;
  for (const std::string& line : split_lines(out)) {
    const auto bar = line.find(" | ");
    REQUIRE(bar != std::string::npos);
    std::string name = line.substr(0, bar);
    name.erase(name.find_last_not_of(' ') + 1);
    lines[name].push_back(line.substr(bar + 3));
  }
  return lines;
}

const Json* run_named(const Json& runs, const std::string& name) {
  for (const Json& run : runs)
    if (run["name"] == name) return &run;
  return nullptr;
}

}  // namespace

TEST_CASE("cli up: three processes, one failing: merged prefixed lines, every run recorded, the failure's status", "[cli][up]") {
  Project p;
  p.procfile("# a sweep\n"
             "train: " + p.child("train 1 3 0") + "\n"
             "\n"
             "web: " + p.child("lines 5") + "\n"
             "bad: echo broken >&2; exit 3\n");
  const CliResult r = run_cli({"up", "--group", "sweep"}, p.options());
  INFO(r.err);
  CHECK(r.status == 3);  // the others go on (--on-failure continue is the default)
  // The prefixes are aligned: every name is padded to the longest.
  for (const std::string& line : split_lines(r.out)) CHECK(line.find(" | ") == 5);
  const auto lines = by_process(r.out);
  REQUIRE(lines.count("web") == 1);
  CHECK(lines.at("web").size() == 5);
  CHECK(lines.at("web").front().starts_with("line 000000001 "));
  CHECK(lines.at("bad") == std::vector<std::string>{"[stderr] broken"});
  REQUIRE(lines.count("train") == 1);
  CHECK(lines.at("train").front() == "Position 1/1");

  const Json runs = p.group("sweep");
  REQUIRE(runs.size() == 3);
  for (const char* name : {"train", "web", "bad"}) {
    INFO(name);
    const Json* run = run_named(runs, name);
    REQUIRE(run != nullptr);
    CHECK((*run)["group"] == "sweep");
    CHECK((*run)["state"] == (std::string(name) == "bad" ? "failed" : "exited"));
  }
  CHECK((*run_named(runs, "bad"))["exit_code"] == 3);
  CHECK((*run_named(runs, "train"))["progress"]["trial"] == 3);
  CHECK((*run_named(runs, "web"))["lines"] == 5);
  // The summary names each process's end.
  CHECK(r.err.find("bad    failed 3") != std::string::npos);
  CHECK(r.err.find("web    exited 0") != std::string::npos);
}

TEST_CASE("cli up: every process succeeding exits 0", "[cli][up]") {
  Project p;
  p.procfile("one: " + p.child("lines 3") + "\ntwo: " + p.child("lines 4") + "\n");
  const CliResult r = run_cli({"up", "--group", "ok"}, p.options());
  INFO(r.err);
  CHECK(r.status == 0);
  const auto lines = by_process(r.out);
  CHECK(lines.at("one").size() == 3);
  CHECK(lines.at("two").size() == 4);
  CHECK(p.group("ok").size() == 2);
}

TEST_CASE("cli up: --on-failure stop-all stops the others at the first failure", "[cli][up]") {
  Project p;
  // `long` would write for 100 s; `bad` fails once `long` has begun.
  p.procfile("long: " + p.child("slow 2000 50") + "\nbad: sleep 0.3; exit 4\n");
  const auto t0 = std::chrono::steady_clock::now();
  const CliResult r = run_cli({"up", "--group", "g", "--on-failure", "stop-all"}, p.options());
  INFO(r.err);
  CHECK(r.status == 4);  // the first failure's, not the stopped process's
  CHECK(std::chrono::steady_clock::now() - t0 < 60s);
  CHECK(r.err.find("stopping the others") != std::string::npos);
  const Json runs = p.group("g");
  REQUIRE(runs.size() == 2);
  CHECK((*run_named(runs, "long"))["state"] == "killed");
  CHECK((*run_named(runs, "long"))["signal"] == SIGTERM);
  CHECK((*run_named(runs, "bad"))["state"] == "failed");
}

TEST_CASE("cli up: --on-failure continue lets the others finish", "[cli][up]") {
  Project p;
  p.procfile("long: " + p.child("slow 20 20") + "\nbad: exit 4\n");
  const CliResult r = run_cli({"up", "--group", "g", "--on-failure", "continue"}, p.options());
  INFO(r.err);
  CHECK(r.status == 4);
  CHECK(by_process(r.out).at("long").size() == 20);
  CHECK((*run_named(p.group("g"), "long"))["state"] == "exited");
}

TEST_CASE("cli up: Ctrl-C stops every process", "[cli][up]") {
  Project p;
  p.procfile("a: " + p.child("slow 2000 50") + "\nb: " + p.child("slow 2000 50") + "\n");
  CliProcess up({"up", "--group", "g"}, p.options());
  REQUIRE(up.out_contains("a | slow 2\n"));
  REQUIRE(up.out_contains("b | slow 2\n"));
  ::kill(up.pid(), SIGINT);
  const int status = up.finish(30s);
  INFO(up.err());
  CHECK(status == 128 + SIGTERM);
  for (const Json& run : p.group("g")) CHECK(run["state"] == "killed");
}

TEST_CASE("cli up: a bad Procfile exits 2 naming the file and line", "[cli][up]") {
  Project p;
  const struct {
    const char* procfile;
    const char* error;
  } bad[] = {
      {"web: true\nthis line has no colon\n", "Procfile:2: expected 'name: command'"},
      {"web: true\nweb: false\n", "Procfile:2: process 'web' is defined twice"},
      {"bad name: true\n", "Procfile:1:"},
      {"web:\n", "Procfile:1: process 'web' has no command"},
      {"# only a comment\n\n", "no process defined"},
  };
  for (const auto& [procfile, error] : bad) {
    INFO(procfile);
    p.procfile(procfile);
    const CliResult r = run_cli({"up"}, p.options());
    CHECK(r.status == 2);
    CHECK(r.err.find(error) != std::string::npos);
  }
  const CliResult missing = run_cli({"up", "no-such-Procfile"}, p.options());
  CHECK(missing.status == 2);
  CHECK(missing.err.find("cannot read no-such-Procfile") != std::string::npos);
  // Nothing ran, nothing was recorded.
  CHECK(run_cli({"ls", "--json", "--all"}, p.options()).out == "[]\n");
}

TEST_CASE("cli up: random processes' lines all arrive, each once, in each process's order", "[cli][up]") {
  // The model: process i prints lines "<i>:<k> <random text>" for k = 1..n_i; the merged
  // output, split by prefix, must be exactly those sequences (arrival order may interleave).
  std::mt19937 random(Catch::rngSeed());
  for (int round = 0; round < 3; ++round) {
    Project p;
    const int processes = std::uniform_int_distribution<int>(1, 5)(random);
    std::map<std::string, std::vector<std::string>> expected;
    std::string procfile;
    for (int i = 0; i < processes; ++i) {
      const std::string name = std::string("p").append(std::to_string(i)).append(static_cast<std::size_t>(i % 3), 'x');
      const int count = std::uniform_int_distribution<int>(0, 400)(random);
      std::string text;
      for (int k = 1; k <= count; ++k) {
        std::string line = std::to_string(i) + ":" + std::to_string(k);
        const int extra = std::uniform_int_distribution<int>(0, 60)(random);
        for (int c = 0; c < extra; ++c) line += static_cast<char>(std::uniform_int_distribution<int>(' ', '~')(random));
        while (!line.empty() && line.back() == ' ') line.pop_back();
        text += line + "\n";
        expected[name].push_back(line);
      }
      std::ofstream(p.dir / (name + ".txt"), std::ios::binary) << text;
      procfile += name + ": cat " + name + ".txt\n";
    }
    p.procfile(procfile);
    const CliResult r = run_cli({"up", "--group", "random"}, p.options());
    INFO(r.err);
    REQUIRE(r.status == 0);
    auto got = by_process(r.out);
    for (auto& [name, lines] : got)
      for (std::string& line : lines) line.erase(line.find_last_not_of(' ') + 1);
    for (const auto& [name, lines] : expected) {
      INFO(name);
      CHECK(got[name] == lines);
    }
    CHECK(p.group("random").size() == static_cast<std::size_t>(processes));
  }
}
