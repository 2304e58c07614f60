// DirectoryWatch (see directory_watch.hpp).
#include "io/directory_watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

namespace logstream::io {

DirectoryWatch::DirectoryWatch(std::uint32_t events) : events_(events), fd_(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {}

DirectoryWatch::~DirectoryWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void DirectoryWatch::add(const std::filesystem::path& dir) {
  if (fd_ >= 0) ::inotify_add_watch(fd_, dir.c_str(), events_);
}

bool DirectoryWatch::wait(std::chrono::milliseconds timeout, int other_fd) {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {other_fd, POLLIN, 0}};
  int ready = 0;
  do {
    ready = ::poll(fds, 2, static_cast<int>(timeout.count()));  // a negative fd is skipped
  } while (ready < 0 && errno == EINTR);
  drain();
  return ready > 0 && other_fd >= 0 && (fds[1].revents & POLLIN) != 0;
}

void DirectoryWatch::drain() {
  char events[4096];
  while (fd_ >= 0 && ::read(fd_, events, sizeof events) > 0) {
  }
}

}  // namespace logstream::io
