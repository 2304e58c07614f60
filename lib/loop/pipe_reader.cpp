// Reading a pipe without blocking: one buffer per read, bounded by the owner's admission.
#include "loop/pipe_reader.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include <logstream/error.hpp>

namespace logstream {

PipeReader::PipeReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, HandleCount* count, bool close_fd)
    : Reader(source, owner) {
  // uv_close closes the fd it watches: keep the caller's open by watching a duplicate.
  const int original_fd = fd;
  if (!close_fd) fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (fd < 0)
    throw StartError(std::error_code(errno, std::generic_category()),
                     fmt::format("cannot duplicate the input fd: {}", std::strerror(errno)));
  fd_ = fd;
  int pty_number = 0;
  pty_master_ = ::ioctl(fd, TIOCGPTN, &pty_number) == 0;
  // A handle that libuv cannot watch is closed through the loop like any other (LoopHandle).
  const int rc = handle_.open(count, [&](uv_pipe_t* pipe) {
    uv_pipe_init(loop, pipe, 0);
    return uv_pipe_open(pipe, fd);
  });
  if (rc != 0) {
    if (!close_fd) ::close(fd);  // our duplicate; the caller's fd is theirs
    const int shown = close_fd ? fd : original_fd;
    throw StartError(std::error_code(-rc, std::generic_category()),
                     rc == UV_EEXIST ? fmt::format("cannot read fd {}: another stream on this runtime reads it", shown)
                                     : fmt::format("cannot read fd {}: {}", shown, uv_strerror(rc)));
  }
  handle_.state() = this;
}

PipeReader::~PipeReader() { close(); }

void PipeReader::start() {
  if (!handle_.is_open() || !paused_) return;
  paused_ = false;
  if (draining_) {
    if (!in_drain_) drain_hung_up();  // within the drain loop, it simply goes on
    return;
  }
  uv_read_start(stream(), &PipeReader::on_alloc, &PipeReader::on_read);
}

void PipeReader::pause() {
  if (!handle_.is_open() || paused_) return;
  paused_ = true;
  if (!draining_) uv_read_stop(stream());
}

void PipeReader::close() {
  if (!handle_.is_open()) return;
  uv_read_stop(stream());
  paused_ = true;
  handle_.close();
}

std::size_t PipeReader::unread_bytes() const noexcept {
  uv_os_fd_t fd = -1;
  if (!handle_.is_open() || uv_fileno(handle_.raw(), &fd) != 0) return 0;
  int n = 0;
  if (::ioctl(fd, FIONREAD, &n) != 0 || n < 0) return 0;
  return static_cast<std::size_t>(n);
}

void PipeReader::on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buf) {
  PipeReader* self = Handle::state(handle);
  if (!self->owner_.admit(kReadBytes)) {
    // A zero-length buffer makes libuv report UV_ENOBUFS: the read is refused, not lost.
    *buf = uv_buf_init(nullptr, 0);
    return;
  }
  ByteBuffer& buffer = self->read_buffer();
  *buf = uv_buf_init(buffer.data(), static_cast<unsigned>(buffer.capacity()));
}

void PipeReader::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* /*buf*/) {
  Handle::state(reinterpret_cast<uv_pipe_t*>(stream))->handle_read(nread);
}

void PipeReader::handle_read(ssize_t nread) {
  if (nread == 0) return;  // EAGAIN
  if (nread == UV_ENOBUFS) {
    owner_.on_refused();
    return;
  }
  if (nread == UV_EOF && pty_master_) {
    // libuv 1.44 takes a PTY master's hang-up after a short read for the end (libuv #4992),
    // while the terminal may still hold the child's last output.
    draining_ = true;
    drain_hung_up();
    return;
  }
  if (nread < 0) {
    pause();
    owner_.on_end(source(), static_cast<int>(nread));
    return;
  }
  deliver(static_cast<std::size_t>(nread));
}

void PipeReader::drain_hung_up() {
  // Reads to the terminal's real end (EIO) through the same admission as libuv's reads. Once
  // the slave side is closed, the kernel flushes what it still buffers into each read, so the
  // non-blocking fd reports EIO, not EAGAIN, only when nothing is left: the drain is short
  // (at most the terminal's buffers) and never waits.
  in_drain_ = true;
  while (handle_.is_open() && !paused_) {
    // A refusal pauses: start() resumes the drain once memory is released. Any end, EIO
    // included, is the terminal's end.
    int status = 0;
    if (read_direct(fd_, status) != DirectRead::end) continue;
    in_drain_ = false;
    paused_ = true;
    owner_.on_end(source(), UV_EOF);
    return;
  }
  in_drain_ = false;
}

}  // namespace logstream
