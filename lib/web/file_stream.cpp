#include "web/file_stream.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace logstream::web {

FileStream::FileStream(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

FileStream::~FileStream() {
  if (fd_ >= 0) ::close(fd_);
}

void FileStream::send_more(Connection& connection) {
  constexpr std::size_t chunk = 256 * 1024;
  if (connection.write_queue_bytes() >= chunk) return;
  if (sent_ >= size_) return;
  std::string bytes(static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size_ - sent_)), '\0');
  ssize_t got;
  do {
    got = ::pread(fd_, bytes.data(), bytes.size(), static_cast<off_t>(sent_));
  } while (got < 0 && errno == EINTR);
  if (got <= 0) {  // the file shrank or broke: the client sees a short body
    connection.close();
    return;
  }
  bytes.resize(static_cast<std::size_t>(got));
  sent_ += bytes.size();
  connection.write(std::move(bytes));
  if (sent_ >= size_) connection.close_after_writes();
}

}  // namespace logstream::web
