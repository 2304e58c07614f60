// Fuzz target: framing and file rendering against the reference model of the README's rules
// (tests/support/framing_model.hpp): whatever the read boundaries, the log is the model's, every
// piece respects the line limit, and a raw log is the input byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "framer.hpp"
#include "framing_model.hpp"

namespace {

struct Rendered {
  std::string log;
  std::string raw;
};

/// Reads of sizes taken in turn from `reads` (each 1..64).
Rendered render(std::string_view bytes, std::string_view reads, std::size_t max_line) {
  logstream::Framer framer({.max_line_bytes = max_line});
  Rendered out;
  std::uint64_t next_seq = 1;
  auto take = [&](const logstream::LineBatch& batch) {
    batch.for_each_committed_span([&](std::string_view span) { out.log += span; });
    out.raw += batch.raw();
    for (const logstream::Line& line : batch) {
      if (line.text.size() > max_line || line.seq != next_seq++) std::abort();
    }
  };
  std::size_t at = 0;
  for (std::size_t i = 0; at < bytes.size(); ++i) {
    std::size_t n = reads.empty() ? bytes.size() : 1 + static_cast<unsigned char>(reads[i % reads.size()]) % 64;
    n = std::min(n, bytes.size() - at);
    logstream::Chunk c;
    c.bytes = logstream::ByteBuffer::copy_of(bytes.substr(at, n));
    take(framer.frame(std::move(c)));
    at += n;
  }
  take(framer.finish(logstream::Source::out));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  // Byte 0: the line limit; byte 1: how many of the next bytes give the read sizes; the rest is
  // the stream.
  const std::size_t max_line = 1 + data[0] % 48;
  const std::size_t n_reads = std::min<std::size_t>(data[1] % 16, size - 2);
  std::string_view reads(reinterpret_cast<const char*>(data + 2), n_reads);
  std::string_view bytes(reinterpret_cast<const char*>(data + 2 + n_reads), size - 2 - n_reads);
  const std::string expected = logstream::test::model_log(bytes, max_line);
  for (std::string_view r : {std::string_view{}, reads}) {
    Rendered got = render(bytes, r, max_line);
    if (got.log != expected || got.raw != bytes) std::abort();
  }
  return 0;
}
