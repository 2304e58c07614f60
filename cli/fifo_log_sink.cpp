// FifoLogSink (see fifo_log_sink.hpp).
#include "fifo_log_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "io/write_all.hpp"

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
  if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), fmt::format("log file '{}' is not open", path_.string()));
  const io::WriteResult result = io::write_all(fd_, pending_);
  // Cleared on failure too: the sink is retired then, and nothing may be written twice.
  pending_.clear();
  if (!result.ok())
    throw std::system_error(result.error, std::generic_category(), fmt::format("cannot write log file '{}'", path_.string()));
}

void FifoLogSink::close() {
  if (fd_ < 0) return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace logstream::cli
