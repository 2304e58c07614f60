// FileReader: reads a regular file to its end on the loop thread, a bounded amount per turn.
#pragma once

#include <uv.h>

#include "loop/loop_handle.hpp"
#include "loop/reader.hpp"

namespace logstream {

/// epoll cannot watch a regular file (it is always "ready"), so libuv cannot read one: a
/// uv_idle_t reads a few buffers each loop turn instead, while not paused, through the same
/// admission and chunks as a pipe. A regular file's read() does not wait for a writer, so the
/// loop is held at most for those few buffers. Loop thread only.
class FileReader final : public Reader {
public:
  /// Takes ownership of `fd` (a regular file), read from its current offset to its end.
  /// Its handle counts in `count` (when given) until the close callback.
  FileReader(uv_loop_t* loop, int fd, Source source, ReaderOwner& owner, HandleCount* count);
  ~FileReader() override;

  void start() override;
  void pause() override;
  bool is_open() const noexcept override { return idle_.is_open(); }
  void close() override;
  std::size_t unread_bytes() const noexcept override { return 0; }

  /// Buffers read per loop turn at most: the other handles' turn comes soon.
  static constexpr int kReadsPerTurn = 4;

private:
  void read_some();

  using Handle = LoopHandle<uv_idle_t, FileReader*>;
  Handle idle_;
  int fd_;
  bool paused_ = true;
};

}  // namespace logstream
