// take_chunk: one read becomes one Chunk, stamped with its arrival.
#include "loop/reader.hpp"

#include <chrono>
#include <string_view>

namespace logstream {
namespace {
constexpr std::size_t kCopySmallerThan = 8 * 1024;
}

Chunk take_chunk(Source source, ByteBuffer& spare, std::size_t n) {
  Chunk chunk;
  chunk.source = source;
  chunk.arrival = std::chrono::steady_clock::now();
  chunk.wall_time = std::chrono::system_clock::now();
  if (n < kCopySmallerThan) {
    chunk.bytes = ByteBuffer::copy_of(std::string_view(spare.data(), n));
  } else {
    spare.resize(n);
    chunk.bytes = std::move(spare);
    spare = ByteBuffer();
  }
  return chunk;
}

}  // namespace logstream
