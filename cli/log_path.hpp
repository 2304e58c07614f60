// Where `logstream run` keeps its log: the default name, and a check made before the command
// starts so that an unusable path fails at once instead of after an hour of training.
#pragma once

#include <chrono>
#include <filesystem>
#include <string_view>

namespace logstream::cli {

/// logs/<command base name>-<UTC timestamp>.log, e.g. logs/train-20240501T120000Z.log; a
/// suffix -2, -3... when that file already exists.
std::filesystem::path default_log_path(std::string_view command, std::chrono::system_clock::time_point now);

/// The log file, checked before the command starts.
struct PreparedLog {
  std::filesystem::path path;
  /// A FIFO's write end, opened here and kept (-1 for any other file): opening a FIFO a second
  /// time would give its reader an EOF in between. FifoLogSink writes through it.
  int fifo_fd = -1;
};

/// Creates the parent directories and opens the file for appending once (the library's
/// FileSink opens it again). A FIFO is opened without waiting for a reader: with none, this
/// fails at once ("no reader on FIFO") instead of blocking. Throws std::runtime_error (or
/// std::system_error) naming the path.
PreparedLog prepare_log_file(const std::filesystem::path& path);

}  // namespace logstream::cli
