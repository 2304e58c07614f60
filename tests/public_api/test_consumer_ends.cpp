// The consumer ends of a stream (OutputQueue, LogBuffer) offer their queries only: the Sink
// hooks the stream feeds them through cannot be called on them, not even through a Sink&.
#include <catch2/catch.hpp>

#include <type_traits>

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

TEMPLATE_TEST_CASE("public api: a consumer cannot write, open, flush or close a consumer end", "[public-api]",
                   OutputQueue, LogBuffer) {
  STATIC_REQUIRE(!writable<TestType>);
  STATIC_REQUIRE(!closable<TestType>);
  STATIC_REQUIRE(!openable<TestType>);
  STATIC_REQUIRE(!flushable<TestType>);
  STATIC_REQUIRE(!std::is_convertible_v<TestType&, logstream::Sink&>);
  TestType end;
  CHECK(end.size() == 0);
}

TEST_CASE("public api: the consumer ends keep their queries", "[public-api]") {
  OutputQueue queue;
  CHECK_FALSE(queue.try_pop());
  LogBuffer buffer({.max_lines = 3});
  CHECK(buffer.capacity() == 3);
}
