// `logstream serve` as a user runs it: it prints the dashboard's URL, serves the store's runs
// (the same objects as `ls --json` and `show --json`), follows a live run recorded by another
// `logstream run` with its memory bounded while a client stalls, and ends on SIGTERM with 0.
// Bad addresses get a clear error and their exit status.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "http_client.hpp"
#include "test_scale.hpp"

using namespace logstream::test;
using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

using Served = StoreDir;

// The port of "logstream: dashboard at http://127.0.0.1:PORT/[...]".
std::uint16_t announced_port(CliProcess& serve) {
  REQUIRE(serve.err_contains("dashboard at http://127.0.0.1:", 30s));
  REQUIRE(serve.read_until([&] { return serve.err().find('\n', serve.err().find("dashboard at")) != std::string::npos; }, 30s));
  const std::string& err = serve.err();
  const auto at = err.find("dashboard at http://127.0.0.1:") + std::string("dashboard at http://127.0.0.1:").size();
  return static_cast<std::uint16_t>(std::stoi(err.substr(at)));
}

long vm_rss_kib(pid_t pid) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("VmRSS:");
  return at == std::string::npos ? 0 : std::stol(status.substr(at + 6));
}

}  // namespace

TEST_CASE("cli serve: the API lists what ls --json lists and shows what show --json shows; SIGTERM ends it with 0", "[cli][web]") {
  Served s;
  REQUIRE(run_cli(run_args({"--plain", "--quiet", "--name", "first"}, {"train", "2", "2", "0"}), s.options()).status == 0);
  REQUIRE(run_cli(run_args({"--plain", "--quiet"}, {"exit", "4"}), s.options()).status == 4);
  CliProcess serve({"serve", "--listen", "127.0.0.1:0"}, s.options());
  const std::uint16_t port = announced_port(serve);
  HttpClient client(port);
  const Json ls = Json::parse(run_cli({"ls", "--json"}, s.options()).out);
  const Json api = Json::parse(client.get("/api/runs").body);
  CHECK(api == ls);
  const Json show = Json::parse(run_cli({"show", "--json", "first"}, s.options()).out);
  Json detail = Json::parse(client.get("/api/runs/first").body);
  // duration_s of a finished run is fixed; everything else must be equal.
  CHECK(detail == show);
  ::kill(serve.pid(), SIGTERM);
  CHECK(serve.finish(30s) == 0);
}

TEST_CASE("cli serve: a live run of another process streams whole while a stalled client leaves the server's memory bounded",
          "[cli][web]") {
  Served s;
  CliOptions serve_options = s.options();
  serve_options.env.push_back(no_quarantine());
  CliProcess serve({"serve", "--listen", "127.0.0.1:0"}, serve_options);
  const std::uint16_t port = announced_port(serve);
  const long rss_before = vm_rss_kib(serve.pid());
  // 3,000,000 lines of 100 bytes: far more than any buffer between the run and the client
  // (a tenth, still 30 MB, in the sanitizer builds).
  const std::uint64_t lines = scaled<std::uint64_t>(3000000, 300000);
  CliOptions quiet_stdout = s.options();
  quiet_stdout.stdout_file = "/dev/null";  // the test reads the run through the server only
  CliProcess run(run_args({"--plain", "--name", "flood"}, {"lines", std::to_string(lines), "100"}), quiet_stdout);
  // "running X as run ID; log file ..." on stderr, once the run is in the store.
  REQUIRE(run.err_contains("; log file ", 30s));
  const std::string marker = " as run ";
  const auto at = run.err().find(marker);
  REQUIRE(at != std::string::npos);
  const std::string id = run.err().substr(at + marker.size(), run.err().find(';', at) - at - marker.size());
  REQUIRE(!id.empty());
  HttpClient stalled(port);
  int small = 4096;
  ::setsockopt(stalled.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  stalled.send_request("GET", "/api/runs/" + id + "/events");
  HttpClient follower(port);
  follower.send_request("GET", "/api/runs/" + id + "/events");
  REQUIRE(follower.read_head(30s).status == 200);
  std::uint64_t next = 1;
  long rss_peak = 0;
  for (;;) {
    const auto event = follower.next_event(60s);
    REQUIRE(event);
    if (event->event == "exit") {
      CHECK(Json::parse(event->data)["state"] == "exited");
      break;
    }
    if (event->event != "line") continue;
    for (const std::uint64_t seq : line_seqs(event->data)) {
      REQUIRE(seq == next);
      ++next;
    }
    rss_peak = std::max(rss_peak, vm_rss_kib(serve.pid()));
  }
  CHECK(next == lines + 1);
  CHECK(run.finish(60s) == 0);
  INFO("serve's RSS " << rss_before << " KiB before, " << rss_peak << " KiB at most while streaming");
  // Measured: +5 MiB. Shadow memory of the sanitizers grows with every page touched: 4x there.
  CHECK(rss_peak - rss_before < (sanitized() ? 256 : 64) * 1024);
  ::kill(serve.pid(), SIGINT);
  CHECK(serve.finish(30s) == 0);
}

TEST_CASE("cli serve: a malformed --listen is a usage error, an address in use is said", "[cli][web]") {
  Served s;
  const CliResult bad = run_cli({"serve", "--listen", "nonsense"}, s.options());
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--listen: 'nonsense' is not HOST:PORT") != std::string::npos);
  const CliResult port = run_cli({"serve", "--listen", "127.0.0.1:99999"}, s.options());
  CHECK(port.status == 2);
  CHECK(port.err.find("port must be a number from 0 to 65535") != std::string::npos);
  CHECK(run_cli({"serve", "--listen", "example.com:80"}, s.options()).status == 125);

  CliProcess first({"serve", "--listen", "127.0.0.1:0"}, s.options());
  const std::uint16_t used = announced_port(first);
  const CliResult second = run_cli({"serve", "--listen", "127.0.0.1:" + std::to_string(used)}, s.options());
  CHECK(second.status == 125);
  CHECK(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(used)) != std::string::npos);
  CHECK(second.err.find("address already in use") != std::string::npos);
  ::kill(first.pid(), SIGTERM);
  CHECK(first.finish(30s) == 0);
}

TEST_CASE("cli serve: off loopback the printed URL carries the token that is needed", "[cli][web]") {
  Served s;
  CliProcess serve({"serve", "--listen", "0.0.0.0:0", "--token", "tok-123"}, s.options());
  REQUIRE(serve.err_contains("?token=tok-123", 30s));
  const std::string& err = serve.err();
  const auto at = err.find("dashboard at http://127.0.0.1:") + std::string("dashboard at http://127.0.0.1:").size();
  const auto port = static_cast<std::uint16_t>(std::stoi(err.substr(at)));
  HttpClient client(port);
  CHECK(client.get("/api/runs").status == 401);
  CHECK(client.get("/api/runs?token=tok-123").status == 200);
  ::kill(serve.pid(), SIGTERM);
  CHECK(serve.finish(30s) == 0);
}

TEST_CASE("cli serve --allow-control: POST stop with the token stops a running run; every other way is refused", "[cli][web]") {
  Served s;
  REQUIRE(run_cli(run_args({"--plain", "--quiet", "--name", "done"}, {"lines", "2"}), s.options()).status == 0);
  const std::string id = run_cli({"run", "-d", "--name", "long", "--", test_child_path(), "sleep", "60000"}, s.options()).out;
  REQUIRE(!id.empty());
  const std::string run = id.substr(0, id.find('\n'));

  SECTION("without --allow-control, stop is refused") {
    CliProcess serve({"serve", "--listen", "127.0.0.1:0"}, s.options());
    HttpClient client(announced_port(serve));
    CHECK(client.post("/api/runs/" + run + "/stop").status == 403);
    CHECK(Json::parse(client.get("/api/server").body)["control"] == false);
    CHECK(Json::parse(client.get("/api/runs/" + run).body)["state"] == "running");
    ::kill(serve.pid(), SIGTERM);
    CHECK(serve.finish(30s) == 0);
  }
  SECTION("with it: the token, this server's origin, a running run") {
    CliProcess serve({"serve", "--listen", "127.0.0.1:0", "--allow-control", "--token", "t0k"}, s.options());
    HttpClient client(announced_port(serve));
    const std::string stop = "/api/runs/" + run + "/stop";
    CHECK(client.post(stop).status == 401);
    const std::pair<std::string, std::string> bearer{"Authorization", "Bearer t0k"};
    CHECK(Json::parse(client.get("/api/server", {bearer}).body)["control"] == true);
    const auto foreign = client.post(stop, {bearer, {"Origin", "http://evil.example"}});
    CHECK(foreign.status == 403);
    CHECK(foreign.body.find("another origin") != std::string::npos);
    CHECK(client.post("/api/runs/done/stop", {bearer}).status == 409);
    CHECK(client.post("/api/runs/nothing/stop", {bearer}).status == 404);
    CHECK(Json::parse(client.get("/api/runs/" + run, {bearer}).body)["state"] == "running");
    const auto stopped = client.post(stop, {bearer, {"Origin", "http://" + client.host()}});
    CHECK(stopped.status == 202);
    CHECK(Json::parse(stopped.body)["id"] == run);
    REQUIRE(run_cli({"logs", "-f", run}, s.options()).status == 0);  // returns once the run ended
    const Json ended = Json::parse(client.get("/api/runs/" + run, {bearer}).body);
    CHECK(ended["state"] != "running");
    CHECK(client.post(stop, {bearer}).status == 409);
    ::kill(serve.pid(), SIGTERM);
    CHECK(serve.finish(30s) == 0);
  }
  run_cli({"stop", run}, s.options());
}

TEST_CASE("cli run --web: the run's own process serves its page and the API while it runs; a bad address is refused", "[cli][web]") {
  Served s;
  CliOptions quiet = s.options();
  quiet.stdout_file = "/dev/null";
  CliProcess run(run_args({"--plain", "--web=127.0.0.1:0", "--name", "webbed"}, {"slow", "400", "25"}), quiet);
  REQUIRE(run.err_contains("dashboard at http://127.0.0.1:", 30s));
  REQUIRE(run.read_until([&] { return run.err().find('\n', run.err().find("dashboard at")) != std::string::npos; }, 30s));
  const std::string& err = run.err();
  const auto at = err.find("dashboard at http://127.0.0.1:") + std::string("dashboard at http://127.0.0.1:").size();
  const auto port = static_cast<std::uint16_t>(std::stoi(err.substr(at)));
  const std::string path = err.substr(err.find('/', at), err.find('\n', at) - err.find('/', at));
  REQUIRE(path.starts_with("/runs/"));
  const std::string id = path.substr(6);
  HttpClient client(port);
  const auto page = client.get(path);
  CHECK(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  const Json detail = Json::parse(client.get("/api/runs/" + id).body);
  CHECK(detail["name"] == "webbed");
  CHECK(detail["state"] == "running");
  CHECK(run.finish(60s) == 0);
  CHECK(Json::parse(run_cli({"show", "--json", id}, s.options()).out)["lines"] == 400);

  const CliResult bad = run_cli(run_args({"--web=nonsense"}, {"exit", "0"}), s.options());
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--web: 'nonsense' is not HOST:PORT") != std::string::npos);
  CHECK(run_cli(run_args({"--web", "--no-store"}, {"exit", "0"}), s.options()).status == 2);
  CHECK(run_cli({"run", "--web=example.com:80", "--", test_child_path(), "exit", "0"}, s.options()).status == 125);
  // A bare --web never takes the command for its address (the default one, or a free port).
  CHECK(run_cli({"run", "--plain", "--web", test_child_path(), "exit", "3"}, s.options()).status == 3);
}

TEST_CASE("cli serve: GET /api/search pages what `search --json` finds, over every run or one", "[cli][web][search]") {
  Served s;
  const std::vector<std::string> scripts = {
      "echo 'alpha hit 1'; echo miss; echo 'hit two'; echo miss; echo 'HIT three'",
      "echo miss; echo 'beta hit'; echo 'hit again'; echo tail",
      "echo 'a.b literal'; echo 'axb not literal'; echo 'hit last'",
  };
  for (std::size_t i = 0; i < scripts.size(); ++i)
    REQUIRE(run_cli({"run", "--plain", "--quiet", "--name", "r" + std::to_string(i), "--", "sh", "-c", scripts[i]}, s.options()).status == 0);
  CliProcess serve({"serve", "--listen", "127.0.0.1:0"}, s.options());
  HttpClient client(announced_port(serve));
  auto cli_hits = [&](std::vector<std::string> flags) {
    std::vector<std::string> args{"search", "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    Json out = Json::array();
    for (const std::string& line : split_lines(run_cli(args, s.options()).out)) out.push_back(Json::parse(line));
    return out;
  };
  // Every page of two, joined, is the whole search.
  Json paged = Json::array();
  for (std::uint64_t skip = 0;; skip += 2) {
    const auto response = client.get("/api/search?q=hit&limit=2&skip=" + std::to_string(skip));
    REQUIRE(response.status == 200);
    const Json page = Json::parse(response.body);
    CHECK(page.at("hits").size() <= 2);
    for (const Json& hit : page.at("hits")) paged.push_back(hit);
    if (!page.at("more").get<bool>()) break;
    REQUIRE(skip < 20);
  }
  const Json all = cli_hits({"-F", "hit"});
  CHECK(all.size() == 5);  // "HIT three" differs in case
  CHECK(paged == all);
  // Context, case, regex, one run.
  CHECK(Json::parse(client.get("/api/search?q=hit&context=1&limit=100").body).at("hits") == cli_hits({"-F", "-C", "1", "hit"}));
  CHECK(Json::parse(client.get("/api/search?q=HIT&i=1").body).at("hits") == cli_hits({"-F", "-i", "HIT"}));
  CHECK(Json::parse(client.get("/api/search?q=a.b").body).at("hits").size() == 1);  // literal by default
  CHECK(Json::parse(client.get("/api/search?q=a.b&regex=1").body).at("hits").size() == 2);
  CHECK(Json::parse(client.get("/api/search?q=hit&run=r1").body).at("hits") == cli_hits({"-F", "hit", "r1"}));
  // Bad requests say why.
  CHECK(client.get("/api/search").status == 400);
  const auto bad = client.get("/api/search?q=(oops&regex=1");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body, Catch::Contains("missing )"));
  CHECK(client.get("/api/search?q=x&limit=many").status == 400);
  CHECK(client.get("/api/search?q=x&run=nosuch").status == 404);
  ::kill(serve.pid(), SIGTERM);
  CHECK(serve.finish(30s) == 0);
}
