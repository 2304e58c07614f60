// Alerts through the command: each rule fires once when it should and not when it should not,
// delivered to a webhook server this test starts on loopback, to an exec hook, in --json and
// in the store; the cooldown and the hourly cap; failing channels are reported and the run goes
// on; bad rules and channels are refused before the child runs.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

// Records each POST (path, body, headers) as a JSON line, then answers by path: /ok 200,
// /fail 500, /hang never in time.
constexpr const char* webhook_server = R"PY(
import http.server, json, sys, threading, time
record = open(sys.argv[1], "a")
lock = threading.Lock()
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        with lock:
            record.write(json.dumps({"path": self.path, "body": body,
                                     "type": self.headers.get("Content-Type"),
                                     "title": self.headers.get("Title")}) + "\n")
            record.flush()
        if self.path == "/hang":
            time.sleep(60)
        self.send_response(500 if self.path == "/fail" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
server.daemon_threads = True
print("port", server.server_address[1], flush=True)
server.serve_forever()
)PY";

class WebhookServer {
public:
  explicit WebhookServer(const std::filesystem::path& record)
      : record_(record), process_({"-c", webhook_server, record.string()}, CliOptions{.program = "/usr/bin/python3"}) {
    REQUIRE(process_.read_until([&] { return process_.out().find('\n') != std::string::npos; }, std::chrono::seconds(20)));
    port_ = std::stoi(process_.out().substr(process_.out().find(' ') + 1));
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Json> requests() const {
    std::vector<Json> out;
    std::ifstream in(record_);
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }

private:
  std::filesystem::path record_;
  CliProcess process_;
  int port_ = 0;
};

struct Fixture : StoreDir {
  std::filesystem::path script(const std::string& name, const std::string& text) const {
    const auto path = dir / name;
    std::ofstream(path) << "#!/bin/sh\n" << text << "\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }
};

std::vector<Json> objects_of(const std::string& out, const std::string& type) {
  std::vector<Json> found;
  for (const std::string& line : split_lines(out)) {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_object() && j.value("type", "") == type) found.push_back(j);
  }
  return found;
}

// (rule, seq) of each alert object, seq 0 for none.
std::vector<std::pair<std::string, std::uint64_t>> fired(const std::vector<Json>& alerts) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const Json& a : alerts) out.emplace_back(a.at("rule").get<std::string>(), a.at("seq").is_null() ? 0 : a.at("seq").get<std::uint64_t>());
  return out;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);  // nobody listens there now
  return ntohs(addr.sin_port);
}

const char* training_script =
    "echo 'step 1 loss=3'; echo 'step 2 loss=12'; echo 'step 3 loss=4'; echo 'step 4 loss=11';"
    "echo 'step 5 loss=15'; echo 'step 6 loss=16'; echo '  Trial 1/3: Score=0.5';"
    "echo '    [BEST] NEW BEST! Score: 0.5'; echo 'harmless line';"
    "echo 'RuntimeError: CUDA out of memory' >&2; exit 1";

}  // namespace

TEST_CASE("cli alerts: each rule fires once when it should, to a webhook, an exec hook, --json and the store", "[cli][alerts]") {
  Fixture f;
  WebhookServer server(f.dir / "webhook.jsonl");
  const auto hook = f.script("hook.sh",
                             "printf '%s|%s|%s|%s\\n' \"$LOGSTREAM_ALERT_KIND\" \"$LOGSTREAM_ALERT_RULE\" \"$LOGSTREAM_ALERT_SEQ\" "
                             "\"$LOGSTREAM_ALERT_RUN\" >> \"$0.env\"; cat >> \"$0.stdin\"; echo >> \"$0.stdin\"");
  const CliResult r = f.cli({"run", "--json", "--name", "train",
                             "--alert", "metric:loss>10 for 2", "--alert", "best", "--alert", "pattern:CUDA",
                             "--alert", "level:error", "--alert", "exit",
                             // never met here:
                             "--alert", "pattern:NEVER", "--alert", "stall:1h", "--alert", "metric:acc>0.9",
                             "--notify-webhook", server.url("/ok"), "--notify-exec", hook.string(),
                             "--", "sh", "-c", training_script});
  INFO(r.err);
  REQUIRE(r.status == 1);  // the child's
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"metric:loss>10 for 2", 5}, {"best", 8}, {"pattern:CUDA", 10}, {"level:error", 10}, {"exit", 0}};
  const std::vector<Json> alerts = objects_of(r.out, "alert");
  CHECK(fired(alerts) == expected);
  REQUIRE(alerts.size() == 5);
  CHECK(alerts[0].at("metric") == "loss");
  CHECK(alerts[0].at("value") == 15.0);
  CHECK(alerts[1].at("value") == 0.5);
  CHECK(alerts[2].at("context").back() == "RuntimeError: CUDA out of memory");
  CHECK(alerts[2].at("context").size() == 10);  // the nine lines before it and itself: nothing came after
  CHECK(alerts[4].at("exit_code") == 1);
  // The exit alert comes before the exit: the last word is the exit.
  CHECK(r.out.find("\"type\":\"exit\"") > r.out.rfind("\"type\":\"alert\""));
  CHECK_THAT(r.err, Catch::Matches("(.|\n)*alerts +5\n(.|\n)*"));

  const std::string run_id = Json::parse(split_lines(f.cli({"ls", "--json"}).out).at(0)).at(0).at("id");
  // The webhook got the same alerts, in order, as --json's objects plus the run.
  std::vector<Json> posted;
  for (const Json& request : server.requests()) {
    CHECK(request.at("path") == "/ok");
    CHECK(request.at("type") == "application/json");
    posted.push_back(Json::parse(request.at("body").get<std::string>()));
  }
  CHECK(fired(posted) == expected);
  for (const Json& p : posted) CHECK(p.at("run") == run_id);
  // The exec hook: once per alert, its variables and the alert on stdin.
  const std::vector<std::string> env = split_lines(read_file(hook.string() + ".env"));
  REQUIRE(env.size() == 5);
  CHECK(env[0] == "metric|metric:loss>10 for 2|5|" + run_id);
  CHECK(env[4] == "exit|exit|0|" + run_id);
  std::vector<Json> piped;
  for (const std::string& line : split_lines(read_file(hook.string() + ".stdin")))
    if (!line.empty()) piped.push_back(Json::parse(line));
  CHECK(fired(piped) == expected);
  // The store keeps them as events: `show --json` has them.
  const Json shown = Json::parse(f.cli({"show", "--json", "train"}).out);
  std::vector<Json> stored;
  for (const Json& e : shown.at("events"))
    if (e.value("type", "") == "alert") stored.push_back(e);
  CHECK(fired(stored) == expected);
  const std::string shown_text = f.cli({"show", "train"}).out;
  CHECK_THAT(shown_text, Catch::Matches("(.|\n)*\n  alert      [^\n]* pattern:CUDA: line 10 matches CUDA: RuntimeError: CUDA out of memory\n(.|\n)*"));
  CHECK_THAT(shown_text, Catch::Contains(" exit: the run failed: exit status 1\n"));
  // The log holds every line, alerts or not.
  CHECK(split_lines(f.cli({"logs", "train"}).out).size() == 10);
}

TEST_CASE("cli alerts: exit and exit:any, a stall once per silence, a slack webhook", "[cli][alerts]") {
  Fixture f;
  SECTION("a run that succeeds fires exit:any only") {
    const CliResult r = f.cli({"run", "--json", "--alert", "exit", "--alert", "exit:any", "--", "true"});
    REQUIRE(r.status == 0);
    CHECK(fired(objects_of(r.out, "alert")) == std::vector<std::pair<std::string, std::uint64_t>>{{"exit:any", 0}});
    // The plain display says it on stderr, as the terminal's panel does (with a bell).
    const CliResult plain = f.cli({"run", "--plain", "--alert", "exit:any", "--alert", "pattern:o", "--", "echo", "hello"});
    CHECK_THAT(plain.err, Catch::Contains("logstream: alert pattern:o: line 1 matches o: hello\n"));
    CHECK_THAT(plain.err, Catch::Contains("logstream: alert exit:any: the run ended: exit status 0\n"));
  }
  SECTION("a killed run fails") {
    const CliResult r = f.cli({"run", "--json", "--alert", "exit", "--", "sh", "-c", "kill -9 $$"});
    const std::vector<Json> alerts = objects_of(r.out, "alert");
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].at("signal") == 9);
    CHECK(alerts[0].at("message") == "the run failed: killed by signal 9");
  }
  SECTION("a stall fires once for each silence that lasts, and not for a short one") {
    const CliResult r = f.cli({"run", "--json", "--alert", "stall:400ms", "--alert-cooldown", "0",
                               "--", "sh", "-c", "echo a; sleep 1.2; echo b; sleep 1.2; echo c"});
    const std::vector<Json> alerts = objects_of(r.out, "alert");
    CHECK(alerts.size() == 2);
    for (const Json& a : alerts) CHECK(a.at("message") == "no output for 400ms");
    const CliResult quiet = f.cli({"run", "--json", "--alert", "stall:1h", "--", "sh", "-c", "echo a; sleep 0.3; echo b"});
    CHECK(objects_of(quiet.out, "alert").empty());
  }
  SECTION("channels without a rule say when the run ended; the slack and ntfy bodies") {
    WebhookServer server(f.dir / "webhook.jsonl");
    REQUIRE(f.cli({"run", "--plain", "--notify-webhook", server.url("/ok"), "--notify-format", "slack", "--", "true"}).status == 0);
    REQUIRE(f.cli({"run", "--plain", "--name", "job", "--notify-webhook", server.url("/ok"), "--notify-format", "ntfy", "--", "true"}).status == 0);
    const std::vector<Json> requests = server.requests();
    REQUIRE(requests.size() == 2);
    const Json slack = Json::parse(requests[0].at("body").get<std::string>());
    CHECK_THAT(slack.at("text").get<std::string>(), Catch::Contains("logstream alert exit:any in ") && Catch::Contains("the run ended: exit status 0"));
    CHECK(requests[1].at("type") == "text/plain; charset=utf-8");
    CHECK(requests[1].at("body") == "the run ended: exit status 0");
    CHECK_THAT(requests[1].at("title").get<std::string>(), Catch::StartsWith("logstream: exit:any in "));
  }
}

TEST_CASE("cli alerts: the cooldown and the hourly cap hold back the rest and count it", "[cli][alerts]") {
  Fixture f;
  const std::vector<std::string> child = {"--", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo boom $i; done"};
  auto run = [&](std::vector<std::string> flags) {
    std::vector<std::string> args{"run", "--json", "--alert", "pattern:boom"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), child.begin(), child.end());
    return f.cli(args);
  };
  const CliResult cooled = run({"--alert-cooldown", "1h"});
  REQUIRE(cooled.status == 0);
  CHECK(fired(objects_of(cooled.out, "alert")) == std::vector<std::pair<std::string, std::uint64_t>>{{"pattern:boom", 1}});
  CHECK_THAT(cooled.err, Catch::Contains("alerts     1 (9 more suppressed)"));
  const CliResult capped = run({"--alert-cooldown", "0", "--alert-cap", "3"});
  CHECK(fired(objects_of(capped.out, "alert")) ==
        std::vector<std::pair<std::string, std::uint64_t>>{{"pattern:boom", 1}, {"pattern:boom", 2}, {"pattern:boom", 3}});
  CHECK_THAT(capped.err, Catch::Contains("alerts     3 (7 more suppressed)"));
  const CliResult all = run({"--alert-cooldown", "0", "--alert-cap", "0"});
  CHECK(objects_of(all.out, "alert").size() == 10);
}

TEST_CASE("cli alerts: a failing channel is an error event, not a failed run", "[cli][alerts][errors]") {
  Fixture f;
  WebhookServer server(f.dir / "webhook.jsonl");
  auto run = [&](std::vector<std::string> channel) {
    std::vector<std::string> args{"run", "--json", "--alert", "exit:any", "--notify-timeout", "300ms"};
    args.insert(args.end(), channel.begin(), channel.end());
    args.insert(args.end(), {"--", "sh", "-c", "echo one; echo two"});
    const CliResult r = f.cli(args);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(objects_of(r.out, "line").size() == 2);
    const std::vector<Json> errors = objects_of(r.out, "error");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].at("kind") == "notify");
    return errors[0].at("message").get<std::string>();
  };
  SECTION("a webhook that answers 500 is tried three times") {
    CHECK_THAT(run({"--notify-webhook", server.url("/fail")}), Catch::Contains("alert exit:any not delivered to webhook http://127.0.0.1:") && Catch::EndsWith(": HTTP 500"));
    CHECK(server.requests().size() == 3);
  }
  SECTION("a webhook that hangs times out") {
    CHECK_THAT(run({"--notify-webhook", server.url("/hang")}), Catch::Contains("timed out"));
  }
  SECTION("an unreachable webhook") {
    CHECK_THAT(run({"--notify-webhook", "http://127.0.0.1:" + std::to_string(free_port()) + "/"}), Catch::Contains("not delivered to webhook"));
  }
  SECTION("an exec hook that does not exist") {
    CHECK_THAT(run({"--notify-exec", (f.dir / "no-such-hook").string()}), Catch::Contains("cannot run '") && Catch::Contains("No such file or directory"));
  }
  SECTION("an exec hook that fails says why") {
    const auto hook = f.script("fails.sh", "echo 'no route to pager' >&2; exit 3");
    CHECK_THAT(run({"--notify-exec", hook.string()}), Catch::EndsWith("exit status 3: no route to pager"));
  }
  SECTION("an exec hook that does not exit is killed") {
    const auto hook = f.script("hangs.sh", "echo $$ >> \"$0.pids\"; exec sleep 60");
    CHECK_THAT(run({"--notify-exec", hook.string()}), Catch::Contains("did not exit within 300 ms: killed"));
    const std::vector<std::string> pids = split_lines(read_file(hook.string() + ".pids"));
    CHECK(pids.size() == 3);
    for (const std::string& pid : pids) CHECK(::kill(std::stoi(pid), 0) != 0);  // gone, and reaped
  }
}

TEST_CASE("cli alerts: a bad rule or channel exits 2 before the child runs", "[cli][alerts][errors]") {
  Fixture f;
  std::ofstream(f.dir / "alerts.txt") << "# rules\nexit\nmetric:loss>>1\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--alert", "pattern:(unclosed"}, "alert rule 'pattern:(unclosed': "},
      {{"--alert", "metric:loss>>1"}, "'>1' is no number"},
      {{"--alert", "bogus"}, "alert rule 'bogus': no such rule"},
      {{"--alerts", "alerts.txt"}, "alerts.txt:3: alert rule 'metric:loss>>1'"},
      {{"--alerts", "missing.txt"}, "cannot open alerts file 'missing.txt'"},
      {{"--notify-webhook", "ftp://example.invalid/"}, "is no http:// or https:// URL"},
      {{"--alert", "exit", "--alert-cooldown", "soon"}, "--alert-cooldown: 'soon' is no duration"},
      {{"--notify-exec", "'unclosed"}, "unclosed ' quote"},
  };
  for (const auto& [flags, message] : cases) {
    for (const bool detach : {false, true}) {
      std::vector<std::string> args{"run", "--plain"};
      if (detach) args.push_back("-d");
      args.insert(args.end(), flags.begin(), flags.end());
      args.insert(args.end(), {"--", "touch", "ran"});
      const CliResult r = f.cli(args);
      INFO(flags.at(1) << (detach ? " -d" : ""));
      CHECK(r.status == 2);
      CHECK_THAT(r.err, Catch::Contains(message));
      CHECK_FALSE(std::filesystem::exists(f.dir / "ran"));
    }
  }
}
