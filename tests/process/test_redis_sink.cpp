// RedisSink against a real redis-server of the test's own: every line arrives once and in order,
// through a restart, a pause longer than the queue, and the errors that end the shipping.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include <logstream/logstream.hpp>
#include <logstream/sinks/redis_sink.hpp>

#include "event_recorder.hpp"
#include "io/write_all.hpp"
#include "json/json.hpp"
#include "process_support.hpp"
#include "redis_reader.hpp"
#include "redis_server.hpp"
#include "temp_dir.hpp"
#include "test_scale.hpp"

using namespace std::chrono_literals;
using namespace logstream;
using namespace logstream::test;

namespace {

// A recorded run with a RedisSink, in a store of its own.
struct RedisRun {
  TempDir home;
  std::shared_ptr<Runtime> runtime = std::make_shared<Runtime>();
  std::shared_ptr<RunStore> store = std::make_shared<RunStore>(home.path());
  EventRecorder events;
  std::unique_ptr<Streamer> streamer;
  std::shared_ptr<RedisSink> sink;

  RedisRun(std::vector<std::string> child_args, RedisSinkOptions options)
      : RedisRun(Streamer::Input{logstream::test::child(std::move(child_args))}, std::move(options)) {}
  RedisRun(Streamer::Input input, RedisSinkOptions options) {
    StreamerOptions o;
    o.runtime = runtime;
    o.store = store;
    if (auto* spec = std::get_if<ProcessSpec>(&input)) {
      streamer = std::make_unique<Streamer>(std::move(*spec), std::filesystem::path{}, o);
    } else {
      streamer = std::make_unique<Streamer>(std::get<FdSource>(input), std::filesystem::path{}, o);
    }
    sink = std::make_shared<RedisSink>(*runtime, store, streamer->run_id(), std::move(options));
    streamer->add_sink(sink);
    streamer->on_event = std::ref(events);
  }
  ~RedisRun() {
    streamer.reset();
    sink.reset();
  }

  /// Runs to the end, hands Redis the final record and waits for everything to be there.
  bool run_and_finish(std::chrono::milliseconds timeout = 60s) {
    streamer->start();
    REQUIRE(streamer->wait_for_completion(120s));
    return sink->finish(timeout);
  }
  std::string stream_key() const { return "logstream:run:" + streamer->run_id(); }
  std::string events_text(EventKind kind) {
    std::string out;
    for (const StreamEvent& e : events.of(kind)) out += e.message + "\n";
    return out;
  }
};

RedisSinkOptions options_for(const RedisServer& server) {
  RedisSinkOptions o;
  o.url = parse_redis_url(server.url());
  return o;
}

struct StreamLines {
  std::vector<json::Json> lines;  // every line object, in stream order
  std::size_t line_entries = 0;
  std::vector<std::string> other_fields;
  bool ids_match_seq = true;  // each lines entry's id is `<its last seq>-0`
};

StreamLines read_lines(const std::vector<StreamEntry>& entries) {
  StreamLines out;
  for (const StreamEntry& e : entries) {
    if (e.field != "lines") {
      out.other_fields.push_back(e.field);
      continue;
    }
    ++out.line_entries;
    const json::Json array = json::Json::parse(e.value);
    for (const json::Json& line : array) out.lines.push_back(line);
    if (array.empty() || e.id != std::to_string(array.back()["seq"].get<std::uint64_t>()) + "-0") out.ids_match_seq = false;
  }
  return out;
}

// Every seq from 1 to `count`, once, in order, with the text `lines N` writes, in entries whose
// ids are their last seq. Matched with RE2 rather than parsed: a million line objects through a
// JSON parser compiled without optimisation would take half a minute.
void check_lines_mode(const std::vector<StreamEntry>& entries, std::uint64_t count) {
  static const RE2 line_object(R"re(\{"type":"line","seq":(\d+),[^{}]*?"text":"line (\d{9}) )re");
  std::uint64_t next = 1, bad = 0, bad_ids = 0;
  for (const StreamEntry& e : entries) {
    if (e.field != "lines") continue;
    re2::StringPiece input(e.value);
    std::uint64_t seq = 0, number = 0;
    while (RE2::FindAndConsume(&input, line_object, &seq, &number)) {
      if (seq != next || number != next) ++bad;
      ++next;
    }
    if (e.id != fmt::format("{}-0", seq)) ++bad_ids;
  }
  CHECK(next - 1 == count);
  CHECK(bad == 0);
  CHECK(bad_ids == 0);
}

// A pipe the test writes a run's output into itself, for runs that must wait on the test.
struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() { close(); }
  FdSource source() const { return FdSource{.fd = read_end, .close_on_end = true}; }
  void write(std::string_view bytes) const { REQUIRE(io::write_all(write_end, bytes).ok()); }
  void close() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
};

// Lines `first`..`last` as the child's `lines` mode writes them.
std::string numbered_lines(std::uint64_t first, std::uint64_t last) {
  std::string out;
  for (std::uint64_t i = first; i <= last; ++i) fmt::format_to(std::back_inserter(out), "line {:09} xxxxxxxxxxxxxxx\n", i);
  return out;
}

}  // namespace

TEST_CASE("redis sink: a million lines arrive once, in order, in batched entries", "[redis]") {
  RedisServer server;
  const std::uint64_t count = scaled<std::uint64_t>(1'000'000, 20'000);
  RedisRun run({"lines", std::to_string(count)}, options_for(server));
  run.streamer->start();
  REQUIRE(run.streamer->wait_for_completion(120s));
  // Redis has the whole run soon after its end (the README's figure is from ./dev bench).
  const auto ended = std::chrono::steady_clock::now();
  REQUIRE(run.sink->finish(60s));
  CHECK(std::chrono::steady_clock::now() - ended < 10s);
  CHECK(run.events.count(EventKind::sink_error) == 0);

  RedisReader reader(server.port());
  const std::vector<StreamEntry> entries = reader.xrange(run.stream_key());
  check_lines_mode(entries, count);
  const auto line_entries = std::count_if(entries.begin(), entries.end(), [](const StreamEntry& e) { return e.field == "lines"; });
  CHECK(static_cast<std::uint64_t>(line_entries) < count / 10);  // batches, not one entry per line
  REQUIRE(!entries.empty());
  CHECK(entries.back().field == "exit");
  // The record and the index of runs.
  const json::Json record = json::Json::parse(reader.get({"HGET", "logstream:runs:" + run.streamer->run_id(), "run"}));
  CHECK(record["id"] == run.streamer->run_id());
  CHECK(record["state"] == "exited");
  CHECK(record["lines"] == count);
  CHECK(reader.get({"HGET", "logstream:runs:" + run.streamer->run_id(), "state"}) == "exited");
  CHECK(reader.integer({"ZCARD", "logstream:runs"}) == 1);
  const RedisSinkStats stats = run.sink->stats();
  CHECK(stats.delivered);
  CHECK(stats.delivered_seq == count);
}

TEST_CASE("redis sink: a server killed mid-run and started again gets every line once", "[redis]") {
  RedisServer server;
  const std::uint64_t count = scaled<std::uint64_t>(40'000, 8'000);
  RedisSinkOptions options = options_for(server);
  options.max_queue_bytes = 64 * 1024;  // the outage outlasts the queue: the rest comes from the log
  RedisRun run({"paced", std::to_string(count), std::to_string(count / 2)}, options);
  run.streamer->start();
  REQUIRE(run.sink->wait_until([](const RedisSinkStats& s) { return s.delivered_seq >= 500; }, 30s));
  server.kill();
  REQUIRE(run.sink->wait_until([](const RedisSinkStats& s) { return !s.connected; }, 30s));
  server.start();
  REQUIRE(run.streamer->wait_for_completion(120s));
  REQUIRE(run.sink->finish(60s));
  CHECK(run.events.count(EventKind::sink_error) == 0);
  // The restarted server had lost everything: the whole run was sent again from the log.
  RedisReader reader(server.port());
  const StreamLines s = read_lines(reader.xrange(run.stream_key()));
  REQUIRE(s.lines.size() == count);
  for (std::uint64_t i = 0; i < count; ++i) REQUIRE(s.lines[i]["seq"].get<std::uint64_t>() == i + 1);
  CHECK(run.sink->stats().reconnects >= 1);
  CHECK(run.events_text(EventKind::callback_error).find("lost") != std::string::npos);
}

TEST_CASE("redis sink: a server paused longer than the queue lasts gets every line after it resumes", "[redis]") {
  RedisServer server;
  const std::uint64_t count = scaled<std::uint64_t>(200'000, 20'000);
  RedisSinkOptions options = options_for(server);
  options.max_queue_bytes = 64 * 1024;
  options.command_timeout = 300ms;
  options.connect_timeout = 300ms;
  Pipe pipe;
  RedisRun run(pipe.source(), options);
  run.streamer->start();
  pipe.write(numbered_lines(1, 1000));
  REQUIRE(run.sink->wait_until([](const RedisSinkStats& s) { return s.delivered_seq >= 1000; }, 30s));
  server.pause();
  const auto before = std::chrono::steady_clock::now();
  for (std::uint64_t first = 1001; first <= count; first += 10'000) pipe.write(numbered_lines(first, std::min(count, first + 9'999)));
  pipe.close();
  // The stopped server does not hold the run back.
  REQUIRE(run.streamer->wait_for_completion(60s));
  CHECK(std::chrono::steady_clock::now() - before < 20s);
  CHECK(run.sink->stats().delivered_seq < count);
  server.resume();
  REQUIRE(run.sink->finish(60s));
  RedisReader reader(server.port());
  check_lines_mode(reader.xrange(run.stream_key()), count);
  CHECK(run.sink->stats().caught_up_lines > 0);
}

TEST_CASE("redis sink: lines of any text reach the stream exactly as written", "[redis][model]") {
  RedisServer server;
  std::mt19937_64 random(Catch::rngSeed());
  const std::size_t count = scaled<std::size_t>(5'000, 1'000);
  // Texts a model chooses: empty, long, multi-byte UTF-8, control bytes (but CR and LF, which
  // frame lines).
  const std::vector<std::string> pieces = {"a", "word ", "\t", std::string("\0", 1), "\x01", "\x1b[31m", "\x7f",
                                           "é", "漢字", "🙂", "\\", "\"", "{}[]", " "};
  std::vector<std::string> expected;
  std::string written;
  for (std::size_t i = 0; i < count; ++i) {
    std::string text;
    const auto kind = random() % 10;
    const std::size_t n = kind == 0 ? 0 : kind == 1 ? 2'000 + random() % 20'000 : random() % 40;
    while (text.size() < n) text += pieces[random() % pieces.size()];
    expected.push_back(text);
    written += text + "\n";
  }
  Pipe pipe;
  RedisRun run(pipe.source(), options_for(server));
  run.streamer->start();
  for (std::size_t at = 0; at < written.size(); at += 100'000) pipe.write(std::string_view(written).substr(at, 100'000));
  pipe.close();
  REQUIRE(run.streamer->wait_for_completion(60s));
  REQUIRE(run.sink->finish(60s));

  RedisReader reader(server.port());
  const StreamLines s = read_lines(reader.xrange(run.stream_key()));
  CHECK(s.ids_match_seq);
  REQUIRE(s.lines.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("line " << i + 1);
    REQUIRE(s.lines[i]["seq"] == i + 1);
    REQUIRE(s.lines[i]["text"].get<std::string>() == expected[i]);
    REQUIRE(s.lines[i]["source"] == "stdout");
  }
}

TEST_CASE("redis sink: a bad URL is refused with what is wrong", "[redis]") {
  CHECK(parse_redis_url("redis://127.0.0.1:6380/2").port == 6380);
  CHECK(parse_redis_url("redis://127.0.0.1:6380/2").db == 2);
  CHECK(parse_redis_url("redis://localhost").port == 6379);
  CHECK(parse_redis_url("redis://[::1]:7000").host == "::1");
  CHECK_THROWS_WITH(parse_redis_url("http://127.0.0.1"), Catch::Contains("redis://HOST"));
  CHECK_THROWS_WITH(parse_redis_url("redis://127.0.0.1:99999"), Catch::Contains("port"));
  CHECK_THROWS_WITH(parse_redis_url("redis://127.0.0.1:0"), Catch::Contains("port"));
  CHECK_THROWS_WITH(parse_redis_url("redis://127.0.0.1/x"), Catch::Contains("database"));
  CHECK_THROWS_WITH(parse_redis_url("redis://"), Catch::Contains("host"));
}

TEST_CASE("redis sink: a server it cannot use is a sink error; the run and its log complete", "[redis]") {
  const std::uint64_t count = 2'000;
  std::unique_ptr<RedisServer> server;
  RedisSinkOptions options;
  std::string expected;
  SECTION("refused connection") {
    options.url = parse_redis_url("redis://127.0.0.1:" + std::to_string(test::free_port()));
    expected = "cannot connect";
  }
  SECTION("a password we do not have") {
    server = std::make_unique<RedisServer>(0, std::vector<std::string>{"--requirepass", "not-ours"});
    options.url = parse_redis_url(server->url());
    expected = "NOAUTH";
  }
  RedisRun run({"lines", std::to_string(count)}, options);
  CHECK_FALSE(run.run_and_finish(5s));
  const std::string errors = run.events_text(EventKind::sink_error);
  CHECK_THAT(errors, Catch::Contains(expected) && Catch::Contains("127.0.0.1"));
  CHECK(!run.sink->stats().error.empty());
  const RunRecord record = run.store->find(run.streamer->run_id());
  CHECK(record.state == RunState::exited);
  CHECK(run.store->lines(record).size() == count);
}

TEST_CASE("redis sink: an out-of-memory server is backpressure, reported; the run completes", "[redis]") {
  RedisServer server(0, {"--maxmemory", "1mb", "--maxmemory-policy", "noeviction"});
  RedisSinkOptions options = options_for(server);
  options.max_backoff = 200ms;
  Pipe pipe;
  RedisRun run(pipe.source(), options);
  run.streamer->start();
  std::uint64_t written = 0;
  // Until Redis refuses for memory (1 MB fills within a few MB of lines).
  while (run.sink->stats().backpressure_replies == 0 && written < 2'000'000) {
    pipe.write(numbered_lines(written + 1, written + 10'000));
    written += 10'000;
    run.sink->wait_until([](const RedisSinkStats& s) { return s.backpressure_replies > 0; }, 100ms);
  }
  REQUIRE(run.sink->stats().backpressure_replies > 0);
  pipe.write(numbered_lines(written + 1, written + 10));
  written += 10;
  pipe.close();
  REQUIRE(run.streamer->wait_for_completion(60s));
  CHECK_FALSE(run.sink->finish(500ms));
  CHECK_THAT(run.events_text(EventKind::callback_error), Catch::Contains("out of memory"));
  CHECK(run.events.count(EventKind::sink_error) == 0);
  const RunRecord record = run.store->find(run.streamer->run_id());
  CHECK(run.store->lines(record).size() == written);
}
