// FifoLogSink (see fifo_log_sink.hpp).
#include "fifo_log_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

namespace logstream::cli {
namespace {

constexpr std::size_t buffer_bytes = 256 * 1024;  // as the library's FileSink

}  // namespace

FifoLogSink::FifoLogSink(int fd, std::filesystem::path path, bool raw) : fd_(fd), path_(std::move(path)), raw_(raw) {}

FifoLogSink::~FifoLogSink() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FifoLogSink::name() const { return fmt::format("file:{}", path_.string()); }

void FifoLogSink::write(const LineBatch& batch) {
  const auto append = [this](std::string_view bytes) {
    pending_.append(bytes);
    if (pending_.size() >= buffer_bytes) flush();
  };
  if (raw_) append(batch.raw());
  else batch.for_each_committed_span(append);
}

void FifoLogSink::flush() {
  if (pending_.empty()) return;
  // Cleared on failure too: the sink is retired then, and nothing may be written twice.
  try {
    write_out(pending_);
  } catch (...) {
    pending_.clear();
    throw;
  }
  pending_.clear();
}

void FifoLogSink::write_out(std::string_view bytes) {
  if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), fmt::format("log file '{}' is not open", path_.string()));
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), fmt::format("cannot write log file '{}'", path_.string()));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void FifoLogSink::close() {
  if (fd_ < 0) return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace logstream::cli
