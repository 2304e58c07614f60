// What the live displays (TtyDisplay for `run`, UpDisplay for `up`) share: the lines waiting for
// the next frame, bounded in lines and bytes (a terminal that falls behind loses lines from the
// view, never from the log), and the escape text that takes the previous frame's panel away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "styled_line.hpp"

namespace logstream::cli {

/// Not thread-safe: the display's mutex guards it. `Entry` has a `text` string.
template <typename Entry>
class PendingLines {
public:
  // Beyond this the terminal cannot keep up anyway.
  static constexpr std::size_t max_lines = 20000;
  static constexpr std::size_t max_bytes = 4 << 20;

  /// Adds `entry`; the oldest entries go (counted) while over a bound, the newest always stays.
  void push(Entry entry) {
    bytes_ += entry.text.size();
    entries_.push_back(std::move(entry));
    while (entries_.size() > max_lines || (bytes_ > max_bytes && entries_.size() > 1)) {
      bytes_ -= entries_.front().text.size();
      entries_.pop_front();
      ++dropped_;
    }
  }
  /// Everything pending, oldest first; the queue is then empty.
  std::deque<Entry> take() {
    bytes_ = 0;
    return std::exchange(entries_, {});
  }
  /// Entries dropped since the last call.
  std::uint64_t take_dropped() { return std::exchange(dropped_, 0); }

private:
  std::deque<Entry> entries_;
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

inline constexpr std::string_view hide_cursor = "\x1b[?25l";
inline constexpr std::string_view show_cursor = "\x1b[?25h";

/// Starts a redraw of a panel at the bottom of the screen: hides the cursor if it is shown, then
/// erases the old panel (`panel_rows` high), or clears the screen after a resize (terminals
/// rewrap the old rows in their own ways: nothing tells where the old panel went).
void begin_panel_frame(std::string& frame, bool cursor_shown, bool resized, std::size_t panel_rows);
/// Ends it with the panel's rows, each cut to `columns`; returns how many rows it drew (the next
/// frame's `panel_rows`). The cursor stays on its last row.
std::size_t end_panel_frame(std::string& frame, const std::vector<StyledLine>& rows, std::size_t columns, bool color);

/// Moves the cursor from the last row of a panel `rows` rows high (where a frame leaves it) to
/// the panel's first row, and clears from there down.
void append_panel_erase(std::string& frame, std::size_t rows);

/// What Output::failure() says of a stdout write that failed with `error`: empty for none and for
/// EPIPE (the reader's choice, as `| head` makes).
std::string stdout_failure(int error);

/// Throws what a sink that writes stdout throws for `error` (the stream reports it). For EPIPE it
/// says the lines are no longer shown, and `still` where they still go ("the log file still gets them").
[[noreturn]] void throw_stdout_error(int error, const char* still);

}  // namespace logstream::cli
