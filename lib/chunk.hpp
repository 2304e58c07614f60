// ByteBuffer and Chunk: what one read from a pipe or file yields, the reader's message to the
// framer. Internal: the framed LineBatch takes the buffer over.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include <logstream/line.hpp>

namespace logstream {

/// An owning byte buffer: one read from a pipe lands in one of these.
class ByteBuffer {
public:
  ByteBuffer() = default;
  explicit ByteBuffer(std::size_t capacity);
  static ByteBuffer copy_of(std::string_view bytes);

  char* data() noexcept { return data_.get(); }
  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  void resize(std::size_t size) noexcept { size_ = size <= capacity_ ? size : capacity_; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  /// Hands the storage over (to a LineBatch); the buffer is left empty.
  std::unique_ptr<char[]> release() noexcept {
    size_ = 0;
    capacity_ = 0;
    return std::move(data_);
  }

private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Bytes read from one source at one moment: the reader's message to the parser.
struct Chunk {
  ByteBuffer bytes;
  Source source = Source::out;
  std::chrono::steady_clock::time_point arrival{};
  std::chrono::system_clock::time_point wall_time{};
};

}  // namespace logstream
