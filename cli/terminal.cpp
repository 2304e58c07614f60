// Terminal queries and whole writes (see terminal.hpp).
#include "terminal.hpp"

#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/write_all.hpp"

namespace logstream::cli {

bool is_terminal(int fd) noexcept { return ::isatty(fd) == 1; }

bool is_dumb_terminal() noexcept {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::strcmp(term, "dumb") == 0;
}

TerminalSize terminal_size(int fd) noexcept {
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return {};
  return {ws.ws_col, ws.ws_row};
}

bool color_wanted(int fd) noexcept {
  const char* no_color = std::getenv("NO_COLOR");
  // no-color.org: set and not empty disables colour, whatever the value.
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return is_terminal(fd) && !is_dumb_terminal();
}

bool write_all(int fd, std::string_view data) noexcept { return io::write_all(fd, data).ok(); }

bool write_within(int fd, std::string_view data, std::chrono::milliseconds timeout) noexcept {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!data.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd ready{fd, POLLOUT, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0)));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0 || (ready.revents & POLLOUT) == 0) return false;
    const ssize_t written = ::write(fd, data.data(), std::min<std::size_t>(data.size(), PIPE_BUF));
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace logstream::cli
