// Hostile input: huge numbers, a million metric keys, terminal escapes, odd bytes.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "framing_support.hpp"
#include "line_of.hpp"
#include "sinks/sanitize.hpp"

using namespace logstream;
using logstream::test::line_of;

TEST_CASE("bad input: numbers of 500 digits in progress lines are ignored, not UB", "[bad-input]") {
  const std::string huge(500, '9');
  ProgressExtractor extractor;
  extractor.feed(line_of("Position " + huge + "/6"));
  extractor.feed(line_of("  Trial 3/" + huge + ": Score=0.5"));
  extractor.feed(line_of("Score=1" + huge));
  extractor.feed(line_of("loss=" + huge + "e999"));
  const auto& p = extractor.progress();
  CHECK_FALSE(p.position.has_value());
  CHECK_FALSE(p.total_trials.has_value());
  CHECK(p.position_progress() == 0.0);
  // A finite score of 500 digits is a legal double (1e500 is not: refused, never clamped).
  CHECK_FALSE(extractor.metrics()->summary("loss").has_value());
}

TEST_CASE("bad input: a million distinct metric keys stay bounded and the overflow is counted", "[bad-input]") {
  ExtractorOptions options;
  options.metrics_options.max_keys = 1024;
  options.metrics_options.series_cap = 16;
  ProgressExtractor extractor(options);
  std::string text;
  for (std::uint64_t i = 0; i < 1000000; ++i) {
    text = fmt::format("key{}=1.5", i);
    extractor.feed(line_of(text, i + 1));
  }
  auto store = extractor.metrics();
  CHECK(store->size() == 1024);
  CHECK(store->dropped_observations() == 1000000 - 1024);
}

TEST_CASE("bad input: lines of 0 bytes and of 64 MiB frame by the rules", "[bad-input]") {
  FramingOptions options;  // 1 MiB pieces
  std::string bytes = "\n\n";
  bytes += std::string(64u << 20, 'y');
  bytes += "\nend\n";
  auto lines = logstream::test::frame_all(bytes, 64 * 1024, options);
  auto committed = logstream::test::committed(lines);
  REQUIRE(committed.size() == 4);
  CHECK(committed[0].empty());
  CHECK(committed[1].empty());
  CHECK(committed[2].size() == (64u << 20));
  CHECK(committed[3] == "end");
  for (const auto& l : lines) CHECK(l.text.size() <= (1u << 20));
}

TEST_CASE("bad input: the console neutralises escapes that move the cursor or retitle", "[bad-input]") {
  std::string out;
  append_sanitized(out, "ok\x1b[2J\x1b[H\x1b]0;pwned\x07\rtab\there\x7f\xff\n");
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find('\t') != std::string::npos);  // a tab is harmless
  CHECK(out.find('\xff') != std::string::npos);  // bytes above 0x7f are left to the terminal's UTF-8

  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ConsoleSink console({.fd = fds[1], .color = true, .sanitize = true});
  Framer framer;
  Chunk chunk;
  chunk.bytes = ByteBuffer::copy_of("title\x1b]0;x\x07 here\n");
  chunk.source = Source::err;
  console.write(framer.frame(std::move(chunk)));
  ::close(fds[1]);
  char buf[256];
  auto n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  REQUIRE(n > 0);
  std::string written(buf, static_cast<std::size_t>(n));
  CHECK(written == "\x1b[31m[stderr] title?]0;x? here\x1b[0m\n");  // only our own colour codes
}
