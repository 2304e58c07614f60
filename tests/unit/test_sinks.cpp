// The built-in sinks on their own: FileSink (committed or raw bytes, flush, a last line without
// newline), CallbackSink (a throwing callback), OutputQueue (bounds, drop oldest, close).
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/framing.hpp>
#include <logstream/output_queue.hpp>
#include <logstream/sinks/callback_sink.hpp>
#include <logstream/sinks/file_sink.hpp>

#include "framing_support.hpp"
#include "process_support.hpp"
#include "sink_access.hpp"
#include "temp_dir.hpp"

using namespace logstream;

using logstream::test::batches_of;

namespace {

std::string write_file(std::string_view bytes, FileSinkOptions options) {
  test::TempDir dir;
  FileSink sink(dir / "sub" / "out.log", options);
  sink.open();
  for (const LineBatch& batch : batches_of(bytes)) sink.write(batch);
  sink.close();
  return test::read_file((dir / "sub" / "out.log").string());
}

std::vector<std::string> texts(OutputQueue& queue) {
  std::vector<std::string> out;
  while (auto line = queue.try_pop()) out.push_back(line->text);
  return out;
}

}  // namespace

TEST_CASE("file sink: committed lines, a CR state stored once in its final form", "[file_sink]") {
  CHECK(write_file("one\na\rb\rc\nthree\r\n", {}) == "one\nc\nthree\n");
}

TEST_CASE("file sink: raw mode keeps every byte", "[file_sink]") {
  CHECK(write_file("one\na\rb\rc\nthree\r\n", FileSinkOptions{.raw = true}) == "one\na\rb\rc\nthree\r\n");
}

TEST_CASE("file sink: a final line without newline is stored without one", "[file_sink]") {
  CHECK(write_file("first\nlast", {}) == "first\nlast");
}

TEST_CASE("file sink: flush hands the buffered lines to the kernel", "[file_sink]") {
  test::TempDir dir;
  const auto path = dir / "out.log";
  FileSink sink(path, FileSinkOptions{.buffer_bytes = 1 << 20});
  sink.open();
  auto batches = batches_of("alpha\nbeta\n");
  sink.write(batches[0]);
  CHECK(test::read_file(path.string()).empty());  // buffered
  sink.flush();
  CHECK(test::read_file(path.string()) == "alpha\nbeta\n");
  CHECK(sink.bytes_written() == 11);
  sink.close();
}

TEST_CASE("callback sink: a throwing callback is offered every line, then CallbackError", "[callback_sink]") {
  std::vector<std::string> seen;
  CallbackSink sink([&](const Line& line) {
    seen.emplace_back(line.text);
    if (line.text == "two") throw std::runtime_error("callback broke");
  });
  auto batches = batches_of("one\ntwo\nthree\n");
  CHECK_THROWS_AS(sink.write(batches[0]), CallbackError);
  CHECK(seen == std::vector<std::string>{"one", "two", "three"});
  CHECK_NOTHROW(sink.write(batches_of("four\n")[0]));
}

TEST_CASE("output queue: bounded in lines, the oldest dropped and counted", "[output_queue]") {
  OutputQueue queue(3, 1 << 20);
  detail::SinkAccess::sink(queue).write(batches_of("1\n2\n3\n4\n5\n")[0]);
  CHECK(queue.size() == 3);
  CHECK(queue.dropped() == 2);
  CHECK(texts(queue) == std::vector<std::string>{"3", "4", "5"});
}

TEST_CASE("output queue: bounded in bytes of text, the oldest dropped", "[output_queue]") {
  OutputQueue queue(100, 10);
  detail::SinkAccess::sink(queue).write(batches_of("aaaa\nbbbb\ncccc\n")[0]);  // 12 bytes of text: the first goes
  CHECK(queue.bytes() <= 10);
  CHECK(queue.dropped() == 1);
  CHECK(texts(queue) == std::vector<std::string>{"bbbb", "cccc"});
}

TEST_CASE("output queue: transient states are skipped", "[output_queue]") {
  OutputQueue queue;
  detail::SinkAccess::sink(queue).write(batches_of("10%\r50%\rdone\n")[0]);
  CHECK(texts(queue) == std::vector<std::string>{"done"});
}

TEST_CASE("output queue: pop after close returns what is left, then nothing without waiting", "[output_queue]") {
  OutputQueue queue;
  detail::SinkAccess::sink(queue).write(batches_of("x\ny\n")[0]);
  detail::SinkAccess::sink(queue).close();
  CHECK(queue.closed());
  auto first = queue.pop();
  REQUIRE(first);
  CHECK(first->text == "x");
  auto second = queue.pop(std::chrono::milliseconds(10000));
  REQUIRE(second);
  CHECK(second->text == "y");
  const auto before = std::chrono::steady_clock::now();
  CHECK_FALSE(queue.pop());  // no timeout: would wait for ever if close() were not heeded
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));
}
