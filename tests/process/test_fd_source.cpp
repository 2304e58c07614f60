// FdSource: which fds a stream reads (pipes, sockets, terminals, regular files), which it
// refuses with a clear StartError, and that a refusal leaves the caller's fd alone.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "process_support.hpp"
#include "test_sinks.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += fmt::format("line {}\n", i);
  return text;
}

bool fd_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// The StartError of starting a stream on `source`, which must fail and leave no fd behind.
std::string refusal(FdSource source) {
  const std::size_t fds = open_fds();
  std::string message = "start() did not throw";
  {
    Streamer s(source);
    try {
      s.start();
    } catch (const StartError& e) {
      message = e.what();
    }
  }
  CHECK(open_fds() == fds);
  return message;
}

}  // namespace

TEST_CASE("fd source: a regular file is read to its end, from its offset, in bounded memory", "[fd_source]") {
  const TempDir tmp;
  const std::string input = tmp.file("input.log");
  const std::string text = numbered_lines(200000);
  std::ofstream(input, std::ios::binary) << "skipped\n" << text;
  const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  char skipped[8];
  REQUIRE(::read(fd, skipped, sizeof skipped) == 8);  // `app < file` after a read of its own
  const std::size_t fds = open_fds();
  StreamerOptions options;
  options.max_inflight_bytes = 128 << 10;
  auto counter = std::make_shared<CountingSink>();
  {
    Streamer s(FdSource{.fd = fd, .close_on_end = true}, tmp.file("copy.log"), options);
    s.add_sink(counter);
    s.start();
    REQUIRE(s.wait_for_completion(60s));
    CHECK_FALSE(s.stats().truncated);
    CHECK(s.stats().peak_inflight_bytes <= options.max_inflight_bytes);
    CHECK(s.get_logs(1) == std::vector<std::string>{"line 200000"});
  }
  CHECK(counter->lines(Source::out) == 200000);
  CHECK(counter->ordered());
  CHECK(read_file(tmp.file("copy.log")) == text);
  CHECK_FALSE(fd_open(fd));  // close_on_end
  CHECK(open_fds() == fds - 1);
}

TEST_CASE("fd source: a regular file is left open unless close_on_end", "[fd_source]") {
  const TempDir tmp;
  const std::string input = tmp.file("input.log");
  std::ofstream(input, std::ios::binary) << "a\nb\n";
  const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const std::size_t fds = open_fds();
  {
    Streamer s(FdSource{.fd = fd});
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    CHECK(s.get_logs() == std::vector<std::string>{"a", "b"});
  }
  CHECK(fd_open(fd));
  CHECK(open_fds() == fds);
  ::close(fd);
}

TEST_CASE("fd source: /dev/null, /dev/zero and a directory are refused, naming what they are", "[fd_source]") {
  const TempDir tmp;
  for (const char* path : {"/dev/null", "/dev/zero"}) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    for (const bool close_on_end : {false, true}) {
      const std::string message = refusal(FdSource{.fd = fd, .close_on_end = close_on_end});
      CHECK_THAT(message, Catch::Contains(fmt::format("fd {}", fd)) && Catch::Contains(path) &&
                              Catch::Contains("character device"));
      CHECK(fd_open(fd));  // still the caller's
    }
    ::close(fd);
  }
  const int dir = ::open(tmp.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dir >= 0);
  CHECK_THAT(refusal(FdSource{.fd = dir}), Catch::Contains("is a directory"));
  CHECK(fd_open(dir));
  ::close(dir);
}

TEST_CASE("fd source: an invalid fd is refused as such", "[fd_source]") {
  CHECK_THAT(refusal(FdSource{.fd = -1}), Catch::Contains("invalid file descriptor -1"));
  // Far above any fd in use (a freed low number would be taken by the runtime's own fds).
  CHECK_THAT(refusal(FdSource{.fd = 1'000'000}),
             Catch::Contains("invalid file descriptor 1000000") && Catch::Contains("Bad file descriptor"));
}

TEST_CASE("fd source: a second stream on the same fd fails and leaves the first one reading", "[fd_source]") {
  auto runtime = std::make_shared<Runtime>();
  StreamerOptions options;
  options.runtime = runtime;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Streamer first(FdSource{.fd = fds[0], .close_on_end = true}, {}, options);
  first.start();
  Streamer second(FdSource{.fd = fds[0], .close_on_end = true}, {}, options);
  try {
    second.start();
    FAIL("the second start() did not throw");
  } catch (const StartError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(fmt::format("fd {}", fds[0])));
  }
  CHECK(fd_open(fds[0]));
  const std::string text = "one\ntwo\n";
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  REQUIRE(first.wait_for_completion(30s));
  CHECK(first.get_logs() == std::vector<std::string>{"one", "two"});
}
