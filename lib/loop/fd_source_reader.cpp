// Which caller's fds a stream can read, checked before libuv sees them: libuv aborts on an fd
// that epoll refuses (a regular file, /dev/null) instead of returning an error.
#include "loop/fd_source_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "loop/file_reader.hpp"
#include "loop/pipe_reader.hpp"

namespace logstream {
namespace {

[[noreturn]] void refuse(int err, const std::string& message) {
  throw StartError(std::error_code(err, std::generic_category()), message);
}

/// "fd 5 (/dev/null)": what the fd is open on, when the kernel says.
std::string describe(int fd) {
  char target[PATH_MAX] = {};
  const std::string link = fmt::format("/proc/self/fd/{}", fd);
  const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n <= 0) return fmt::format("fd {}", fd);
  return fmt::format("fd {} ({})", fd, std::string_view(target, static_cast<std::size_t>(n)));
}

}  // namespace

std::unique_ptr<Reader> open_fd_source(uv_loop_t* loop, const FdSource& source, ReaderOwner& owner,
                                       HandleCount* count) {
  const int fd = source.fd;
  if (fd < 0) refuse(EBADF, fmt::format("cannot read: invalid file descriptor {}", fd));
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    refuse(errno, fmt::format("cannot read: invalid file descriptor {}: {}", fd, std::strerror(errno)));
  const bool stream = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || (S_ISCHR(st.st_mode) && ::isatty(fd));
  if (stream) return std::make_unique<PipeReader>(loop, fd, source.source, owner, count, source.close_on_end);
  if (S_ISREG(st.st_mode)) {
    // The reader owns what it reads: the fd itself, or a duplicate (sharing its offset).
    const int owned = source.close_on_end ? fd : ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (owned < 0) refuse(errno, fmt::format("cannot read fd {}: cannot duplicate it: {}", fd, std::strerror(errno)));
    return std::make_unique<FileReader>(loop, owned, source.source, owner, count);
  }
  if (S_ISDIR(st.st_mode)) refuse(EISDIR, fmt::format("cannot read {}: it is a directory", describe(fd)));
  if (S_ISCHR(st.st_mode))
    refuse(ENOTSUP, fmt::format("cannot read {}: a character device that is not a terminal (such as /dev/null "
                                "or /dev/zero) cannot be followed; give a pipe, socket, terminal or regular file",
                                describe(fd)));
  refuse(ENOTSUP, fmt::format("cannot read {}: not a pipe, socket, terminal or regular file", describe(fd)));
}

}  // namespace logstream
