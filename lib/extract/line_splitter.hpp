// LineSplitter: frames bytes into lines the way a stream does (LF, CRLF, lone-CR segments as
// transient updates, over-long lines cut into `continued` pieces). Used by replay().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <logstream/line.hpp>

namespace logstream::extract {

/// Thread-bound. `on_line(const Line&)` gets each line with text, seq and terminator set;
/// the text is valid during the call only. Empty CR segments (tqdm's leading "\r") are skipped.
class LineSplitter {
public:
  explicit LineSplitter(std::size_t max_line_bytes)
      : max_(max_line_bytes == 0 ? 1 : max_line_bytes) {}

  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    for (std::size_t i = 0; i < bytes.size();) {
      if (pending_cr_) {
        pending_cr_ = false;
        if (bytes[i] == '\n') {
          emit(Terminator::crlf, on_line);
          ++i;
          continue;
        }
        emit(Terminator::cr, on_line);
      }
      const std::size_t stop = bytes.find_first_of("\r\n", i);
      const std::size_t end = stop == std::string_view::npos ? bytes.size() : stop;
      append(bytes.substr(i, end - i), on_line);
      if (stop == std::string_view::npos) break;
      if (bytes[stop] == '\n') {
        emit(Terminator::lf, on_line);
      } else {
        pending_cr_ = true;  // CRLF or a lone CR: the next byte decides
      }
      i = stop + 1;
    }
  }

  /// The end of input: a final line without newline, or a trailing lone CR.
  template <typename OnLine>
  void finish(OnLine&& on_line) {
    if (pending_cr_) {
      pending_cr_ = false;
      emit(Terminator::cr, on_line);
    } else if (!pending_.empty()) {
      emit(Terminator::none, on_line);
    }
  }

  std::uint64_t lines() const noexcept { return seq_; }

private:
  template <typename OnLine>
  void append(std::string_view piece, OnLine& on_line) {
    while (pending_.size() + piece.size() > max_) {
      const std::size_t room = max_ - pending_.size();
      pending_.append(piece.substr(0, room));
      piece.remove_prefix(room);
      emit(Terminator::none, on_line, /*continued=*/true);
    }
    pending_.append(piece);
  }

  template <typename OnLine>
  void emit(Terminator terminator, OnLine& on_line, bool continued = false) {
    if (terminator == Terminator::cr && pending_.empty()) return;
    Line line;
    line.text = pending_;
    line.seq = ++seq_;
    line.terminator = terminator;
    line.transient = terminator == Terminator::cr;
    line.continued = continued;
    on_line(line);
    pending_.clear();
  }

  std::size_t max_;
  std::string pending_;
  bool pending_cr_ = false;
  std::uint64_t seq_ = 0;
};

}  // namespace logstream::extract
