// Closed standard fds (see standard_fds.hpp).
#include "io/standard_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace logstream::io {

// libuv asserts its own fds lie above stderr, a child inheriting "stdin" would read our epoll
// fd, and the store's database would receive the display's output.
void fill_closed_standard_fds() noexcept {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null_fd = ::open("/dev/null", O_RDWR);  // the lowest free number: fd itself
    if (null_fd >= 0 && null_fd != fd) {  // another thread took it meanwhile
      ::dup2(null_fd, fd);
      ::close(null_fd);
    }
  }
}

}  // namespace logstream::io
