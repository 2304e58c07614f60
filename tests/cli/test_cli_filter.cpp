// The filter flags (-g/-v/-F/-i/-A/-B/-C/--stream/--level/--best/--progress) on `run` and
// `logs`: what is shown, while the log file and the store keep every line; bad patterns.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

const std::vector<std::string> training = {
    "Position 1/2",                       // 1
    "  Trial 1/3: Score=0.5",             // 2
    "    [BEST] NEW BEST! Score: 0.5",    // 3
    "epoch loss=0.3",                     // 4
    "hello world",                        // 5
    "  Trial 2/3: Score=0.4",             // 6
    "  Trial 3/3: Score=0.7",             // 7
    "    [BEST] NEW BEST! Score: 0.7",    // 8
    "a.b literal",                        // 9
    "axb not literal",                    // 10
};

struct Fixture : StoreDir {
  std::filesystem::path out_file = dir / "out.txt";
  std::filesystem::path err_file = dir / "err.txt";

  Fixture() {
    std::ofstream out(out_file);
    for (const std::string& line : training) out << line << '\n';
    std::ofstream err(err_file);
    err << "WARNING: careful\nERROR: failed thing\nINFO: fine\n";
  }
  // `run --plain FLAGS -- cat FILE`: the lines shown.
  std::string shown(std::vector<std::string> flags, const std::filesystem::path& file, bool to_stderr = false) const {
    std::vector<std::string> args{"run", "--plain"};
    args.insert(args.end(), flags.begin(), flags.end());
    if (to_stderr) args.insert(args.end(), {"--", "sh", "-c", "cat \"$0\" >&2", file.string()});
    else args.insert(args.end(), {"--", "cat", file.string()});
    const CliResult r = cli(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return r.out;
  }
};

std::string lines_of(std::initializer_list<int> numbers) {
  std::string out;
  for (int n : numbers) out += n == 0 ? std::string("--") + '\n' : training[static_cast<std::size_t>(n - 1)] + '\n';
  return out;
}

std::string whole_log() {
  std::string out;
  for (const std::string& line : training) out += line + '\n';
  return out;
}

}  // namespace

TEST_CASE("cli filters: run shows what each flag keeps, and the log keeps every line", "[cli][filter]") {
  Fixture f;
  CHECK(f.shown({"-g", "Trial"}, f.out_file) == lines_of({2, 6, 7}));
  CHECK(f.shown({"-g", "Trial", "-v", "Trial 2"}, f.out_file) == lines_of({2, 7}));
  CHECK(f.shown({"-g", "hello", "-g", "literal$"}, f.out_file) == lines_of({5, 9, 10}));
  CHECK(f.shown({"-F", "-i", "-g", "A.B"}, f.out_file) == lines_of({9}));
  CHECK(f.shown({"-g", "hello", "-C", "1"}, f.out_file) == lines_of({4, 5, 6}));
  CHECK(f.shown({"-g", "hello", "-A", "1"}, f.out_file) == lines_of({5, 6}));
  CHECK(f.shown({"-g", "hello", "-B", "2"}, f.out_file) == lines_of({3, 4, 5}));
  CHECK(f.shown({"-g", "Trial 1", "-g", "Trial 3", "-A", "1"}, f.out_file) == lines_of({2, 3, 0, 7, 8}));
  CHECK(f.shown({"--best"}, f.out_file) == lines_of({3, 8}));
  CHECK(f.shown({"--progress", "-v", "BEST"}, f.out_file) == lines_of({1, 2, 6, 7}));

  CHECK(f.shown({"--stream", "stderr"}, f.err_file, true) == "[stderr] WARNING: careful\n[stderr] ERROR: failed thing\n[stderr] INFO: fine\n");
  CHECK(f.shown({"--stream", "stdout"}, f.err_file, true).empty());
  CHECK(f.shown({"--level", "warning"}, f.err_file, true) == "[stderr] WARNING: careful\n[stderr] ERROR: failed thing\n");
  CHECK(f.shown({"--level", "error"}, f.err_file, true) == "[stderr] ERROR: failed thing\n");

  // Every run above recorded the whole output.
  const CliResult ls = f.cli({"ls", "--all", "--json"});
  REQUIRE(ls.status == 0);
  const Json runs = Json::parse(ls.out);
  REQUIRE(runs.size() == 14);
  for (const Json& run : runs) {
    const CliResult logs = f.cli({"logs", run["id"]});
    REQUIRE(logs.status == 0);
    if (run["lines"] == 3) CHECK(logs.out == "WARNING: careful\nERROR: failed thing\nINFO: fine\n");
    else CHECK(logs.out == whole_log());
  }
}

TEST_CASE("cli filters: logs shows what each flag keeps", "[cli][filter]") {
  Fixture f;
  REQUIRE(f.cli({"run", "--plain", "--quiet", "--name", "train", "--", "cat", f.out_file.string()}).status == 0);
  auto logs = [&](std::vector<std::string> flags) {
    flags.insert(flags.begin(), {"logs", "train"});
    const CliResult r = f.cli(flags);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return r.out;
  };
  CHECK(logs({}) == whole_log());
  CHECK(logs({"-g", "Trial"}) == lines_of({2, 6, 7}));
  CHECK(logs({"-g", "trial [13]", "-i", "-v", "3/3"}) == lines_of({2}));
  CHECK(logs({"-g", "hello", "-C", "1"}) == lines_of({4, 5, 6}));
  CHECK(logs({"-g", "Trial 1", "-g", "Trial 3", "-A", "1"}) == lines_of({2, 3, 0, 7, 8}));
  CHECK(logs({"--best"}) == lines_of({3, 8}));
  CHECK(logs({"--progress", "-v", "BEST"}) == lines_of({1, 2, 6, 7}));
  CHECK(logs({"-n", "3", "-g", "literal"}) == lines_of({9, 10}));
  CHECK(logs({"-f", "-g", "hello"}) == lines_of({5}));
  const std::string json = logs({"--json", "-g", "hello"});
  const Json line = Json::parse(json.substr(0, json.find('\n')));
  CHECK(line["seq"] == 5);
  CHECK(line["text"] == "hello world");
  CHECK(json.find('\n') == json.size() - 1);

  REQUIRE(f.cli({"run", "--plain", "--quiet", "--name", "errors", "--", "sh", "-c", "cat \"$0\" >&2", f.err_file.string()}).status == 0);
  const CliResult errors = f.cli({"logs", "errors", "--level", "warning", "--json"});
  REQUIRE(errors.status == 0);
  std::vector<std::string> levels;
  std::istringstream in(errors.out);
  for (std::string l; std::getline(in, l);) levels.push_back(Json::parse(l)["level"]);
  CHECK(levels == std::vector<std::string>{"warning", "error"});
}

TEST_CASE("cli filters: a bad pattern or level is exit 2, named, before anything runs", "[cli][filter][bad-input]") {
  Fixture f;
  const auto marker = f.dir / "ran";
  const CliResult run = f.cli({"run", "--plain", "-g", "ok", "-v", "(oops", "--", "touch", marker.string()});
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Catch::Contains("invalid pattern '(oops'") && Catch::Contains("missing )"));
  CHECK_FALSE(std::filesystem::exists(marker));
  const CliResult detached = f.cli({"run", "-d", "-g", "[z-a]", "--", "touch", marker.string()});
  CHECK(detached.status == 2);
  CHECK_FALSE(std::filesystem::exists(marker));

  REQUIRE(f.cli({"run", "--plain", "--quiet", "--name", "train", "--", "cat", f.out_file.string()}).status == 0);
  const CliResult logs = f.cli({"logs", "train", "-g", "a{2,1}"});
  CHECK(logs.status == 2);
  CHECK_THAT(logs.err, Catch::Contains("invalid pattern 'a{2,1}'"));
  const CliResult level = f.cli({"logs", "train", "--level", "loud"});
  CHECK(level.status == 2);
  CHECK_THAT(level.err, Catch::Contains("loud"));
  const CliResult stream = f.cli({"logs", "train", "--stream", "stdin"});
  CHECK(stream.status == 2);
}
