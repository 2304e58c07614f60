// Capture: every byte a child writes reaches the file and the callbacks, framed by the rules.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {
/// Runs the test child with `args`, collecting lines through on_new_line.
struct Run {
  std::vector<OwnedLine> lines;
  std::mutex mutex;
  std::unique_ptr<Streamer> streamer;

  explicit Run(std::vector<std::string> args, std::string log = {}, ProcessSpec spec_extra = {}) {
    ProcessSpec spec = child(std::move(args));
    spec.merge_stderr = spec_extra.merge_stderr;
    streamer = std::make_unique<Streamer>(spec, log);
    streamer->on_new_line = [this](const Line& line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
    streamer->start();
    REQUIRE(streamer->wait_for_completion(60s));
  }
  std::vector<std::string> committed() {
    std::vector<std::string> out;
    for (auto& l : lines)
      if (!l.transient) out.push_back(l.text);
    return out;
  }
};
}  // namespace

TEST_CASE("capture: a million numbered lines arrive complete, in order, byte-identical", "[capture]") {
  const TempDir tmp;
  const std::string log = tmp.file("million.log");
  constexpr int kLines = 1000000;
  std::atomic<std::uint64_t> seen{0};
  std::atomic<bool> in_order{true};
  Streamer streamer(child({"lines", std::to_string(kLines)}), log);
  streamer.on_new_line = [&](const Line& line) {
    std::uint64_t n = seen.fetch_add(1) + 1;
    // "line 000000001 ...": the child's own number must match our sequence number.
    if (line.seq != n || line.text.substr(5, 9) != fmt::format("{:09}", n)) in_order = false;
  };
  streamer.start();
  REQUIRE(streamer.wait_for_completion(120s));
  CHECK(seen.load() == kLines);
  CHECK(in_order.load());
  CHECK(streamer.get_process_returncode() == 0);
  CHECK(streamer.stats().lines == kLines);

  // The child writes a deterministic text: rebuild it and compare byte for byte.
  std::string expected;
  expected.reserve(static_cast<std::size_t>(kLines) * 32);
  for (int i = 1; i <= kLines; ++i) {
    std::string line = fmt::format("line {:09} ", i);
    line.append(31 - line.size(), 'x');
    expected += line;
    expected += '\n';
  }
  const std::string file = read_file(log);
  CHECK(file.size() == expected.size());
  CHECK(file == expected);
  auto last = streamer.get_logs(1);
  REQUIRE(last.size() == 1);
  CHECK(last[0].substr(0, 14) == fmt::format("line {:09}", kLines));
  CHECK(streamer.get_logs().size() == 500);
}

TEST_CASE("capture: CRLF, lone CR, a final line without newline, NUL and invalid UTF-8", "[capture]") {
  const TempDir tmp;
  // The child writes `bytes` (test_child escapes): the lines the callbacks commit, and the file.
  const auto check_written = [&](const std::string& bytes, const std::string& log, const std::vector<std::string>& committed,
                                 const std::string& file) {
    Run run({"bytes", bytes}, tmp.file(log));
    CHECK(run.committed() == committed);
    CHECK(read_file(tmp.file(log)) == file);
  };
  SECTION("CRLF loses its CR") {
    check_written("a\\r\\nb\\r\\n", "crlf.log", {"a", "b"}, "a\nb\n");
  }
  SECTION("a lone CR overwrites: callbacks see transient states, the file the last one") {
    Run run({"bytes", "a\\rb\\rc\\n"}, tmp.file("cr.log"));
    REQUIRE(run.lines.size() == 3);
    CHECK(run.lines[0].transient);
    CHECK(run.lines[1].transient);
    CHECK_FALSE(run.lines[2].transient);
    CHECK(run.lines[2].text == "c");
    CHECK(read_file(tmp.file("cr.log")) == "c\n");
    CHECK(run.streamer->get_logs() == std::vector<std::string>{"c"});
  }
  SECTION("the final line without newline is delivered") {
    check_written("one\\ntwo", "nonl.log", {"one", "two"}, "one\ntwo");
  }
  SECTION("NUL and invalid UTF-8 reach the file byte-exact") {
    check_written("a\\0b\\xff\\xfe\\n", "bin.log", {std::string("a\0b\xff\xfe", 5)}, std::string("a\0b\xff\xfe\n", 6));
  }
}

TEST_CASE("capture: a 3 MiB line arrives in continued pieces and whole in the file", "[capture]") {
  const TempDir tmp;
  Run run({"bigline", "3"}, tmp.file("big.log"));
  std::string joined;
  std::size_t pieces = 0;
  for (auto& l : run.lines) {
    if (l.text == "after") break;
    joined += l.text;
    ++pieces;
    CHECK(l.text.size() <= (1u << 20));
  }
  CHECK(pieces == 3);
  CHECK(joined == std::string(3u << 20, 'x'));
  CHECK(read_file(tmp.file("big.log")) == std::string(3u << 20, 'x') + "\nafter\n");
}

TEST_CASE("capture: stdout and stderr are tagged apart, and merged on request", "[capture]") {
  SECTION("apart") {
    Run run({"both", "50"});
    std::size_t out = 0, err = 0;
    for (auto& l : run.lines) {
      if (l.source == Source::out) {
        ++out;
        CHECK(l.text.rfind("out ", 0) == 0);
      } else {
        ++err;
        CHECK(l.text.rfind("err ", 0) == 0);
      }
    }
    CHECK(out == 50);
    CHECK(err == 50);
    CHECK(run.streamer->stats().stderr_lines == 50);
  }
  SECTION("merged") {
    ProcessSpec extra;
    extra.merge_stderr = true;
    Run run({"both", "50"}, {}, extra);
    CHECK(run.lines.size() == 100);
    for (auto& l : run.lines) CHECK(l.source == Source::out);
  }
}

TEST_CASE("capture: the child inherits the environment plus overrides and PYTHONUNBUFFERED", "[capture]") {
  ::setenv("LOGSTREAM_INHERITED", "from-parent", 1);
  auto value_of = [](const std::string& name, std::map<std::string, std::string> env = {}) {
    ProcessSpec spec = child({"env", name});
    spec.env = std::move(env);
    Streamer s(spec);
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    auto logs = s.get_logs();
    return logs.empty() ? std::string("<none>") : logs[0];
  };
  CHECK(value_of("LOGSTREAM_INHERITED") == "from-parent");
  CHECK(value_of("LOGSTREAM_INHERITED", {{"LOGSTREAM_INHERITED", "override"}}) == "override");
  CHECK(value_of("PYTHONUNBUFFERED") == "1");
  CHECK(value_of("PYTHONUNBUFFERED", {{"PYTHONUNBUFFERED", "0"}}) == "0");
}

TEST_CASE("capture: cwd sets the child's working directory", "[capture]") {
  ProcessSpec spec = child({"cwd"});
  spec.cwd = "/tmp";
  Streamer s(spec);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_logs() == std::vector<std::string>{"/tmp"});
}

TEST_CASE("capture: an already-open fd streams like a child", "[capture]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Streamer s(FdSource{.fd = fds[0], .close_on_end = true});
  s.start();
  const std::string text = "from a pipe\nsecond\n";
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_logs() == std::vector<std::string>{"from a pipe", "second"});
  CHECK_FALSE(s.get_process_returncode().has_value());
}
