// `run --redis`, `logs redis://` and `attach redis://` through the command, against a
// redis-server of the test's own on loopback.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "redis_reader.hpp"
#include "redis_server.hpp"
#include "test_scale.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

struct Home {
  TempDir dir;
  CliOptions options() const { return CliOptions{.env = {{"LOGSTREAM_HOME", (dir / "home").string()}}, .cwd = dir.path()}; }
  CliResult cli(const std::vector<std::string>& args) const { return run_cli(args, options()); }
  std::string run_id() const {
    const CliResult ls = cli({"ls", "--json"});
    REQUIRE(ls.status == 0);
    const Json runs = Json::parse(ls.out);
    REQUIRE(runs.size() == 1);
    return runs[0]["id"].get<std::string>();
  }
};

}  // namespace

TEST_CASE("cli redis: a bad --redis URL exits 2 before the child runs", "[cli][redis]") {
  Home home;
  const CliResult r = home.cli(run_args({"--plain", "--redis", "http://127.0.0.1:1"}, {"exit", "0"}));
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("--redis") && Catch::Contains("redis://HOST"));
  CHECK(r.err.find("running") == std::string::npos);
  CHECK(home.cli({"ls", "--json"}).out.find("\"id\"") == std::string::npos);
}

TEST_CASE("cli redis: a run shipped with --redis reads back with logs redis:// as logs reads it locally", "[cli][redis]") {
  RedisServer server;
  Home home;
  const std::uint64_t count = scaled<std::uint64_t>(100'000, 5'000);
  const CliResult r = home.cli(run_args({"--plain", "--quiet", "--redis", server.url()}, {"both", std::to_string(count / 2)}));
  REQUIRE(r.status == 0);
  CHECK(r.err.find("Redis") == std::string::npos);
  const std::string id = home.run_id();
  const std::string target = server.url() + "/" + id;

  const CliResult local = home.cli({"logs", id});
  const CliResult remote = home.cli({"logs", target});
  REQUIRE(remote.status == 0);
  CHECK(split_lines(remote.out).size() == count);
  CHECK(remote.out == local.out);

  const CliResult local_json = home.cli({"logs", "--json", "-n", "100", id});
  const CliResult remote_json = home.cli({"logs", "--json", "-n", "100", target.substr(0, target.size() - 3)});  // an id prefix
  REQUIRE(remote_json.status == 0);
  CHECK(remote_json.out == local_json.out);

  // -f of an ended run: everything, then exit 0 at its end.
  const CliResult followed = home.cli({"logs", "-f", target});
  CHECK(followed.status == 0);
  CHECK(followed.out == local.out);

  CHECK(home.cli({"logs", server.url() + "/no-such-run"}).status == 1);
}

TEST_CASE("cli redis: attach redis:// shows a live remote run and exits with its status", "[cli][redis]") {
  RedisServer server;
  Home home;
  Home viewer;  // another machine: nothing of the run in its store
  CliProcess run(run_args({"--plain", "--quiet", "--redis", server.url()}, {"slow", "40", "50"}), home.options());
  REQUIRE(run.err_contains("as run "));
  const std::string err = run.err();
  const auto at = err.find("as run ") + 7;
  const std::string id = err.substr(at, err.find(';', at) - at);
  REQUIRE(RedisReader(server.port()).wait_for_entry("logstream:run:" + id, 30'000));
  CliProcess attach({"attach", "--json", server.url() + "/" + id}, viewer.options());
  REQUIRE(attach.out_contains("\"text\":\"slow 40\"", std::chrono::seconds(30)));
  CHECK(attach.finish() == 0);
  CHECK(run.finish() == 0);
  CHECK(attach.out().find("\"text\":\"slow 1\"") != std::string::npos);
}

TEST_CASE("cli redis: collect fills a second store that ls, logs and search read as the first; restarted, it loses and repeats nothing", "[cli][redis]") {
  RedisServer server;
  Home origin;
  Home central;
  const std::uint64_t count = scaled<std::uint64_t>(20'000, 2'000);
  auto collect = std::make_unique<CliProcess>(std::vector<std::string>{"collect", server.url()}, central.options());
  REQUIRE(collect->err_contains("collecting the runs"));
  const CliResult ok = origin.cli(run_args({"--plain", "--quiet", "--redis", server.url(), "--name", "first"}, {"both", std::to_string(count / 2)}));
  REQUIRE(ok.status == 0);
  const CliResult bad = origin.cli(run_args({"--plain", "--quiet", "--redis", server.url()}, {"exit", "3"}));
  REQUIRE(bad.status == 3);

  // Each `ls` is a process of its own: the condition is asked anew until the deadline.
  const auto collected = [&](const Home& home) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const Json runs = Json::parse(home.cli({"ls", "--json"}).out);
      if (runs.size() == 2 && runs[0]["state"] != "running" && runs[1]["state"] != "running") return runs;
    }
    return Json::array();
  };
  const Json here = collected(central);
  REQUIRE(here.size() == 2);
  const Json there = Json::parse(origin.cli({"ls", "--json"}).out);
  for (std::size_t i = 0; i < 2; ++i) {
    for (const char* field : {"id", "name", "host", "state", "exit_code", "lines", "command", "started_at"})
      CHECK(here[i][field] == there[i][field]);
  }
  const std::string id = there[1]["id"].get<std::string>();
  const CliResult local = origin.cli({"logs", "--json", id});
  CHECK(central.cli({"logs", "--json", id}).out == local.out);
  CHECK(central.cli({"search", "err 7"}).out == origin.cli({"search", "err 7"}).out);

  // Killed and started again: the store's runs stay as they are, nothing twice.
  collect.reset();
  collect = std::make_unique<CliProcess>(std::vector<std::string>{"collect", server.url()}, central.options());
  REQUIRE(collect->err_contains("collecting the runs"));
  const CliResult third = origin.cli(run_args({"--plain", "--quiet", "--redis", server.url()}, {"both", "10"}));
  REQUIRE(third.status == 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Json runs;
  while (std::chrono::steady_clock::now() < deadline) {
    runs = Json::parse(central.cli({"ls", "--json"}).out);
    if (runs.size() == 3 && runs[0]["state"] == "exited") break;
  }
  REQUIRE(runs.size() == 3);
  CHECK(central.cli({"logs", "--json", id}).out == local.out);
}

TEST_CASE("cli redis: a server that refuses the connection is an error event; the run and its log complete", "[cli][redis]") {
  Home home;
  const std::string url = "redis://127.0.0.1:" + std::to_string(free_port());
  const CliResult r = home.cli(run_args({"--json", "--redis", url}, {"both", "500"}));
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\"type\":\"error\"") && Catch::Contains("cannot connect to " + url));
  CHECK(split_lines(home.cli({"logs", home.run_id()}).out).size() == 1000);
}
