// `tail -F` into a descriptor (see file_follower.hpp).
#include "file_follower.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "io/write_all.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t read_bytes = 64 * 1024;

// Where the last `lines` lines of an open file begin (0 when it has fewer).
std::uint64_t start_of_last_lines(int fd, std::uint64_t size, std::size_t lines) {
  std::vector<char> buffer(read_bytes);
  std::uint64_t end = size;
  std::size_t newlines = 0;
  // A final newline ends the last line, it does not start a new one.
  bool skip_final = true;
  while (end > 0) {
    const std::uint64_t begin = end > buffer.size() ? end - buffer.size() : 0;
    const ssize_t got = ::pread(fd, buffer.data(), end - begin, static_cast<off_t>(begin));
    if (got <= 0) return 0;
    for (std::uint64_t i = static_cast<std::uint64_t>(got); i-- > 0;) {
      if (buffer[i] != '\n') {
        skip_final = false;
        continue;
      }
      if (skip_final) {
        skip_final = false;
        continue;
      }
      if (++newlines == lines) return begin + i + 1;
    }
    end = begin;
  }
  return 0;
}

}  // namespace

FileFollower::FileFollower(std::filesystem::path path, std::optional<std::size_t> last)
    : path_(std::move(path)), last_(last), watch_(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE) {
  watch_.add(path_.has_parent_path() ? path_.parent_path() : std::filesystem::path("."));
  open_file(/*from_start=*/false);
}

FileFollower::~FileFollower() {
  if (fd_ >= 0) ::close(fd_);
}

void FileFollower::open_file(bool from_start) {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // not there (yet): looked for again at the next wake
  struct stat st {};
  ::fstat(fd, &st);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  offset_ = from_start || !last_ ? 0 : start_of_last_lines(fd, size, *last_);
  if (!from_start && last_ && *last_ == 0) offset_ = size;
}

bool FileFollower::copy_new(int out) {
  if (fd_ < 0) return true;
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < offset_) offset_ = 0;  // truncated
  std::vector<char> buffer(read_bytes);
  for (;;) {
    const ssize_t got = ::pread(fd_, buffer.data(), buffer.size(), static_cast<off_t>(offset_));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return true;
    offset_ += static_cast<std::uint64_t>(got);
    if (!io::write_all(out, std::string_view(buffer.data(), static_cast<std::size_t>(got))).ok()) return false;
  }
}

void FileFollower::reopen_if_replaced() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return;  // renamed away, no new file yet: keep the old one
  if (fd_ >= 0 && st.st_dev == dev_ && st.st_ino == ino_) return;
  open_file(/*from_start=*/true);
}

bool FileFollower::run(int out, int event_fd, const std::function<bool()>& on_event, const std::function<bool()>& done) {
  for (;;) {
    const bool finished = done();
    // The old file to its end first: a rotation loses nothing written before it.
    if (!copy_new(out)) return false;
    reopen_if_replaced();
    if (!copy_new(out)) return false;
    if (finished) return true;
    if (watch_.wait(std::chrono::seconds(1), event_fd) && on_event()) return copy_new(out);
  }
}

}  // namespace logstream::cli
