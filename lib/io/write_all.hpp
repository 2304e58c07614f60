// Whole writes to a file descriptor: the one loop that resumes after partial writes and EINTR,
// for the sinks and the command alike.
#pragma once

#include <cstddef>
#include <string_view>

namespace logstream::io {

/// What write_all did: `written` bytes went out; `error` is 0 when that was all of them, else
/// the errno of the write(2) that failed.
struct WriteResult {
  std::size_t written = 0;
  int error = 0;

  bool ok() const noexcept { return error == 0; }
};

/// Writes `bytes` to `fd`, resuming after partial writes and EINTR, and stops at the first other
/// error. EAGAIN (a full non-blocking fd) is such an error: whether to wait is the caller's call.
/// Reentrant: it keeps no state but the fd.
WriteResult write_all(int fd, std::string_view bytes) noexcept;

}  // namespace logstream::io
