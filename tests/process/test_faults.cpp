// Faults: the child, the disk, the fd table and user code misbehave; nothing written is lost,
// nothing leaks, nothing crashes.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "event_recorder.hpp"
#include "io/directory_watch.hpp"
#include "process_support.hpp"
#include "test_sinks.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

// Streams the child into `s`'s log file and a counting sink, which must get all `lines` lines
// whatever becomes of the file; returns the sink_error events.
std::vector<StreamEvent> run_logged(Streamer& s, std::size_t lines, std::chrono::seconds timeout) {
  auto events = std::make_shared<EventRecorder>();
  auto counter = std::make_shared<CountingSink>();
  s.add_sink(counter);
  s.on_event = [events](const StreamEvent& e) { (*events)(e); };
  s.start();
  REQUIRE(s.wait_for_completion(timeout));
  CHECK(counter->lines(Source::out) == lines);
  return events->of(EventKind::sink_error);
}

std::size_t count_char(const std::string& s, char c) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), c)); }

}  // namespace

TEST_CASE("faults: a child killed in the middle of a line loses nothing it wrote", "[faults]") {
  const TempDir tmp;
  const std::string log = tmp.file("killed.log");
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"kill-mid", "1000"}), log);
  s.add_sink(counter);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_process_returncode() == -SIGKILL);
  CHECK(counter->lines(Source::out) == 1001);
  CHECK(counter->ordered());
  auto last = s.get_entries(1);
  REQUIRE(last.size() == 1);
  CHECK(last[0].text == "partial line without end");
  CHECK(last[0].terminator == Terminator::none);
  const std::string file = read_file(log);
  CHECK(count_char(file, '\n') == 1000);
  CHECK(file.ends_with("line 1000\npartial line without end"));
}

TEST_CASE("faults: a child that closes stdout early and keeps running is still followed", "[faults]") {
  Streamer s(child({"close-stdout"}));
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_process_returncode() == 0);
  auto entries = s.get_entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].text == "before close");
  CHECK(entries[1].text == "still running");
  CHECK(entries[1].source == Source::err);
}

TEST_CASE("faults: 100 MB in one burst without a newline arrives whole in bounded memory", "[faults]") {
  const TempDir tmp;
  const std::string log = tmp.file("burst.log");
  StreamerOptions options;
  options.max_inflight_bytes = 1 << 20;
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"burst", "100"}), log, options);
  s.add_sink(counter);
  s.start();
  REQUIRE(s.wait_for_completion(120s));
  CHECK(counter->bytes() == 100u << 20);
  CHECK(s.stats().peak_inflight_bytes <= options.max_inflight_bytes);
  CHECK(std::filesystem::file_size(log) == 100u << 20);  // no newline was invented
  for (const auto& line : s.get_entries()) CHECK(line.text.size() <= (1u << 20));
}

TEST_CASE("faults: stdout and stderr flooded at once both arrive complete and in order", "[faults]") {
  constexpr int kLines = 200000;
  std::atomic<std::uint64_t> next_out{1}, next_err{1};
  std::atomic<bool> ordered{true};
  Streamer s(child({"flood", std::to_string(kLines)}));
  s.on_new_line = [&](const Line& line) {
    auto& next = line.source == Source::out ? next_out : next_err;
    const char* prefix = line.source == Source::out ? "o " : "e ";
    if (line.text != fmt::format("{}{}", prefix, next.load())) ordered = false;
    ++next;
  };
  s.start();
  REQUIRE(s.wait_for_completion(120s));
  CHECK(ordered.load());
  CHECK(next_out.load() == kLines + 1);
  CHECK(next_err.load() == kLines + 1);
}

TEST_CASE("faults: a log file that cannot be opened is an event; other sinks go on", "[faults]") {
  Streamer s(child({"lines", "1000"}), "/dev/null/cannot/exist.log");
  const auto errors = run_logged(s, 1000, 30s);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("/dev/null/cannot/exist.log"));
  auto stats = s.stats();
  auto file = std::find_if(stats.sinks.begin(), stats.sinks.end(), [](auto& k) { return k.name.rfind("file:", 0) == 0; });
  REQUIRE(file != stats.sinks.end());
  CHECK(file->failed_lines == 1000);
  CHECK(s.get_logs().size() == 500);
}

TEST_CASE("faults: a full disk is an event; the other sinks get every line", "[faults]") {
  Streamer s(child({"lines", "100000"}), "/dev/full");
  const auto errors = run_logged(s, 100000, 60s);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("/dev/full"));
  CHECK_THAT(errors[0].message, Catch::Contains("No space left"));
}

TEST_CASE("faults: a file size limit (RLIMIT_FSIZE) is an event, not a crash", "[faults]") {
  const TempDir tmp;
  const std::string log = tmp.file("limited.log");
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);  // the default action would end this process
  rlimit limited = old;
  limited.rlim_cur = 64 * 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  std::vector<StreamEvent> errors;
  {
    Streamer s(child({"lines", "100000"}), log);
    errors = run_logged(s, 100000, 60s);
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("File too large"));
  CHECK(std::filesystem::file_size(log) <= 64 * 1024);
}

TEST_CASE("faults: a log directory that vanishes while streaming is no crash", "[faults]") {
  const TempDir tmp;
  const std::string dir = tmp.file("vanishing");
  EventRecorder events;
  auto counter = std::make_shared<CountingSink>();
  FirstLine first;
  Streamer s(child({"slow", "20", "10"}), dir + "/run.log");
  s.add_sink(counter);
  s.on_event = std::ref(events);
  s.on_new_line = first.callback();
  // The log is opened by the file sink's own actor, which may come after the first line's
  // callback: the directory goes only once the file is there (and so open).
  std::filesystem::create_directories(dir);
  io::DirectoryWatch created(IN_CREATE);
  created.add(dir);
  s.start();
  REQUIRE(first.wait(10s));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!std::filesystem::exists(dir + "/run.log") && std::chrono::steady_clock::now() < deadline)
    created.wait(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
  REQUIRE(std::filesystem::exists(dir + "/run.log"));
  std::filesystem::remove_all(dir);
  REQUIRE(s.wait_for_completion(30s));
  CHECK(counter->lines(Source::out) == 20);
  CHECK(events.of(EventKind::sink_error).empty());  // the open file lives on, unlinked
}

TEST_CASE("faults: out of file descriptors, start() fails clearly and starts nothing", "[faults]") {
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &old) == 0);
  // Warm up process-wide state (libuv's signal pipe) so only the stream's fds count.
  {
    Streamer warm(child({"exit", "0"}));
    warm.start();
    REQUIRE(warm.wait_for_completion(30s));
  }
  auto runtime = std::make_shared<Runtime>();
  const std::size_t fds = open_fds();
  const std::size_t kids = children();
  rlimit low = old;
  low.rlim_cur = fds + 2;  // room for one pipe, not two
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  StreamerOptions options;
  options.runtime = runtime;
  std::string message;
  int code = 0;
  {
    Streamer s(child({"lines", "10"}), {}, options);
    try {
      s.start();
    } catch (const StartError& e) {
      message = e.what();
      code = e.code().value();
    }
  }
  ::setrlimit(RLIMIT_NOFILE, &old);
  CHECK(code == EMFILE);
  CHECK_THAT(message, Catch::Contains("test_child"));
  CHECK_THAT(message, Catch::Contains("too many open files"));
  CHECK(open_fds() == fds);
  CHECK(children() == kids);
}

TEST_CASE("faults: callbacks that throw are reported and streaming goes on", "[faults]") {
  EventRecorder events;
  const TempDir tmp;
  const std::string log = tmp.file("throwing.log");
  std::atomic<int> calls{0};
  Streamer s(child({"lines", "10000"}), log);
  s.on_new_line = [&](const Line& line) {
    ++calls;
    if (line.seq % 10 == 0) throw std::runtime_error("user code failed");
  };
  // Called once, with the final progress (end_time set), from the parser's thread.
  s.on_progress_update = [](const TrainingProgress&) { throw std::runtime_error("progress hook failed"); };
  s.on_event = std::ref(events);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(calls.load() == 10000);
  auto errors = events.of(EventKind::callback_error);
  REQUIRE_FALSE(errors.empty());
  auto mentions = [&](std::string_view text) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const StreamEvent& e) { return e.message.find(text) != std::string::npos; });
  };
  CHECK(mentions("user code failed"));
  CHECK(mentions("on_progress_update threw: progress hook failed"));
  CHECK(count_char(read_file(log), '\n') == 10000);
}

TEST_CASE("faults: a callback may query and stop its own Streamer without deadlock", "[faults]") {
  std::atomic<int> calls{0};
  std::atomic<bool> wait_returned_false{false};
  StreamerOptions options;
  options.stop_grace = 200ms;
  Streamer* self = nullptr;
  Streamer s(child({"slow", "1000", "5"}), {}, options);
  self = &s;
  s.on_new_line = [&](const Line& line) {
    ++calls;
    (void)self->get_logs(10);
    (void)self->get_progress();
    (void)self->stats();
    if (line.seq == 3) {
      self->stop();  // from a callback: requests the stop, cannot wait for itself
      wait_returned_false = !self->wait_for_completion(1s);
    }
  };
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(wait_returned_false.load());
  CHECK(s.get_process_returncode() == -SIGTERM);
  CHECK(calls.load() >= 3);
}

TEST_CASE("faults: a callback that blocks for a second delays, loses nothing", "[faults]") {
  std::atomic<int> calls{0};
  Streamer s(child({"lines", "500000"}));  // 16 MB: more than the in-flight bound
  s.on_new_line = [&](const Line& line) {
    if (line.seq == 1) std::this_thread::sleep_for(1s);  // the workload: a stuck callback
    ++calls;
  };
  s.start();
  REQUIRE(s.wait_for_completion(60s));
  CHECK(calls.load() == 500000);
  auto stats = s.stats();
  CHECK(stats.read_pauses > 0);  // the pipe was paused meanwhile...
  CHECK(stats.peak_inflight_bytes <= StreamerOptions{}.max_inflight_bytes);  // ...within the bound
}

TEST_CASE("faults: a sink that fails is retired and reported, the others are not", "[faults]") {
  EventRecorder events;
  auto failing = std::make_shared<FailingSink>(FailingSink::When::write);
  auto counter = std::make_shared<CountingSink>();
  Streamer s(child({"lines", "5000"}));
  start_recorded(s, events, {failing, counter});
  REQUIRE(s.wait_for_completion(30s));
  CHECK(failing->writes() == 1);
  CHECK(counter->lines(Source::out) == 5000);
  CHECK(counter->closed());
  CHECK(events.of(EventKind::sink_error).size() == 1);
}

TEST_CASE("faults: stop() racing a natural exit always completes", "[faults]") {
  for (int i = 0; i < 30; ++i) {
    Streamer s(child({"exit", "0"}));
    s.start();
    if (i % 2) std::this_thread::yield();
    s.stop();
    REQUIRE(s.is_complete());
    auto rc = s.get_process_returncode();
    REQUIRE(rc.has_value());
    CHECK((*rc == 0 || *rc == -SIGTERM));
  }
}

TEST_CASE("faults: 100 streams at 10,000 lines/s, then stopped, account for every line", "[faults][scale]") {
  const int streams = 100;
  const int per_stream = scaled(100000, 1000);  // 10 s at 10,000/s
  const std::size_t fds = open_fds();
  const auto threads_before = thread_ids();
  const std::size_t kids = children();
  {
    auto runtime = std::make_shared<Runtime>();
    std::vector<std::unique_ptr<Streamer>> all;
    std::vector<std::unique_ptr<std::atomic<std::uint64_t>>> next(streams);
    std::atomic<int> disordered{0};
    for (int i = 0; i < streams; ++i) {
      StreamerOptions options;
      options.runtime = runtime;
      next[static_cast<std::size_t>(i)] = std::make_unique<std::atomic<std::uint64_t>>(1);
      auto s = std::make_unique<Streamer>(child({"paced", std::to_string(per_stream), "10000"}), std::filesystem::path{},
                                          options);
      auto* counter = next[static_cast<std::size_t>(i)].get();
      s->on_new_line = [counter, &disordered](const Line& line) {
        // "seq=<n> t=<ns>": the child's own numbering must match ours, without a gap.
        std::uint64_t n = counter->fetch_add(1);
        if (line.text.substr(0, line.text.find(' ')) != fmt::format("seq={}", n)) ++disordered;
      };
      s->start();
      all.push_back(std::move(s));
    }
    for (auto& s : all) REQUIRE(s->wait_for_completion(300s));
    for (auto& s : all) s->stop();
    CHECK(disordered.load() == 0);
    for (int i = 0; i < streams; ++i) CHECK(next[static_cast<std::size_t>(i)]->load() == static_cast<std::uint64_t>(per_stream) + 1);
  }
  CHECK(open_fds() == fds);
  CHECK(threads_added_since(threads_before) == "");
  CHECK(children() == kids);
}
