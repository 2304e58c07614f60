// FileReader: a regular file read in bounded steps from an idle handle, paused by backpressure.
#include "loop/file_reader.hpp"

#include <unistd.h>

#include <cerrno>

namespace logstream {

FileReader::FileReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, HandleCount* count)
    : fd_(fd), source_(source), owner_(owner) {
  idle_.open(count, [loop](uv_idle_t* idle) { return uv_idle_init(loop, idle); });
  idle_.state() = this;
}

FileReader::~FileReader() { close(); }

void FileReader::start() {
  if (!idle_.is_open() || !paused_) return;
  paused_ = false;
  uv_idle_start(idle_.get(), [](uv_idle_t* idle) { Handle::state(idle)->read_some(); });
}

void FileReader::pause() {
  if (!idle_.is_open() || paused_) return;
  paused_ = true;
  uv_idle_stop(idle_.get());
}

void FileReader::close() {
  if (!idle_.is_open()) return;
  uv_idle_stop(idle_.get());
  paused_ = true;
  ::close(fd_);
  idle_.close();
}

void FileReader::read_some() {
  for (int i = 0; i < kReadsPerTurn && idle_.is_open() && !paused_; ++i) {
    if (!owner_.admit(kReadBytes)) {
      owner_.on_refused();  // pauses; start() comes once memory is released
      return;
    }
    if (spare_.capacity() == 0) spare_ = ByteBuffer(kReadBytes);
    const ssize_t n = ::read(fd_, spare_.data(), spare_.capacity());
    if (n > 0) {
      count_read(static_cast<std::size_t>(n));
      owner_.on_chunk(take_chunk(source_, spare_, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int status = n == 0 ? UV_EOF : uv_translate_sys_error(errno);
    pause();
    owner_.on_end(source_, status);
    return;
  }
}

}  // namespace logstream
