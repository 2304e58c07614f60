// Reader: what the stream asks of one input on the loop thread, whatever kind of fd it reads.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <utility>

#include <logstream/line_batch.hpp>

#include "chunk.hpp"

namespace logstream {

/// What a reader reports to; every call is on the loop thread.
class ReaderOwner {
public:
  virtual ~ReaderOwner() = default;
  /// May a buffer of `bytes` be filled? Called from libuv's alloc callback: must not stop
  /// reading there (uv_read_stop would clear the read callback libuv is about to call).
  virtual bool admit(std::size_t bytes) = 0;
  /// A read was refused by admit(): pause reading until memory is released.
  virtual void on_refused() = 0;
  virtual void on_chunk(Chunk chunk) = 0;
  /// EOF, or a read error (a PTY master reports EIO once the child is gone: that is EOF too).
  virtual void on_end(Source source, int status) = 0;
};

/// One input of a stream. Loop thread only. A reader starts paused.
class Reader {
public:
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  virtual ~Reader() = default;
  virtual void start() = 0;
  virtual void pause() = 0;
  virtual bool is_open() const noexcept = 0;
  /// Stops reading and closes the handle (no on_end); its HandleCount hears of the close.
  virtual void close() = 0;
  Source source() const noexcept { return source_; }
  /// Bytes read since the last call (the drain timer asks whether data still flows).
  std::size_t take_recent_bytes() noexcept { return std::exchange(recent_bytes_, 0); }
  /// Bytes waiting in the fd, not yet read (0 when closed or unknown).
  virtual std::size_t unread_bytes() const noexcept = 0;

  /// One read's buffer; small reads are copied out so the big buffer is reused.
  static constexpr std::size_t kReadBytes = 64 * 1024;

protected:
  Reader(Source source, ReaderOwner& owner) noexcept : owner_(owner), source_(source) {}

  /// The buffer the next read fills (kReadBytes), allocated anew after a big read took it.
  ByteBuffer& read_buffer();
  /// Hands the `n` bytes just read into read_buffer() to the owner, as one chunk.
  void deliver(std::size_t n);

  enum class DirectRead : std::uint8_t { refused, delivered, end };
  /// One read(2) of `fd` past libuv (a regular file, a hung-up terminal), through the same
  /// admission: `refused` once the owner was told (on_refused), `delivered` (EINTR too: nothing
  /// came), or `end` with UV_EOF or the error in `status`.
  DirectRead read_direct(int fd, int& status);

  ReaderOwner& owner_;

private:
  Source source_;
  ByteBuffer spare_;
  std::size_t recent_bytes_ = 0;
};

/// The chunk of `n` bytes just read into `spare` (a buffer of kReadBytes): small reads are
/// copied out and `spare` is kept, big ones take it (and `spare` is left empty).
Chunk take_chunk(Source source, ByteBuffer& spare, std::size_t n);

}  // namespace logstream
