// The displays' shared pieces (see frame.hpp).
#include "frame.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace logstream::cli {

void append_panel_erase(std::string& frame, std::size_t rows) {
  if (rows == 0) return;
  frame += '\r';
  if (rows > 1) frame += fmt::format("\x1b[{}A", rows - 1);
  frame += "\x1b[J";
}

void begin_panel_frame(std::string& frame, bool cursor_shown, bool resized, std::size_t panel_rows) {
  if (cursor_shown) frame += hide_cursor;
  if (resized) {
    frame += "\x1b[H\x1b[2J";
  } else {
    append_panel_erase(frame, panel_rows);
  }
}

std::size_t end_panel_frame(std::string& frame, const std::vector<StyledLine>& rows, std::size_t columns, bool color) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) frame += '\n';
    rows[i].append_to(frame, columns, color);
  }
  return rows.size();
}

std::string stdout_failure(int error) {
  if (error == 0 || error == EPIPE) return {};
  return fmt::format("cannot write to stdout: {}", std::generic_category().message(error));
}

void throw_stdout_error(int error, const char* still) {
  if (error == EPIPE) throw std::runtime_error(fmt::format("stdout was closed by its reader: lines are no longer shown ({})", still));
  throw std::system_error(error, std::generic_category(), "cannot write to stdout");
}

}  // namespace logstream::cli
