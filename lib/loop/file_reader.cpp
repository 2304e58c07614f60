// FileReader: a regular file read in bounded steps from an idle handle, paused by backpressure.
#include "loop/file_reader.hpp"

#include <unistd.h>

namespace logstream {

FileReader::FileReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, HandleCount* count)
    : Reader(source, owner), fd_(fd) {
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
    int status = 0;
    switch (read_direct(fd_, status)) {
      case DirectRead::refused: return;  // paused; start() comes once memory is released
      case DirectRead::delivered: continue;
      case DirectRead::end:
        pause();
        owner_.on_end(source(), status);
        return;
    }
  }
}

}  // namespace logstream
