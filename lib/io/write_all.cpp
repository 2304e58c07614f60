// write_all (see write_all.hpp).
#include "io/write_all.hpp"

#include <unistd.h>

#include <cerrno>

namespace logstream::io {

WriteResult write_all(int fd, std::string_view bytes) noexcept {
  WriteResult result;
  while (result.written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + result.written, bytes.size() - result.written);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = errno;
      break;
    }
    result.written += static_cast<std::size_t>(n);
  }
  return result;
}

}  // namespace logstream::io
