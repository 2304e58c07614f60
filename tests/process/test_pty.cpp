// PTY: a child on a pseudo-terminal loses nothing at its exit, however its last writes and the
// hang-up of the terminal interleave.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "process_support.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

/// Checks that committed lines are "line 000000001 ...", "line 000000002 ...": none missing.
class NumberedSink : public Sink {
public:
  void write(const LineBatch& batch) override {
    for (const Line& line : batch) {
      if (line.transient) continue;
      if (!line.text.starts_with(fmt::format("line {:09} ", next_))) ++wrong_;
      ++next_;
    }
  }
  std::string name() const override { return "numbered"; }
  std::uint64_t lines() const { return next_ - 1; }
  std::uint64_t wrong() const { return wrong_; }

private:
  std::atomic<std::uint64_t> next_{1};
  std::atomic<std::uint64_t> wrong_{0};
};

}  // namespace

TEST_CASE("pty: every line of a child on a pseudo-terminal arrives, run after run", "[pty]") {
  // The tail was lost when libuv took the terminal's hang-up with a short read for the end.
  const int runs = scaled(20, 2);
  for (const int count : {3000, 50000, 300000}) {
    for (int run = 0; run < runs; ++run) {
      ProcessSpec spec = child({"lines", std::to_string(count)});
      spec.pty = true;
      auto numbered = std::make_shared<NumberedSink>();
      Streamer s(spec);
      s.add_sink(numbered);
      s.start();
      REQUIRE(s.wait_for_completion(60s));
      INFO(count << " lines, run " << run + 1);
      REQUIRE(s.get_process_returncode() == 0);
      REQUIRE(numbered->lines() == static_cast<std::uint64_t>(count));
      REQUIRE(numbered->wrong() == 0);
      REQUIRE_FALSE(s.stats().truncated);
    }
  }
}
