// Terminal queries and whole writes (see terminal.hpp).
#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

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

bool write_all(int fd, std::string_view data) noexcept {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace logstream::cli
