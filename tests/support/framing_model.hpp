// A reference model of the README's framing rules, as the log file stores a stream.
//
// Deliberately naive and independent of the Framer: one byte at a time, no chunks, no offsets,
// no batches. Tests and the fuzz target compare the real pipeline's log with it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace logstream::test {

/// The log file of one source's bytes under the README's rules:
/// - LF ends a line; CRLF ends a line and the CR is dropped; a line is stored with '\n'.
/// - A lone CR ends a transient line: the next text overwrites it, the file never sees it,
///   unless pieces of that line were already cut (see below): then it is stored as a line.
/// - A line longer than `max_line` is cut into pieces of `max_line` bytes, stored back to back.
/// - At EOF, a last line without newline is stored without one; after a final CR it is stored
///   as a line (its last state).
/// - Every other byte (NUL, ESC, invalid UTF-8) is stored as it is.
inline std::string model_log(std::string_view bytes, std::size_t max_line) {
  std::string log;
  std::string line;         // the current line's bytes not yet stored
  bool pending_cr = false;  // the previous byte was a CR
  bool cut = false;         // pieces of the current line are already stored

  auto end_line = [&] {
    log += line;
    log += '\n';
    line.clear();
    cut = false;
  };
  for (char c : bytes) {
    if (pending_cr) {
      pending_cr = false;
      if (c == '\n') {
        end_line();
        continue;
      }
      if (cut) {
        end_line();
      } else {
        line.clear();
      }
    }
    if (c == '\r') {
      pending_cr = true;
    } else if (c == '\n') {
      end_line();
    } else {
      if (line.size() == max_line) {
        log += line;
        line.clear();
        cut = true;
      }
      line += c;
    }
  }
  if (!line.empty()) {
    if (pending_cr) {
      end_line();
    } else {
      log += line;
    }
  }
  return log;
}

}  // namespace logstream::test
