// WebServer through the public header, against a real store and real recorded runs, over real
// loopback sockets: the JSON API equals the store, lines page by seq, the event stream delivers
// a run whole and resumes by Last-Event-ID without a gap or a repeat, and whoever may not ask
// is refused (foreign Host 403, no token 401, too big 431/413, too many 503).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <logstream/logstream.hpp>

#include "http_client.hpp"
#include "temp_dir.hpp"

using namespace std::chrono_literals;
using logstream::test::HttpClient;
using logstream::test::TempDir;
using nlohmann::json;

namespace {

std::string child_path() {
  const char* p = std::getenv("LOGSTREAM_TEST_CHILD");
  return p ? p : "tests/helpers/test_child";
}

std::string record_run(const std::shared_ptr<logstream::RunStore>& store, std::vector<std::string> argv, std::string name = {}) {
  logstream::StreamerOptions options;
  options.store = store;
  options.run_name = std::move(name);
  logstream::Streamer s{logstream::ProcessSpec{std::move(argv)}, {}, options};
  const std::string id = s.run_id();
  s.start();
  REQUIRE(s.wait_for_completion(60s));
  return id;
}

logstream::WebServerOptions on_free_port(logstream::WebServerOptions options = {}) {
  options.listen = "127.0.0.1:0";
  return options;
}

// A store served on a free loopback port, and the options that record a Streamer's run in it.
struct ServedStore {
  TempDir dir;
  std::shared_ptr<logstream::RunStore> store = std::make_shared<logstream::RunStore>(dir.path());
  logstream::Runtime runtime;
  logstream::WebServer server{runtime, *store, on_free_port()};

  logstream::StreamerOptions recorded() const {
    logstream::StreamerOptions options;
    options.store = store;
    return options;
  }
};

// Every line event's seqs, continuing `next`, until the exit event (true) or the stream closed.
bool read_stream(HttpClient& client, std::uint64_t& next, std::size_t max_events, std::string& last_id) {
  for (std::size_t i = 0; i < max_events; ++i) {
    const auto event = client.next_event(30s);
    if (!event) return false;
    last_id = event->id;
    if (event->event == "exit") return true;
    if (event->event != "line") continue;
    for (const std::uint64_t seq : logstream::test::line_seqs(event->data)) {
      REQUIRE(seq == next);
      ++next;
    }
    CHECK(event->id == std::to_string(next - 1));
  }
  return false;
}

}  // namespace

TEST_CASE("web server: /api/runs and /api/runs/{id} are the store's run objects", "[web]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  const std::string ok = record_run(store, {child_path(), "train", "2", "2", "0"}, "trainer");
  const std::string failed = record_run(store, {child_path(), "exit", "3"});
  logstream::Runtime runtime;
  logstream::WebServer server(runtime, *store, on_free_port());
  CHECK(server.url() == "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  CHECK(server.token().empty());
  HttpClient client(server.port());

  const auto runs = client.get("/api/runs");
  REQUIRE(runs.status == 200);
  CHECK(runs.header("content-type") == "application/json");
  CHECK(runs.header("content-security-policy").find("default-src 'self'") != std::string::npos);
  CHECK(runs.header("access-control-allow-origin").empty());
  const json list = json::parse(runs.body);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == failed);  // newest first
  CHECK(list[0]["state"] == "failed");
  CHECK(list[0]["exit_code"] == 3);
  CHECK(list[1]["id"] == ok);
  CHECK(list[1]["name"] == "trainer");
  CHECK(list[1]["state"] == "exited");
  for (const char* field : {"id", "name", "command", "cwd", "host", "pid", "state", "exit_code", "signal", "started_at",
                            "ended_at", "lines", "log", "progress", "best_score"})
    CHECK(list[1].contains(field));

  // Kept alive: the same connection answers the next request.
  const auto one = client.get("/api/runs/" + ok);
  REQUIRE(one.status == 200);
  const json run = json::parse(one.body);
  CHECK(run["id"] == ok);
  CHECK(run["progress"]["position"] == 2);
  CHECK(run.contains("metrics"));
  CHECK(run["events"].is_array());
  CHECK(run["last_lines"].size() == std::min<std::size_t>(20, run["lines"].get<std::size_t>()));
  // A name and a unique prefix name the run too; an unknown id is 404.
  CHECK(json::parse(client.get("/api/runs/trainer").body)["id"] == ok);
  CHECK(client.get("/api/runs/nosuchrun").status == 404);
  CHECK(client.get("/api/nothing").status == 404);
  CHECK(json::parse(client.get("/api/runs?limit=1").body) == json::array({list[0]}));
  // Metric summaries and series: the train child logs loss and accuracy per trial.
  const json metrics = json::parse(client.get("/api/runs/" + ok + "/metrics?points=4").body);
  REQUIRE(metrics["metrics"].size() == run["metrics"].size());
  REQUIRE(metrics["series"].size() == metrics["metrics"].size());
  for (std::size_t i = 0; i < metrics["series"].size(); ++i) {
    const json& series = metrics["series"][i];
    CHECK(series["key"] == metrics["metrics"][i]["key"]);
    CHECK(series["seq"].size() == series["value"].size());
    CHECK(series["seq"].size() <= std::min<std::size_t>(metrics["metrics"][i]["count"].get<std::size_t>(), 6));
    double low = 1e300, high = -1e300;
    for (const json& v : series["value"]) low = std::min(low, v.get<double>()), high = std::max(high, v.get<double>());
    CHECK(low == metrics["metrics"][i]["min"].get<double>());
    CHECK(high == metrics["metrics"][i]["max"].get<double>());
  }
  CHECK(client.get("/api/runs/" + ok + "/metrics?points=x").status == 400);
  // The log as it is on disk.
  const auto log = client.get("/api/runs/" + ok + "/log");
  REQUIRE(log.status == 200);
  std::ifstream file(run["log"].get<std::string>(), std::ios::binary);
  CHECK(log.body == std::string(std::istreambuf_iterator<char>(file), {}));
}

TEST_CASE("web server: lines page by seq from and before, and by position, against the store's lines", "[web]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  // A trainer's progress bars are transient states the log leaves out: its seqs have holes.
  const std::string id = record_run(store, {child_path(), "train", "3", "60", "0"});
  const auto all = store->lines(store->find(id));
  REQUIRE(all.size() > 300);
  REQUIRE(all.back().seq > all.size());
  logstream::Runtime runtime;
  logstream::WebServer server(runtime, *store, on_free_port());
  HttpClient client(server.port());
  std::mt19937 rng(Catch::rngSeed() + 21);
  enum class Mode { from, before, index };
  for (int round = 0; round < 60; ++round) {
    const auto mode = static_cast<Mode>(round % 3);
    const std::size_t limit = std::uniform_int_distribution<std::size_t>(1, 200)(rng);
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, all.size() + 5)(rng);
    const std::uint64_t seq = at < all.size() ? all[at].seq : all.back().seq + (at - all.size()) + 1;
    const char* name = mode == Mode::from ? "from" : mode == Mode::before ? "before" : "index";
    const std::uint64_t value = mode == Mode::index ? at : seq;
    const auto reply = client.get(fmt::format("/api/runs/{}/lines?{}={}&limit={}", id, name, value, limit));
    REQUIRE(reply.status == 200);
    const json page = json::parse(reply.body);
    // The model: the positions of the lines wanted in the whole list.
    std::size_t first = 0, last = 0;
    if (mode == Mode::index) {
      first = std::min(at, all.size());
      last = std::min(all.size(), first + limit);
    } else if (mode == Mode::from) {
      while (first < all.size() && all[first].seq < seq) ++first;
      last = std::min(all.size(), first + limit);
    } else {
      while (last < all.size() && all[last].seq < seq) ++last;
      first = last - std::min(last, limit);
    }
    INFO("round " << round << " " << name << "=" << value << " limit " << limit);
    REQUIRE(page["lines"].size() == last - first);
    for (std::size_t i = first; i < last; ++i) {
      CHECK(page["lines"][i - first]["seq"] == all[i].seq);
      CHECK(page["lines"][i - first]["text"] == all[i].text);
      CHECK(page["lines"][i - first]["source"] == (all[i].is_stderr ? "stderr" : "stdout"));
    }
    CHECK(page["line_count"] == all.size());
    if (last > first) {
      CHECK(page["first_seq"] == all[first].seq);
      CHECK(page["last_seq"] == all[last - 1].seq);
      CHECK(page["first_index"] == first);
    } else {
      CHECK(page["first_seq"].is_null());
    }
  }
  CHECK(client.get("/api/runs/" + id + "/lines?from=x").status == 400);
  CHECK(client.get("/api/runs/" + id + "/lines?from=1&before=2").status == 400);
  CHECK(client.get("/api/runs/" + id + "/lines?index=1&from=2").status == 400);
}

TEST_CASE("web server: the page is served at / and at every run's address, compressed, with an ETag", "[web]") {
  ServedStore served;
  HttpClient client(served.server.port());
  const auto page = client.get("/");
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  CHECK(page.body.find("<script type=\"module\" src=\"/assets/app.js\"></script>") != std::string::npos);
  CHECK(page.header("content-security-policy").find("default-src 'self'") != std::string::npos);
  const std::string etag = page.header("etag");
  REQUIRE(etag.size() > 2);
  // A run's address is the same page (a shared link, a reload), and unknown paths are not.
  CHECK(client.get("/runs/20261201-084622-x7k2").body == page.body);
  CHECK(client.get("/runs/a/b").status == 404);
  CHECK(client.get("/nothing").status == 404);

  const auto script = client.get("/assets/app.js");
  REQUIRE(script.status == 200);
  CHECK(script.header("content-type") == "text/javascript; charset=utf-8");
  CHECK(script.body.find("uplot") != std::string::npos);  // the chart library's own class name
  CHECK(client.get("/assets/app.css").header("content-type") == "text/css; charset=utf-8");

  const auto packed = client.get("/assets/app.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  CHECK(packed.header("content-encoding") == "gzip");
  CHECK(packed.body.size() < script.body.size() / 2);
  CHECK(packed.body.substr(0, 2) == std::string("\x1f\x8b"));
  CHECK(client.get("/assets/app.js", {{"Accept-Encoding", "gzip;q=0"}}).header("content-encoding").empty());

  const auto again = client.get("/", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(client.get("/", {{"If-None-Match", "\"other\""}}).status == 200);
}

TEST_CASE("web server: the event stream of a live run is every line once, in order, then exit; a reconnect resumes", "[web]") {
  ServedStore served;
  auto& server = served.server;
  const int lines = 20000;
  logstream::Streamer run{logstream::ProcessSpec{{child_path(), "paced", std::to_string(lines), "20000"}}, {}, served.recorded()};
  const std::string id = run.run_id();
  run.start();

  std::uint64_t next = 1;
  std::string last_id;
  bool ended = false;
  // Connections cut short after a few events, each resumed from the id it last had.
  for (int connection = 0; connection < 50 && !ended; ++connection) {
    HttpClient client(server.port());
    if (last_id.empty()) {
      client.send_request("GET", "/api/runs/" + id + "/events");
    } else {
      client.send_request("GET", "/api/runs/" + id + "/events", {{"Last-Event-ID", last_id}});
    }
    const auto head = client.read_head(30s);
    REQUIRE(head.status == 200);
    CHECK(head.header("content-type").find("text/event-stream") == 0);
    ended = read_stream(client, next, connection < 10 ? 3 : 1000000, last_id);
  }
  REQUIRE(ended);
  REQUIRE(run.wait_for_completion(60s));
  CHECK(next == static_cast<std::uint64_t>(lines) + 1);
}

TEST_CASE("web server: a client that stops reading neither slows the run nor grows the server", "[web]") {
  ServedStore served;
  auto& server = served.server;
  // 1,000,000 lines on each of stdout and stderr, as fast as the pipes take them.
  logstream::Streamer run{logstream::ProcessSpec{{child_path(), "flood", "1000000"}}, {}, served.recorded()};
  const std::string id = run.run_id();
  // A reader that never reads: its socket buffers fill, then the server's backlog.
  HttpClient stalled(server.port());
  int small = 4096;
  ::setsockopt(stalled.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  stalled.send_request("GET", "/api/runs/" + id + "/events");
  run.start();
  REQUIRE(run.wait_for_completion(120s));
  CHECK(run.stats().lines == 2000000);
  // The server still answers others, and a new client gets the whole run.
  HttpClient other(server.port());
  other.send_request("GET", "/api/runs/" + id + "/events");
  REQUIRE(other.read_head(30s).status == 200);
  std::uint64_t next = 1;
  std::string last_id;
  CHECK(read_stream(other, next, 10000000, last_id));
  CHECK(next == 2000001);
}

TEST_CASE("web server: a foreign Host is 403, no token off loopback is 401, the token becomes a cookie", "[web]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  logstream::Runtime runtime;
  SECTION("DNS rebinding: a Host that names another site") {
    logstream::WebServer server(runtime, *store, on_free_port());
    HttpClient client(server.port());
    CHECK(client.get("/api/runs", {{"Host", "evil.example:" + std::to_string(server.port())}}).status == 403);
    CHECK(client.get("/api/runs", {{"Host", "localhost:" + std::to_string(server.port())}}).status == 200);
    CHECK(client.get("/api/runs", {{"Host", "127.0.0.1:1"}}).status == 403);  // another port
  }
  SECTION("--allow-host names one more") {
    logstream::WebServerOptions options = on_free_port();
    options.allowed_hosts = {"box.lan"};
    logstream::WebServer server(runtime, *store, options);
    HttpClient client(server.port());
    CHECK(client.get("/api/runs", {{"Host", "box.lan:" + std::to_string(server.port())}}).status == 200);
  }
  SECTION("off loopback a token is generated and needed") {
    logstream::WebServerOptions options;
    options.listen = "0.0.0.0:0";
    logstream::WebServer server(runtime, *store, options);
    REQUIRE(server.token().size() >= 32);
    CHECK(server.url().find("?token=" + server.token()) != std::string::npos);
    HttpClient client(server.port());
    const auto denied = client.get("/api/runs");
    CHECK(denied.status == 401);
    CHECK(client.get("/api/runs?token=wrong").status == 401);
    const auto traded = client.get("/runs/x?token=" + server.token());
    CHECK(traded.status == 303);
    CHECK(traded.header("location") == "/runs/x");
    const std::string cookie = traded.header("set-cookie");
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    const std::string pair = cookie.substr(0, cookie.find(';'));
    CHECK(client.get("/api/runs", {{"Cookie", pair}}).status == 200);
    CHECK(client.get("/api/runs", {{"Authorization", "Bearer " + server.token()}}).status == 200);
  }
  SECTION("a token given is the one needed") {
    logstream::WebServerOptions options = on_free_port();
    options.allow_control = true;
    options.token = "s3cret-token";
    logstream::WebServer server(runtime, *store, options);
    CHECK(server.token() == "s3cret-token");
    HttpClient client(server.port());
    CHECK(client.get("/api/runs").status == 401);
    CHECK(client.get("/api/runs?token=s3cret-token").status == 200);
  }
}

TEST_CASE("web server: oversized requests, too many clients and bad methods get their status", "[web]") {
  TempDir dir;
  auto store = std::make_shared<logstream::RunStore>(dir.path());
  logstream::Runtime runtime;
  logstream::WebServerOptions options = on_free_port();
  options.max_clients = 3;
  logstream::WebServer server(runtime, *store, options);
  {
    HttpClient client(server.port());
    const auto big = client.get("/api/runs", {{"X-Big", std::string(20000, 'a')}});
    CHECK(big.status == 431);
    CHECK(big.header("connection") == "close");
  }
  {
    HttpClient client(server.port());
    client.send_request("POST", "/api/runs", {}, std::string(100000, 'b'));
    const auto reply = client.read_reply(30s);
    REQUIRE(reply);
    CHECK(reply->status == 413);
  }
  {
    HttpClient client(server.port());
    client.send_request("DELETE", "/api/runs");
    const auto reply = client.read_reply(30s);
    REQUIRE(reply);
    CHECK(reply->status == 405);
    CHECK(reply->header("allow") == "GET, HEAD");
  }
  {
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 3; ++i) {
      clients.push_back(std::make_unique<HttpClient>(server.port()));
      CHECK(clients.back()->get("/api/runs").status == 200);  // each is open and counted
    }
    HttpClient extra(server.port());
    const auto busy = extra.read_reply(30s);
    REQUIRE(busy);
    CHECK(busy->status == 503);
    CHECK(busy->header("retry-after") == "5");
  }
  // Once they left, there is room again.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    HttpClient again(server.port());
    again.send_request("GET", "/api/runs");
    const auto reply = again.read_reply(30s);
    status = reply ? reply->status : 0;
  }
  CHECK(status == 200);
}

TEST_CASE("web server: one that cannot listen throws, naming the address, and leaves the runtime as it was", "[web]") {
  ServedStore served;
  const std::string taken = "127.0.0.1:" + std::to_string(served.server.port());
  for (int i = 0; i < 20; ++i) {
    // Its listener closes after the constructor threw; nothing of it may be touched then.
    try {
      logstream::WebServer refused(served.runtime, *served.store, logstream::WebServerOptions{.listen = taken});
      FAIL("a second server listened on " << taken);
    } catch (const logstream::CodedError& e) {
      CHECK(std::string(e.what()).find("cannot listen on " + taken) != std::string::npos);
    }
  }
  // The runtime still serves, and a new server listens beside the first.
  logstream::WebServer another(served.runtime, *served.store, on_free_port());
  HttpClient client(another.port());
  CHECK(client.get("/api/runs").status == 200);
  HttpClient first(served.server.port());
  CHECK(first.get("/api/runs").status == 200);
}
