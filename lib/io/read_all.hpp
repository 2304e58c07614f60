// Whole reads of a file descriptor: the one loop that reads to the end, resuming after EINTR.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

namespace logstream::io {

/// What read_all read: `bytes`, all of them up to the end, the error or the limit; `error` is
/// the errno of the read(2) that failed, 0 otherwise; `over_limit` when more than the limit came
/// (the bytes then hold the first of them, more than the limit).
struct ReadResult {
  std::string bytes;
  int error = 0;
  bool over_limit = false;

  bool ok() const noexcept { return error == 0 && !over_limit; }
};

/// Reads `fd` to its end (a pipe: until every writer closed it), resuming after EINTR, and
/// stops at the first other error or once more than `limit` bytes came.
ReadResult read_all(int fd, std::size_t limit = std::numeric_limits<std::size_t>::max());

}  // namespace logstream::io
