// read_all (see read_all.hpp).
#include "io/read_all.hpp"

#include <unistd.h>

#include <cerrno>

namespace logstream::io {

ReadResult read_all(int fd, std::size_t limit) {
  ReadResult result;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      result.error = errno;
      return result;
    }
    if (got == 0) return result;
    result.bytes.append(buffer, static_cast<std::size_t>(got));
    if (result.bytes.size() > limit) {
      result.over_limit = true;
      return result;
    }
  }
}

}  // namespace logstream::io
