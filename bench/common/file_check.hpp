// Reads a log file written by any reader of the generator and checks its lines with SeqChecker.
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>

#include "seq_checker.hpp"

namespace bench {

/// Splits the file at LF; a line holding CRs (a raw tqdm line) is judged by its last CR
/// segment, the state a terminal leaves on screen. Errors (cannot open) go to checker.error().
inline SeqChecker check_file(const std::string& path, bool allow_repeats = false) {
  SeqChecker checker(allow_repeats);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info{};
  if (fd < 0 || ::fstat(fd, &info) != 0) {
    if (fd >= 0) ::close(fd);
    checker.fail("cannot open " + path + ": " + std::strerror(errno));
    return checker;
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  void* map = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  ::close(fd);
  if (map == MAP_FAILED) {
    checker.fail("cannot map " + path);
    return checker;
  }
  std::string_view rest(static_cast<const char*>(map), size);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (const auto cr = line.rfind('\r'); cr != std::string_view::npos) {
      if (allow_repeats) {  // every CR segment is a line of its own to such a reader
        for (std::string_view segments = line; !segments.empty();) {
          const auto next = segments.find('\r');
          checker.feed(segments.substr(0, next));
          segments.remove_prefix(next == std::string_view::npos ? segments.size() : next + 1);
        }
        continue;
      }
      line.remove_prefix(cr + 1);
    }
    checker.feed(line);
  }
  if (map) ::munmap(map, size);
  return checker;
}

}  // namespace bench
