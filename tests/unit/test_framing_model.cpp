// Framing and file rendering against the reference model (framing_model.hpp), on fixed corner
// cases and on random streams cut into random reads.
#include <catch2/catch.hpp>

#include <random>

#include "framer.hpp"
#include "framing_model.hpp"
#include "random_stream.hpp"

using namespace logstream;
using logstream::test::model_log;

namespace {

struct Rendered {
  std::string log;  // what the file sink stores
  std::string raw;  // what a raw file sink stores
  bool pieces_within_limit = true;
  bool seqs_continuous = true;
};

/// Frames `bytes` cut at the given read sizes (cycled) and renders every batch as the file does.
Rendered render(std::string_view bytes, const std::vector<std::size_t>& reads, std::size_t max_line) {
  Framer framer({.max_line_bytes = max_line});
  Rendered out;
  std::uint64_t next_seq = 1;
  auto take = [&](const LineBatch& batch) {
    batch.for_each_committed_span([&](std::string_view span) { out.log += span; });
    out.raw += batch.raw();
    for (const Line& line : batch) {
      if (line.text.size() > max_line) out.pieces_within_limit = false;
      if (line.seq != next_seq++) out.seqs_continuous = false;
    }
  };
  std::size_t at = 0;
  for (std::size_t i = 0; at < bytes.size(); ++i) {
    std::size_t n = std::min(reads[i % reads.size()], bytes.size() - at);
    Chunk chunk;
    chunk.bytes = ByteBuffer::copy_of(bytes.substr(at, n));
    take(framer.frame(std::move(chunk)));
    at += n;
  }
  take(framer.finish(Source::out));
  return out;
}

}  // namespace

TEST_CASE("framing model: fixed corner cases render as the model says", "[framing][model]") {
  struct Case {
    std::string bytes;
    std::string log;
  };
  const std::vector<Case> cases = {
      {"abc\n\nxyz\n\n\n", "abc\n\nxyz\n\n\n"},
      {"\n", "\n"},
      {"\n\n\n", "\n\n\n"},
      {"\r\n\r\n", "\n\n"},
      {"a\rb\rc\n", "c\n"},
      {"x\r", "x\n"},
      {"last", "last"},
      {"\r\r\n", "\n"},
  };
  for (const auto& c : cases) {
    INFO("bytes: " << c.bytes);
    CHECK(model_log(c.bytes, 1 << 20) == c.log);
    for (std::size_t read = 1; read <= c.bytes.size(); ++read) CHECK(render(c.bytes, {read}, 1 << 20).log == c.log);
  }
}

TEST_CASE("framing model: an over-long line ended by a CR is kept whole, not glued to the next", "[framing][model]") {
  // Pieces of a line longer than the limit are out before its CR comes: the line is committed.
  const std::string bytes = "progress\rprogress\rdone\n";
  CHECK(model_log(bytes, 4) == "progress\nprogress\ndone\n");
  for (std::size_t read = 1; read <= bytes.size(); ++read) CHECK(render(bytes, {read}, 4).log == model_log(bytes, 4));
  // At or under the limit a CR still overwrites.
  CHECK(render("prog\rdone\n", {3}, 4).log == "done\n");
}

TEST_CASE("framing model: random streams in random reads match the model", "[framing][model]") {
  std::mt19937_64 rng(Catch::rngSeed() + 7);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t max_line = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
    const std::string bytes = test::random_stream(rng, rng() % 400, max_line);
    std::vector<std::size_t> reads;
    for (int i = 0; i < 8; ++i) reads.push_back(std::uniform_int_distribution<std::size_t>(1, 70)(rng));
    const Rendered got = render(bytes, reads, max_line);
    INFO("round " << round << ", max_line " << max_line);
    REQUIRE(got.log == model_log(bytes, max_line));
    REQUIRE(got.raw == bytes);
    REQUIRE(got.pieces_within_limit);
    REQUIRE(got.seqs_continuous);
  }
}
