// The run store through the command: every run recorded in $LOGSTREAM_HOME, listed by `ls`,
// shown by `show`, its lines by `logs`; RUN resolution; a lost run; runs.db rebuilt.
#include <catch2/catch.hpp>

#include <sys/syscall.h>

#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "framing_model.hpp"
#include "random_stream.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

struct Store : StoreDir {
  CliResult run(const std::vector<std::string>& child, std::vector<std::string> cli_args = {}) const {
    cli_args.insert(cli_args.begin(), {"--plain", "--quiet"});
    return run_cli(run_args(cli_args, child), options());
  }
  Json ls_json(std::vector<std::string> args = {}) const {
    args.insert(args.begin(), {"ls", "--json"});
    const CliResult r = cli(args);
    REQUIRE(r.status == 0);
    return Json::parse(r.out);
  }
};

// "running X as run ID; log file ..." on stderr.
std::string announced_id(const std::string& err) {
  const std::string marker = " as run ";
  const auto at = err.find(marker);
  if (at == std::string::npos) return {};
  return err.substr(at + marker.size(), err.find(';', at) - at - marker.size());
}

}  // namespace

TEST_CASE("cli store: two runs are listed newest first with their fields, states and exit codes", "[cli][store]") {
  Store store;
  const CliResult ok = store.run({"train", "2", "3", "0"}, {"--name", "sweep"});
  REQUIRE(ok.status == 0);
  const CliResult bad = store.run({"exit", "3"});
  REQUIRE(bad.status == 3);
  const std::string ok_id = announced_id(ok.err);
  const std::string bad_id = announced_id(bad.err);
  REQUIRE(!ok_id.empty());
  REQUIRE(!bad_id.empty());

  const Json runs = store.ls_json();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0]["id"] == bad_id);  // newest first
  CHECK(runs[1]["id"] == ok_id);
  for (const char* field : {"id", "name", "command", "cwd", "host", "pid", "state", "exit_code", "signal", "started_at",
                            "ended_at", "lines", "log", "progress", "best_score"})
    CHECK(runs[0].contains(field));
  const Json& first = runs[1];
  CHECK(first["name"] == "sweep");
  CHECK(first["state"] == "exited");
  CHECK(first["exit_code"] == 0);
  CHECK(first["signal"].is_null());
  CHECK(first["command"][1] == "train");
  CHECK(first["pid"].is_number_integer());
  CHECK(first["progress"]["position"] == 2);
  CHECK(first["progress"]["total_positions"] == 2);
  CHECK(first["progress"]["trial"] == 3);
  CHECK(first["best_score"].is_number());
  CHECK(first["started_at"].get<std::string>().back() == 'Z');
  CHECK(first["ended_at"].is_string());
  const Json& second = runs[0];
  CHECK(second["name"] == "test_child");  // the command's base name
  CHECK(second["state"] == "failed");
  CHECK(second["exit_code"] == 3);

  // The text table names both.
  const CliResult table = store.cli({"ls"});
  CHECK(table.status == 0);
  CHECK(table.out.find(ok_id) != std::string::npos);
  CHECK(table.out.find("failed (exit code 3)") != std::string::npos);
  CHECK(table.out.find("2/2") != std::string::npos);
}

TEST_CASE("cli store: a killed run is `killed`, -n and --running limit the list", "[cli][store]") {
  Store store;
  REQUIRE(store.run({"signal", "TERM"}).status == 128 + SIGTERM);
  REQUIRE(store.run({"exit", "0"}).status == 0);
  const Json runs = store.ls_json();
  REQUIRE(runs.size() == 2);
  CHECK(runs[1]["state"] == "killed");
  CHECK(runs[1]["signal"] == SIGTERM);
  CHECK(store.ls_json({"-n", "1"}).size() == 1);
  CHECK(store.ls_json({"--running"}).empty());
}

TEST_CASE("cli store: show gives the extracted progress, metrics, events and last lines", "[cli][store]") {
  Store store;
  const CliResult r = store.run({"train", "1", "4", "0"});
  REQUIRE(r.status == 0);
  const std::string id = announced_id(r.err);
  const CliResult shown = store.cli({"show", id, "--json"});
  REQUIRE(shown.status == 0);
  const Json run = Json::parse(shown.out);
  CHECK(run["id"] == id);
  CHECK(run["progress"]["model"] == "XGBoost");
  CHECK(run["progress"]["trial"] == 4);
  CHECK(run["progress"]["total_trials"] == 4);
  bool has_loss = false;
  for (const Json& m : run["metrics"])
    if (m["key"] == "loss") has_loss = m["count"] == 4 && m["last_seq"].is_number();
  CHECK(has_loss);
  REQUIRE(!run["events"].empty());
  CHECK(run["events"].back()["type"] == "exit");
  CHECK(run["events"].back()["exit_code"] == 0);
  REQUIRE(!run["last_lines"].empty());
  bool last_line_seen = false;
  for (const Json& line : run["last_lines"])
    last_line_seen = last_line_seen || line["text"].get<std::string>().rfind("Training XGBoost model complete", 0) == 0;
  CHECK(last_line_seen);

  const CliResult text = store.cli({"show", id});
  CHECK(text.status == 0);
  CHECK(text.out.find("model XGBoost") != std::string::npos);
  CHECK(text.out.find("loss") != std::string::npos);
}

TEST_CASE("cli store: logs equals the log, and --json and -n against the framing model of random streams", "[cli][store][lossless]") {
  Store store;
  std::mt19937_64 rng(Catch::rngSeed() + 31);
  constexpr std::size_t limit = cli_max_line_bytes;
  for (int round = 0; round < 4; ++round) {
    std::string input = random_stream_upto(rng, 60'000, 64);
    if (round == 0) input += std::string(limit + 5, 'L') + "\nend";
    write_file(store.dir / "input", input);
    const std::string max_write = std::to_string(std::size_t{1} << (rng() % 17));
    INFO("round " << round << ": " << input.size() << " bytes, writes up to " << max_write);
    const CliResult r = store.run({"write-file", store.dir.file("input"), "7", max_write});
    REQUIRE(r.status == 0);
    const std::string id = announced_id(r.err);
    const std::string expected = model_log(input, limit);

    const CliResult logs = store.cli({"logs", id});
    REQUIRE(logs.status == 0);
    CHECK(logs.out == expected);
    const Json record = store.ls_json({"-n", "1"})[0];
    CHECK(read_file(record["log"].get<std::string>()) == expected);

    // The line objects rebuild the log: texts in order, each piece of a long line continued.
    const CliResult json_logs = store.cli({"logs", id, "--json"});
    REQUIRE(json_logs.status == 0);
    std::string rebuilt;
    std::vector<Json> objects;
    std::uint64_t last_seq = 0;
    for (const std::string& line : split_lines(json_logs.out)) {
      Json object = Json::parse(line);
      CHECK(object["type"] == "line");
      CHECK(object["source"] == "stdout");
      CHECK(object["seq"].get<std::uint64_t>() > last_seq);
      last_seq = object["seq"];
      rebuilt += object["text"].get<std::string>();
      if (!object.value("continued", false)) rebuilt += '\n';
      objects.push_back(std::move(object));
    }
    // The model stores a final line without newline as it came; the objects cannot say so.
    // JSON text is UTF-8: each invalid sequence became U+FFFD, in the model's text too.
    const std::string comparable = !expected.empty() && expected.back() != '\n' ? expected + '\n' : expected;
    CHECK(rebuilt == Json::parse(Json(comparable).dump(-1, ' ', false, Json::error_handler_t::replace)).get<std::string>());

    const std::size_t n = std::uniform_int_distribution<std::size_t>(0, objects.size() + 2)(rng);
    const CliResult tail = store.cli({"logs", id, "--json", "-n", std::to_string(n)});
    REQUIRE(tail.status == 0);
    const auto tail_lines = split_lines(tail.out);
    REQUIRE(tail_lines.size() == std::min(n, objects.size()));
    for (std::size_t i = 0; i < tail_lines.size(); ++i)
      CHECK(Json::parse(tail_lines[i]) == objects[objects.size() - tail_lines.size() + i]);
  }
}

TEST_CASE("cli store: logs --json keeps each line's source", "[cli][store]") {
  Store store;
  const CliResult r = store.run({"both", "50"});
  REQUIRE(r.status == 0);
  const CliResult logs = store.cli({"logs", announced_id(r.err), "--json"});
  REQUIRE(logs.status == 0);
  int out = 0, err = 0;
  for (const std::string& line : split_lines(logs.out)) {
    const Json object = Json::parse(line);
    const std::string text = object["text"];
    CHECK(object["source"] == (text.rfind("err", 0) == 0 ? "stderr" : "stdout"));
    (object["source"] == "stderr" ? err : out) += 1;
  }
  CHECK(out == 50);
  CHECK(err == 50);
}

TEST_CASE("cli store: RUN is an id, a unique prefix or a name; ambiguous exits 2, unknown 1", "[cli][store]") {
  Store store;
  const std::string a = announced_id(store.run({"exit", "0"}, {"--name", "alpha"}).err);
  const std::string b = announced_id(store.run({"exit", "0"}, {"--name", "alpha"}).err);
  const std::string c = announced_id(store.run({"exit", "0"}, {"--name", "beta"}).err);
  REQUIRE(!a.empty());
  auto shown_id = [&](const std::string& run) {
    const CliResult r = store.cli({"show", run, "--json"});
    return r.status == 0 ? Json::parse(r.out)["id"].get<std::string>() : std::to_string(r.status);
  };
  CHECK(shown_id(a) == a);
  CHECK(shown_id("alpha") == b);  // the latest of that name
  CHECK(shown_id("beta") == c);
  CHECK(shown_id(c.substr(0, c.size() - 1)) == c);  // a prefix only c has (ids differ in their last chars)

  const CliResult ambiguous = store.cli({"show", "20"});
  CHECK(ambiguous.status == 2);
  CHECK(ambiguous.err.find(a) != std::string::npos);
  CHECK(ambiguous.err.find(c) != std::string::npos);
  const CliResult unknown = store.cli({"logs", "no-such-run"});
  CHECK(unknown.status == 1);
  CHECK(unknown.err.find("no-such-run") != std::string::npos);
}

TEST_CASE("cli store: --no-store records nothing; an unwritable store fails naming it, --no-store still runs", "[cli][store]") {
  Store store;
  const CliResult r = store.run({"exit", "0"}, {"--no-store"});
  REQUIRE(r.status == 0);
  CHECK(announced_id(r.err).empty());
  CHECK(store.ls_json().empty());

  std::ofstream(store.dir / "a-file") << "x";
  CliOptions blocked = store.options();
  blocked.env = {{"LOGSTREAM_HOME", store.dir.file("a-file")}};
  const CliResult refused = run_cli(run_args({"--plain"}, {"exit", "0"}), blocked);
  CHECK(refused.status == 125);
  CHECK(refused.err.find("a-file") != std::string::npos);
  CHECK(refused.out.empty());
  CHECK(run_cli(run_args({"--plain", "--no-store"}, {"exit", "0"}), blocked).status == 0);
  CHECK(run_cli({"ls"}, blocked).status == 125);
}

TEST_CASE("cli store: a recorded run's log defaults to its run directory; --log is recorded", "[cli][store]") {
  Store store;
  const CliResult r = store.run({"both", "2"});
  REQUIRE(r.status == 0);
  const std::string id = announced_id(r.err);
  const std::filesystem::path log = announced_log(r.err);
  CHECK(log == store.home() / "runs" / id / "output.log");
  CHECK(split_lines(read_file(log)).size() == 4);
  const CliResult chosen = store.run({"exit", "0"}, {"--log", "mine.log"});
  REQUIRE(chosen.status == 0);
  CHECK(store.ls_json({"-n", "1"})[0]["log"] == (store.dir / "mine.log").string());
  CHECK(store.cli({"logs", announced_id(chosen.err)}).out == "bye\n");
}

TEST_CASE("cli store: runs.db deleted, corrupt or foreign is rebuilt from the run directories", "[cli][store]") {
  Store store;
  for (int i = 0; i < 3; ++i) REQUIRE(store.run({"exit", std::to_string(i)}).status == i);
  const Json before = store.ls_json();
  REQUIRE(before.size() == 3);
  const auto db = store.home() / "runs.db";
  for (const std::string damage : {"deleted", "corrupt", "foreign"}) {
    INFO(damage);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
    if (damage == "corrupt") std::ofstream(db) << std::string(8192, 'z');
    if (damage == "foreign")
      REQUIRE(std::system(("sqlite3 " + db.string() + " 'CREATE TABLE songs(title TEXT)'").c_str()) == 0);
    const CliResult ls = store.cli({"ls", "--json"});
    REQUIRE(ls.status == 0);
    CHECK(ls.err.find("runs.db") != std::string::npos);  // said once
    CHECK(Json::parse(ls.out) == before);
    const CliResult again = store.cli({"ls", "--json"});
    CHECK(again.err.empty());
  }
}

TEST_CASE("cli store: 20 runs started at once into one store are all recorded", "[cli][store]") {
  Store store;
  std::vector<std::unique_ptr<CliProcess>> runs;
  for (int i = 0; i < 20; ++i)
    runs.push_back(std::make_unique<CliProcess>(run_args({"--plain", "--quiet", "--name", "par" + std::to_string(i)}, {"lines", "200"}),
                                                store.options()));
  for (auto& r : runs) REQUIRE(r->finish(std::chrono::seconds(60)) == 0);
  const Json all = store.ls_json({"--all"});
  REQUIRE(all.size() == 20);
  std::set<std::string> names, ids;
  for (const Json& run : all) {
    names.insert(run["name"].get<std::string>());
    ids.insert(run["id"].get<std::string>());
    CHECK(run["state"] == "exited");
    CHECK(run["lines"] == 200);
  }
  CHECK(names.size() == 20);
  CHECK(ids.size() == 20);
}

TEST_CASE("cli store: a supervisor killed with SIGKILL leaves a lost run, its child gone, its log intact", "[cli][store]") {
  Store store;
  // The child ignores SIGTERM and writes nothing more (no SIGPIPE ends it): only the guard can.
  CliProcess cli(run_args({"--plain", "--stop-timeout", "1"}, {"ignore-term"}), store.options());
  REQUIRE(cli.out_contains("ready\n"));
  pid_t child = 0;
  {
    const Json running = store.ls_json({"--running"});
    REQUIRE(running.size() == 1);
    CHECK(running[0]["state"] == "running");
    child = running[0]["pid"];
  }
  REQUIRE(child > 0);
  const int child_fd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
  REQUIRE(child_fd >= 0);
  ::kill(cli.pid(), SIGKILL);
  cli.finish();
  // The guard stops the group: SIGTERM (ignored), SIGKILL after --stop-timeout.
  pollfd gone{child_fd, POLLIN, 0};
  CHECK(::poll(&gone, 1, 30'000) == 1);
  ::close(child_fd);
  const Json runs = store.ls_json();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["state"] == "lost");
  CHECK(store.ls_json({"--running"}).empty());
  const CliResult logs = store.cli({"logs", runs[0]["id"]});
  CHECK(logs.status == 0);
  CHECK(logs.out == "ready\n");
}
