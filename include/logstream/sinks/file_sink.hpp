// FileSink: appends a stream's lines to a file, through a buffer flushed when the stream idles.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include <logstream/export.hpp>
#include <logstream/sink.hpp>

namespace logstream {

struct LOGSTREAM_API FileSinkOptions {
  /// Keep every byte as read (CRs, transient states) instead of the committed lines.
  bool raw = false;
  /// Append to an existing file (otherwise truncate it).
  bool append = true;
  /// Bytes gathered before a write(2); the stream also flushes whenever it catches up.
  std::size_t buffer_bytes = 256 * 1024;
  OverflowPolicy overflow = OverflowPolicy::block;
};

/// Writes committed lines ("a\rb\rc\n" is stored as "c\n"; CRLF as LF), or the raw bytes.
/// open() creates the parent directories. Open and write failures throw std::system_error
/// naming the path; the stream reports them as `sink_error` events and stops using the sink.
class LOGSTREAM_API FileSink : public Sink {
public:
  explicit FileSink(std::filesystem::path path, FileSinkOptions options = {});
  ~FileSink() override;

  void open() override;
  void write(const LineBatch& batch) override;
  void flush() override;
  void close() override;
  OverflowPolicy overflow() const override { return options_.overflow; }
  std::string name() const override;

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Bytes handed to the kernel so far.
  std::size_t bytes_written() const noexcept { return written_; }

private:
  void append(std::string_view bytes);
  void write_out(std::string_view bytes);

  std::filesystem::path path_;
  FileSinkOptions options_;
  int fd_ = -1;
  std::string pending_;
  std::size_t written_ = 0;
};

}  // namespace logstream
