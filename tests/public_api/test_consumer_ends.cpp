// The consumer ends of a stream (OutputQueue, LogBuffer) offer their queries only: the Sink
// hooks the stream feeds them through cannot be called on them.
#include <catch2/catch.hpp>

#include <logstream/logstream.hpp>

namespace {

using logstream::LineBatch;
using logstream::LogBuffer;
using logstream::OutputQueue;

template <typename T>
concept writable = requires(T& t, LineBatch& b) { t.write(b); };
template <typename T>
concept closable = requires(T& t) { t.close(); };
template <typename T>
concept openable = requires(T& t) { t.open(); };
template <typename T>
concept flushable = requires(T& t) { t.flush(); };

// The concepts do see a public hook: they are satisfied by a plain Sink.
static_assert(writable<logstream::Sink> && closable<logstream::Sink>);
static_assert(openable<logstream::Sink> && flushable<logstream::Sink>);

}  // namespace

TEST_CASE("public api: a consumer cannot write, open, flush or close an OutputQueue", "[public-api]") {
  STATIC_REQUIRE(!writable<OutputQueue>);
  STATIC_REQUIRE(!closable<OutputQueue>);
  STATIC_REQUIRE(!openable<OutputQueue>);
  STATIC_REQUIRE(!flushable<OutputQueue>);
  OutputQueue queue;
  CHECK(queue.size() == 0);
  CHECK_FALSE(queue.try_pop());
}

TEST_CASE("public api: a consumer cannot write, open, flush or close a LogBuffer", "[public-api]") {
  STATIC_REQUIRE(!writable<LogBuffer>);
  STATIC_REQUIRE(!closable<LogBuffer>);
  STATIC_REQUIRE(!openable<LogBuffer>);
  STATIC_REQUIRE(!flushable<LogBuffer>);
  LogBuffer buffer({.max_lines = 3});
  CHECK(buffer.size() == 0);
  CHECK(buffer.capacity() == 3);
}
