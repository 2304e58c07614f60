// FileFollower: `tail -F` of one path into a descriptor, for `logstream attach`: what the file
// gets is copied as it grows; a file renamed away (rotation) is read to its end and the new file
// at the path is followed from its start; a file cut shorter (truncation) is followed from its
// new end's start. It sleeps on inotify (the directory's events) and a stop descriptor, with a
// one-second look as the backstop (a file system without inotify, a missed event).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include "io/directory_watch.hpp"

namespace logstream::cli {

class FileFollower {
public:
  /// `last`: begin with the file's last N lines (all when empty).
  FileFollower(std::filesystem::path path, std::optional<std::size_t> last);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  /// Copies to `out` until `done()` says so after a wake (then what the file holds is copied
  /// once more), or `event_fd` became readable and `on_event()` returned true (a stop signal).
  /// Returns false when `out` stopped taking bytes.
  bool run(int out, int event_fd, const std::function<bool()>& on_event, const std::function<bool()>& done);

private:
  bool copy_new(int out);  // false: out failed
  void reopen_if_replaced();
  void open_file(bool from_start);

  std::filesystem::path path_;
  std::optional<std::size_t> last_;
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::uint64_t offset_ = 0;
  io::DirectoryWatch watch_;
};

}  // namespace logstream::cli
