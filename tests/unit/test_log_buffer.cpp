// LogBuffer: the last N lines, transient states collapsed, bounded in lines and bytes.
#include <catch2/catch.hpp>

#include <logstream/log_buffer.hpp>

#include "framing_support.hpp"

using namespace logstream;

namespace {
LineBatch batch_of(Framer& framer, std::string_view bytes, Source source = Source::out) {
  Chunk c;
  c.bytes = ByteBuffer::copy_of(bytes);
  c.source = source;
  return framer.frame(std::move(c));
}
}  // namespace

TEST_CASE("log buffer: keeps the last N lines, oldest first", "[buffer]") {
  LogBuffer buffer({.max_lines = 3});
  Framer framer;
  buffer.write(batch_of(framer, "1\n2\n3\n4\n5\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"3", "4", "5"});
  CHECK(buffer.texts(2) == std::vector<std::string>{"4", "5"});
  CHECK(buffer.texts(10) == std::vector<std::string>{"3", "4", "5"});
  CHECK(buffer.joined(2) == "4\n5");
  auto lines = buffer.lines();
  CHECK(lines.front().seq == 3);
  CHECK(lines.back().seq == 5);
}

TEST_CASE("log buffer: a transient line keeps only its latest state", "[buffer]") {
  LogBuffer buffer({.max_lines = 10});
  Framer framer;
  buffer.write(batch_of(framer, "start\n\r 10%\r 20%"));
  CHECK(buffer.texts() == std::vector<std::string>{"start", " 20%"});
  buffer.write(batch_of(framer, "\r100%\nnext\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"start", "100%", "next"});
}

TEST_CASE("log buffer: stderr lines do not overwrite a stdout progress line", "[buffer]") {
  LogBuffer buffer({.max_lines = 10});
  Framer framer;
  buffer.write(batch_of(framer, "\r 50%", Source::out));
  buffer.write(batch_of(framer, "warning\n", Source::err));
  buffer.write(batch_of(framer, "\r 60%\n", Source::out));
  CHECK(buffer.texts() == std::vector<std::string>{" 60%", "warning"});
}

TEST_CASE("log buffer: a byte budget evicts the oldest lines first", "[buffer]") {
  LogBuffer buffer({.max_lines = 100, .max_bytes = 10});
  Framer framer;
  buffer.write(batch_of(framer, "aaaa\nbbbb\ncccc\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"bbbb", "cccc"});
  buffer.write(batch_of(framer, std::string(50, 'z') + "\n"));
  CHECK(buffer.size() == 1);  // the newest line is kept even when it alone is over budget
}
