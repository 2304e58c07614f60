// PipeReader: reads one fd on the loop thread into chunks, pausing when the owner says so.
#pragma once

#include <cstddef>

#include <uv.h>

#include <logstream/line_batch.hpp>

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
  /// The handle is closed and freed.
  virtual void on_handle_closed() = 0;
};

/// Owns a uv_pipe_t on `fd` (any stream fd: pipe, socket, terminal, PTY master). Loop thread
/// only. Its handle is freed in the close callback, which may come after the reader is gone.
/// A PTY master is read past libuv's end of file, up to the terminal's own end (EIO).
class PipeReader {
public:
  /// Throws StartError when libuv cannot watch the fd. Takes ownership of `fd` unless
  /// `close_fd` is false.
  PipeReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, bool close_fd = true);
  ~PipeReader();
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;

  void start();
  void pause();
  bool is_open() const noexcept { return handle_ != nullptr; }
  bool is_paused() const noexcept { return paused_; }
  /// Stops reading and closes the handle (no on_end).
  void close();
  Source source() const noexcept { return source_; }
  /// Bytes read since the last call (the drain timer asks whether data still flows).
  std::size_t take_recent_bytes() noexcept;
  /// Bytes waiting in the fd, not yet read (0 when closed or unknown).
  std::size_t unread_bytes() const noexcept;

  /// One read's buffer; small reads are copied out so the big buffer is reused.
  static constexpr std::size_t kReadBytes = 64 * 1024;

private:
  static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  void handle_read(ssize_t nread);
  void drain_hung_up();
  void deliver(std::size_t n);

  uv_pipe_t* handle_ = nullptr;
  Source source_;
  ReaderOwner& owner_;
  ByteBuffer spare_;
  int fd_ = -1;
  bool pty_master_ = false;  ///< its end comes as EIO, after the hang-up (see drain_hung_up)
  bool draining_ = false;    ///< libuv saw the hang-up; plain read() until EIO
  bool in_drain_ = false;
  bool paused_ = true;
  std::size_t recent_bytes_ = 0;
};

}  // namespace logstream
