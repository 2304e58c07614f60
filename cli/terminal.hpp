// Terminal facts the front ends need: whether an fd is a terminal, its size, the colour policy,
// and whole writes that survive EINTR and partial writes.
#pragma once

#include <chrono>
#include <string_view>

namespace logstream::cli {

struct TerminalSize {
  int cols = 80;
  int rows = 24;
};

bool is_terminal(int fd) noexcept;
/// TERM=dumb: a terminal that understands no escape sequences.
bool is_dumb_terminal() noexcept;
/// The window size of `fd`; 80x24 when it has none.
TerminalSize terminal_size(int fd) noexcept;
/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
bool color_wanted(int fd) noexcept;
/// Writes everything; false on an error (EPIPE when the reader went away).
bool write_all(int fd, std::string_view data) noexcept;
/// Writes everything unless `fd` stops taking data for `timeout` (a pipe nobody reads, a
/// terminal held by Ctrl-S); false then or on an error. Writes go out in pieces of at most
/// PIPE_BUF bytes, each after poll() said there is room, so none of them blocks on a pipe.
bool write_within(int fd, std::string_view data, std::chrono::milliseconds timeout) noexcept;

}  // namespace logstream::cli
