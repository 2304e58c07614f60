// DirectoryWatch: the wait of a reader that follows files another process writes (`logs -f`,
// `attach`, RunStore::wait_for_end): until something changes in the watched directories
// (inotify) or a timeout passes, whichever comes first. The timeout is the backstop for what
// inotify does not tell (a file system without it, a lock released, a watch limit reached):
// without inotify the wait is the timeout alone. Shared by the library and the command.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace logstream::io {

class DirectoryWatch {
public:
  /// `events`: the inotify mask each directory is watched with.
  explicit DirectoryWatch(std::uint32_t events);
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

  /// Watches `dir` too (a directory that cannot be watched is left to the timeout).
  void add(const std::filesystem::path& dir);
  /// Returns once a watched directory changed, `other_fd` (when >= 0) is readable, or `timeout`
  /// passed; true when `other_fd` is readable. The changes seen are consumed.
  bool wait(std::chrono::milliseconds timeout, int other_fd = -1);

private:
  void drain();

  std::uint32_t events_;
  int fd_ = -1;
};

}  // namespace logstream::io
