// FifoLogSink: the log file when it is a FIFO. prepare_log_file opened it once, without waiting
// for a reader; this sink writes through that descriptor what the library's FileSink would write
// to a file (the committed lines, or every byte with --raw), so the reader sees one stream.
#pragma once

#include <filesystem>
#include <string>

#include <logstream/sink.hpp>

namespace logstream::cli {

class FifoLogSink : public Sink {
public:
  /// Takes `fd` (a FIFO's write end, blocking).
  FifoLogSink(int fd, std::filesystem::path path, bool raw);
  ~FifoLogSink() override;
  FifoLogSink(const FifoLogSink&) = delete;
  FifoLogSink& operator=(const FifoLogSink&) = delete;

  void write(const LineBatch& batch) override;
  void flush() override;
  void close() override;
  /// The same name as the library's FileSink, so the run reports a failure of either alike.
  std::string name() const override;

private:
  int fd_;
  std::filesystem::path path_;
  bool raw_;
  std::string pending_;  // gathered until the stream catches up (flush) or it grows large
};

}  // namespace logstream::cli
