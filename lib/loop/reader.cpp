// take_chunk: one read becomes one Chunk, stamped with its arrival; and the reads of a Reader.
#include "loop/reader.hpp"

#include <unistd.h>

#include <cerrno>
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

ByteBuffer& Reader::read_buffer() {
  if (spare_.capacity() == 0) spare_ = ByteBuffer(kReadBytes);
  return spare_;
}

void Reader::deliver(std::size_t n) {
  recent_bytes_ += n;
  owner_.on_chunk(take_chunk(source_, spare_, n));
}

Reader::DirectRead Reader::read_direct(int fd, int& status) {
  if (!owner_.admit(kReadBytes)) {
    owner_.on_refused();
    return DirectRead::refused;
  }
  ByteBuffer& buffer = read_buffer();
  const ssize_t n = ::read(fd, buffer.data(), buffer.capacity());
  if (n > 0) deliver(static_cast<std::size_t>(n));
  if (n > 0 || (n < 0 && errno == EINTR)) return DirectRead::delivered;
  status = n == 0 ? UV_EOF : uv_translate_sys_error(errno);
  return DirectRead::end;
}

}  // namespace logstream
