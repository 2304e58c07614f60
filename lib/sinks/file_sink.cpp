// FileSink: buffered appends with write(2); errors name the path and carry the OS text.
#include <logstream/sinks/file_sink.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <system_error>

#include <fmt/format.h>

#include "io/write_all.hpp"

namespace logstream {

FileSink::FileSink(std::filesystem::path path, FileSinkOptions options)
    : path_(std::move(path)), options_(options) {}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FileSink::name() const { return fmt::format("file:{}", path_.string()); }

void FileSink::open() {
  if (path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec)
      throw std::system_error(ec, fmt::format("cannot create the directory of log file '{}'", path_.string()));
  }
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (options_.append ? O_APPEND : O_TRUNC);
  fd_ = ::open(path_.c_str(), flags, 0644);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), fmt::format("cannot open log file '{}'", path_.string()));
  pending_.reserve(options_.buffer_bytes);
}

void FileSink::write(const LineBatch& batch) {
  if (options_.raw) {
    append(batch.raw());
    return;
  }
  batch.for_each_committed_span([this](std::string_view span) { append(span); });
}

void FileSink::append(std::string_view bytes) {
  if (pending_.size() + bytes.size() > options_.buffer_bytes) {
    flush();
    // A span as large as the buffer goes straight out instead of through it.
    if (bytes.size() >= options_.buffer_bytes) {
      write_out(bytes);
      return;
    }
  }
  pending_.append(bytes);
}

void FileSink::flush() {
  if (pending_.empty()) return;
  // Cleared on failure too: a later flush must not write the same bytes twice.
  struct Clear {
    std::string& pending;
    ~Clear() { pending.clear(); }
  } clear{pending_};
  write_out(pending_);
}

void FileSink::write_out(std::string_view bytes) {
  if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), fmt::format("log file '{}' is not open", path_.string()));
  const io::WriteResult result = io::write_all(fd_, bytes);
  written_ += result.written;
  if (!result.ok())
    throw std::system_error(result.error, std::generic_category(), fmt::format("cannot write log file '{}'", path_.string()));
}

void FileSink::close() {
  if (fd_ < 0) return;
  flush();
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && errno != EINTR)
    throw std::system_error(errno, std::generic_category(), fmt::format("cannot close log file '{}'", path_.string()));
}

}  // namespace logstream
