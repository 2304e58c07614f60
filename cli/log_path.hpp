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

/// Creates the parent directories and opens the file for appending once. Throws
/// std::system_error naming the path.
void prepare_log_file(const std::filesystem::path& path);

}  // namespace logstream::cli
