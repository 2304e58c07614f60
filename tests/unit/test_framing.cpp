// Framing rules, table-driven, and the same lines whatever the chunk boundaries.
#include <catch2/catch.hpp>

#include "framer.hpp"
#include "framing_support.hpp"

using namespace logstream;
using logstream::test::chunk_of;
using logstream::test::committed;
using logstream::test::frame_all;
using logstream::test::FramedLine;

namespace {
std::vector<std::string> texts(const std::vector<FramedLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text);
  return out;
}
}  // namespace

TEST_CASE("framing: committed lines follow the rules", "[framing]") {
  struct Case {
    const char* name;
    std::string bytes;
    std::vector<std::string> lines;
  };
  const std::vector<Case> cases = {
      {"LF ends a line", "a\nbb\n", {"a", "bb"}},
      {"empty lines are lines", "\n\n", {"", ""}},
      {"CRLF ends a line and drops the CR", "a\r\nb\r\n", {"a", "b"}},
      {"a final line without newline is delivered", "a\nlast", {"a", "last"}},
      {"a lone CR is overwritten by what follows", "a\rb\rc\n", {"c"}},
      {"tqdm draws with a leading CR", "\r 10%\r 20%\r100%\ndone\n", {"100%", "done"}},
      {"a CR at EOF leaves the last state", "x\r", {"x"}},
      {"NUL and invalid UTF-8 are kept", std::string("a\0b\xff\xfe\n", 6), {std::string("a\0b\xff\xfe", 5)}},
      {"escape sequences are kept", "\x1b[2J\x1b]0;title\x07\n", {"\x1b[2J\x1b]0;title\x07"}},
      {"no bytes, no lines", "", {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(committed(frame_all(c.bytes)) == c.lines);
  }
}

TEST_CASE("framing: a lone CR makes transient lines with their own sequence numbers", "[framing]") {
  auto lines = frame_all("a\rb\rc\n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == FramedLine{"a", 1, Source::out, Terminator::cr, true, false});
  CHECK(lines[1] == FramedLine{"b", 2, Source::out, Terminator::cr, true, false});
  CHECK(lines[2] == FramedLine{"c", 3, Source::out, Terminator::lf, false, false});
}

TEST_CASE("framing: text after a CR shows before its end arrives", "[framing]") {
  Framer framer;
  auto batch = framer.frame(chunk_of("\r 45%|####"));
  REQUIRE(batch.size() == 1);
  CHECK(batch[0].text == " 45%|####");
  CHECK(batch[0].transient);
  CHECK(batch[0].terminator == Terminator::none);
  auto next = framer.frame(chunk_of("#5 | 45/100\n"));
  REQUIRE(next.size() == 1);
  CHECK(next[0].text == " 45%|#####5 | 45/100");
  CHECK_FALSE(next[0].transient);
}

TEST_CASE("framing: a transient state shown when read is not delivered again at its CR", "[framing]") {
  Framer framer;
  std::vector<FramedLine> out;
  for (const char* read : {"\r 45%", "\r 50%", "|#", "\r", " 60%\r", "done\n"}) {
    logstream::test::collect(framer.frame(chunk_of(read)), out);
  }
  std::vector<std::string> shown;
  for (const auto& l : out) shown.push_back(l.text);
  // Each state once: " 50%" and " 50%|#" are two states (the second read grew it).
  CHECK(shown == std::vector<std::string>{" 45%", " 50%", " 50%|#", " 60%", "done"});
  for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i].seq == i + 1);
}

TEST_CASE("framing: a plain line split across reads is delivered once, whole", "[framing]") {
  auto lines = frame_all("hello world\nsecond\n", 3);
  CHECK(texts(lines) == std::vector<std::string>{"hello world", "second"});
}

TEST_CASE("framing: CRLF split between two reads is still one line end", "[framing]") {
  auto lines = frame_all("abc\r\ndef\n", 4);  // "abc\r" | "\ndef" | "\n"
  CHECK(texts(lines) == std::vector<std::string>{"abc", "def"});
  CHECK(lines[0].terminator == Terminator::crlf);
}

TEST_CASE("framing: a line longer than the limit comes in continued pieces", "[framing]") {
  FramingOptions options{.max_line_bytes = 4};
  SECTION("in one read") {
    auto lines = frame_all("abcdefghij\nxy\n", 0, options);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].text == "abcd");
    CHECK(lines[0].continued);
    CHECK(lines[1].text == "efgh");
    CHECK(lines[1].continued);
    CHECK(lines[2].text == "ij");
    CHECK_FALSE(lines[2].continued);
    CHECK(committed(lines) == std::vector<std::string>{"abcdefghij", "xy"});
  }
  SECTION("across reads, never holding more than the limit") {
    auto lines = frame_all("abcdefghij\nxy\n", 3, options);
    CHECK(committed(lines) == std::vector<std::string>{"abcdefghij", "xy"});
    for (const auto& l : lines) CHECK(l.text.size() <= 4);
  }
}

TEST_CASE("framing: sequence numbers are shared by both sources and have no gaps", "[framing]") {
  Framer framer;
  std::vector<FramedLine> out;
  Chunk a;
  a.bytes = ByteBuffer::copy_of("o1\no2\n");
  a.source = Source::out;
  logstream::test::collect(framer.frame(std::move(a)), out);
  Chunk b;
  b.bytes = ByteBuffer::copy_of("e1\npartial");
  b.source = Source::err;
  logstream::test::collect(framer.frame(std::move(b)), out);
  Chunk c;
  c.bytes = ByteBuffer::copy_of("o3\n");
  c.source = Source::out;
  logstream::test::collect(framer.frame(std::move(c)), out);
  logstream::test::collect(framer.finish(Source::err), out);
  REQUIRE(out.size() == 5);
  for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i].seq == i + 1);
  CHECK(out[2].source == Source::err);
  CHECK(out[4].text == "partial");
  CHECK(out[4].source == Source::err);
  CHECK(out[4].terminator == Terminator::none);
}

TEST_CASE("framing: every chunking of a stream gives the same committed lines", "[framing]") {
  const std::string bytes = std::string("plain\r\nbar 1\rbar 2\rbar 3\n\nx\0y\n", 30) + std::string(300, 'L') +
                            "\n\r\r\nend\rover\nfinal";
  FramingOptions options{.max_line_bytes = 64};
  const auto reference = committed(frame_all(bytes, 0, options));
  for (std::size_t chunk = 1; chunk <= 70; ++chunk) {
    INFO("chunk size " << chunk);
    CHECK(committed(frame_all(bytes, chunk, options)) == reference);
  }
}

TEST_CASE("framing: the file view of a batch restores LF lines byte for byte", "[framing]") {
  const std::string bytes = "one\ntwo\r\nbar\rthree\nfour";
  Framer framer;
  Chunk c;
  c.bytes = ByteBuffer::copy_of(bytes);
  std::string file;
  framer.frame(std::move(c)).for_each_committed_span([&](std::string_view s) { file += s; });
  framer.finish(Source::out).for_each_committed_span([&](std::string_view s) { file += s; });
  CHECK(file == "one\ntwo\nthree\nfour");
}
