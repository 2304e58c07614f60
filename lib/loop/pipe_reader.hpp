// PipeReader: reads one fd on the loop thread into chunks, pausing when the owner says so.
#pragma once

#include <cstddef>

#include <uv.h>

#include "loop/loop_handle.hpp"
#include "loop/reader.hpp"

namespace logstream {

/// Owns a uv_pipe_t on `fd` (any stream fd: pipe, socket, terminal, PTY master). Loop thread
/// only. Its handle counts in `count` (when given) until the close callback, which may come
/// after the reader is gone.
/// A PTY master is read past libuv's end of file, up to the terminal's own end (EIO).
class PipeReader final : public Reader {
public:
  /// Takes ownership of `fd` unless `close_fd` is false (it then reads a duplicate). Throws
  /// StartError when libuv cannot watch the fd, which then stays open: the caller's.
  PipeReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, HandleCount* count, bool close_fd = true);
  ~PipeReader() override;

  void start() override;
  void pause() override;
  bool is_open() const noexcept override { return handle_.is_open(); }
  void close() override;
  std::size_t unread_bytes() const noexcept override;

private:
  static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  void handle_read(ssize_t nread);
  void drain_hung_up();

  using Handle = LoopHandle<uv_pipe_t, PipeReader*>;
  uv_stream_t* stream() const noexcept { return reinterpret_cast<uv_stream_t*>(handle_.get()); }

  Handle handle_;
  int fd_ = -1;
  bool pty_master_ = false;  ///< its end comes as EIO, after the hang-up (see drain_hung_up)
  bool draining_ = false;    ///< libuv saw the hang-up; plain read() until EIO
  bool in_drain_ = false;
  bool paused_ = true;
};

}  // namespace logstream
