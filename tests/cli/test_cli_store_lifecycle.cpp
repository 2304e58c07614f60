// A run's life in the store through the command: detached runs that outlive their starter's
// session, `logs -f` that prints every line once, `stop`, `rm` and `prune`.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

struct Store : StoreDir {
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // A test that failed half-way must not leave a detached run behind: each one still running
  // is stopped (its process group killed at once).
  ~Store() {
    const CliResult running = run_cli({"ls", "--running", "--json"}, options());
    const Json runs = Json::parse(running.out, nullptr, false);
    if (!runs.is_array()) return;
    for (const Json& run : runs) run_cli({"stop", "--timeout", "0", run["id"].get<std::string>()}, options());
  }
  Json ls() const {
    const CliResult r = cli({"ls", "--json", "--all"});
    REQUIRE(r.status == 0);
    return Json::parse(r.out);
  }
  Json run(const std::string& id) const {
    const CliResult r = cli({"show", id, "--json"});
    REQUIRE(r.status == 0);
    return Json::parse(r.out);
  }
  // `run -d`, its starter in a session of its own on a pseudo-terminal that then hangs up.
  std::string detach(const std::vector<std::string>& child) const {
    CliOptions o = options();
    o.pty_stdout = true;
    CliProcess starter(run_args({"-d"}, child), o);
    const int status = starter.finish();
    REQUIRE(status == 0);
    const auto lines = split_lines(starter.out());
    REQUIRE(!lines.empty());
    std::string id = lines.back();
    if (!id.empty() && id.back() == '\r') id.pop_back();
    return id;
  }
};

}  // namespace

TEST_CASE("cli store: a detached run outlives its starter's session; logs -f prints every line once", "[cli][store][detach]") {
  Store store;
  const std::string id = store.detach({"slow", "40", "25"});
  REQUIRE(!id.empty());
  // The starter and its terminal are gone; the run goes on.
  CHECK(store.run(id)["state"] == "running");
  const CliResult followed = store.cli({"logs", "-f", id});
  CHECK(followed.status == 0);
  std::string expected;
  for (int i = 1; i <= 40; ++i) expected += "slow " + std::to_string(i) + "\n";
  CHECK(followed.out == expected);
  const Json done = store.run(id);
  CHECK(done["state"] == "exited");
  CHECK(done["lines"] == 40);
}

TEST_CASE("cli store: logs -f --json -n starts at the last lines and follows to the end, each seq once", "[cli][store]") {
  Store store;
  const std::string id = store.detach({"paced", "3000", "2000"});
  CliProcess follow({"logs", "-f", "--json", "-n", "5", id}, store.options());
  REQUIRE(follow.finish(std::chrono::seconds(60)) == 0);
  std::set<std::uint64_t> seqs;
  std::uint64_t last = 0;
  for (const std::string& line : split_lines(follow.out())) {
    const Json object = Json::parse(line);
    const std::uint64_t seq = object["seq"];
    CHECK(seq > last);
    last = seq;
    seqs.insert(seq);
  }
  const Json done = store.run(id);
  REQUIRE(done["state"] == "exited");
  CHECK(last == done["lines"]);  // it followed to the very last line
  CHECK(seqs.size() <= done["lines"].get<std::size_t>());
  CHECK(seqs.size() >= 5);
}

TEST_CASE("cli store: stop ends a detached run that ignores SIGTERM; stop of a finished run is no error", "[cli][store][detach]") {
  Store store;
  const std::string id = store.detach({"ignore-term"});
  {
    // The child ignores SIGTERM once it said "ready": wait for that line through the store.
    CliProcess follow({"logs", "-f", id}, store.options());
    REQUIRE(follow.out_contains("ready\n"));
  }
  const CliResult stopped = store.cli({"stop", "--timeout", "0.5", id});
  CHECK(stopped.status == 0);
  CHECK(stopped.err.find("SIGKILL") != std::string::npos);
  const Json run = store.run(id);
  CHECK(run["state"] == "killed");
  CHECK(run["signal"] == SIGKILL);
  const CliResult again = store.cli({"stop", id});
  CHECK(again.status == 0);
  CHECK(again.err.find("not running") != std::string::npos);
}

TEST_CASE("cli store: a detached start failure exits as run does, with its message", "[cli][store][detach]") {
  Store store;
  const CliResult r = store.cli({"run", "-d", "--", "/nonexistent/tool"});
  CHECK(r.status == 127);
  CHECK(r.out.empty());
  CHECK(r.err.find("/nonexistent/tool") != std::string::npos);
  CHECK(store.cli({"run", "-d", "--no-store", "--", "true"}).status == 2);
}

TEST_CASE("cli store: rm removes finished runs, never a running one; two rm at once remove it once", "[cli][store]") {
  Store store;
  const std::string running = store.detach({"ignore-term"});
  std::vector<std::string> done;
  for (int i = 0; i < 3; ++i) {
    const CliResult r = store.cli({"run", "--plain", "--quiet", "--", test_child_path(), "exit", "0"});
    REQUIRE(r.status == 0);
  }
  for (const Json& run : store.ls())
    if (run["state"] == "exited") done.push_back(run["id"]);
  REQUIRE(done.size() == 3);

  const CliResult refused = store.cli({"rm", running});
  CHECK(refused.status == 1);
  CHECK(refused.err.find("running") != std::string::npos);

  CliProcess first({"rm", done[0]}, store.options());
  CliProcess second({"rm", done[0]}, store.options());
  const int a = first.finish();
  const int b = second.finish();
  CHECK(std::min(a, b) == 0);  // one removed it; the other removed it too or says it is gone
  CHECK(std::max(a, b) <= 1);
  CHECK(store.cli({"rm", done[1], done[2]}).status == 0);
  const Json left = store.ls();
  REQUIRE(left.size() == 1);
  CHECK(left[0]["id"] == running);
  CHECK(!std::filesystem::exists(store.dir / "home" / "runs" / done[1]));
  CHECK(store.cli({"stop", "--timeout", "0", running}).status == 0);
}

TEST_CASE("cli store: prune keeps the newest runs, by count, age and size; bad bounds exit 2", "[cli][store]") {
  Store store;
  for (int i = 0; i < 4; ++i)
    REQUIRE(store.cli({"run", "--plain", "--quiet", "--", test_child_path(), "lines", "100"}).status == 0);
  const Json before = store.ls();
  REQUIRE(before.size() == 4);
  CHECK(store.cli({"prune", "--keep", "3"}).status == 0);
  Json after = store.ls();
  REQUIRE(after.size() == 3);
  CHECK(after[0]["id"] == before[0]["id"]);
  CHECK(after[2]["id"] == before[2]["id"]);
  CHECK(store.cli({"prune", "--older-than", "1d"}).status == 0);
  CHECK(store.ls().size() == 3);
  CHECK(store.cli({"prune", "--max-size", "1"}).status == 0);  // one byte: every finished run goes
  CHECK(store.ls().empty());
  CHECK(store.cli({"prune", "--older-than", "soon"}).status == 2);
  CHECK(store.cli({"prune", "--max-size", "12X"}).status == 2);
}

TEST_CASE("cli store: a run directory removed under a running run is said, and the run exits 125", "[cli][store]") {
  Store store;
  CliProcess run(run_args({"--plain"}, {"slow", "40", "25"}), store.options());
  REQUIRE(run.out_contains("slow 2\n"));
  const Json runs = store.ls();
  REQUIRE(runs.size() == 1);
  std::filesystem::remove_all(runs[0]["log"].get<std::string>().substr(0, runs[0]["log"].get<std::string>().rfind('/')));
  const int status = run.finish(std::chrono::seconds(30));
  INFO(run.err());
  CHECK(status == 125);  // the log it was asked to keep is gone
  CHECK(run.err().find("was removed while the run ran: the run is no longer recorded") != std::string::npos);
  CHECK(run.err().find("INCOMPLETE: the log file was removed while the run ran") != std::string::npos);
  CHECK(run.err().find("on_complete threw") == std::string::npos);
  CHECK(run.out().find("slow 40\n") != std::string::npos);  // the run itself went on to its end
}
