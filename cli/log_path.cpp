// Default log file names and the up-front check (see log_path.hpp).
#include "log_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "text/time_format.hpp"

namespace logstream::cli {
namespace {

// The command's base name, reduced to characters safe in a file name.
std::string file_stem(std::string_view command) {
  const auto slash = command.rfind('/');
  if (slash != std::string_view::npos) command.remove_prefix(slash + 1);
  std::string stem;
  for (char c : command) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    stem += safe ? c : '_';
  }
  if (stem.empty() || stem.front() == '.') stem.insert(0, "run");
  return stem;
}

}  // namespace

std::filesystem::path default_log_path(std::string_view command, std::chrono::system_clock::time_point now) {
  const std::string base = fmt::format("{}-{}", file_stem(command), text::format_iso8601_basic_utc(now));
  std::filesystem::path path = std::filesystem::path("logs") / (base + ".log");
  std::error_code ignored;
  for (int n = 2; std::filesystem::exists(path, ignored); ++n)
    path = std::filesystem::path("logs") / fmt::format("{}-{}.log", base, n);
  return path;
}

namespace {

PreparedLog open_fifo(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENXIO)
    throw std::runtime_error(fmt::format("no reader on FIFO '{}' (the log file): start its reader first", path.string()));
  if (fd < 0) throw std::system_error(errno, std::generic_category(), fmt::format("cannot open log file '{}'", path.string()));
  // From now on writes wait for a slow reader, as they would for a slow disk: nothing is lost.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
    const int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), fmt::format("cannot use FIFO '{}'", path.string()));
  }
  return PreparedLog{path, fd};
}

}  // namespace

PreparedLog prepare_log_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) return open_fifo(path);
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) throw std::system_error(error, fmt::format("cannot create the directory of log file '{}'", path.string()));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), fmt::format("cannot open log file '{}'", path.string()));
  ::close(fd);
  return PreparedLog{path};
}

}  // namespace logstream::cli
