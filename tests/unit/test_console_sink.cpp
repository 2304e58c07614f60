// ConsoleSink: committed lines rendered by the file's rule, and sanitised by the one sanitiser.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <logstream/logstream.hpp>

#include "framing_support.hpp"
#include "temp_dir.hpp"

using namespace logstream;

using logstream::test::batches_of;

namespace {

std::string console_output(const std::vector<LineBatch>& batches, ConsoleSinkOptions options = {}) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  options.fd = fds[1];
  ConsoleSink console(options);
  for (const LineBatch& batch : batches) console.write(batch);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  return out;
}

std::string file_output(const std::vector<LineBatch>& batches) {
  test::TempDir dir;
  FileSink file(dir / "log", {.append = false});
  file.open();
  for (const LineBatch& batch : batches) file.write(batch);
  file.close();
  std::ifstream in(dir / "log", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("console sink: committed lines come out as the log file stores them", "[console]") {
  const ConsoleSinkOptions plain{.color = false, .sanitize = false};
  SECTION("a final line without newline stays without one") {
    const auto batches = batches_of("a\nb");
    CHECK(file_output(batches) == "a\nb");
    CHECK(console_output(batches, plain) == file_output(batches));
  }
  SECTION("CRLF becomes LF, transient states are skipped") {
    const auto batches = batches_of("a\r\n10%\r50%\rdone\n");
    CHECK(console_output(batches, plain) == "a\ndone\n");
    CHECK(console_output(batches, plain) == file_output(batches));
  }
  SECTION("the pieces of a line longer than the limit join again") {
    const auto batches = batches_of("abcdefghij\nend", FramingOptions{.max_line_bytes = 4});
    CHECK(console_output(batches, plain) == "abcdefghij\nend");
    CHECK(console_output(batches, plain) == file_output(batches));
  }
}

TEST_CASE("console sink: C1 and bidi controls become '?' too", "[console]") {
  const auto batches = batches_of("a\xc2\x9b" "2J b\x9d c\xe2\x80\xae" "d\n");
  CHECK(console_output(batches, {.color = false, .sanitize = true}) == "a?2J b? c?d\n");
}
