// Framer: turns the bytes read from a stream's pipes into lines, by the rules in the README.
// Internal: a stream frames each read on its loop thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <logstream/framing.hpp>
#include <logstream/line_batch.hpp>

#include "chunk.hpp"

namespace logstream {

/// The framing rules:
/// - LF ends a line; CRLF ends a line and the CR is dropped.
/// - A lone CR ends a *transient* line (a progress bar's state) that the next text overwrites.
///   Empty transient lines are not delivered. Text that follows a CR is also delivered as a
///   transient line as soon as it is read, before its CR or LF comes, as a terminal shows it;
///   each state is delivered once (a state shown when read is not repeated at its CR).
/// - At EOF, a final line without newline is delivered (flagged with Terminator::none).
/// - A line longer than max_line_bytes is cut into pieces flagged `continued`. Such a line is
///   committed even when a lone CR ends it (its pieces are already out): it is not transient.
/// - Bytes are kept as they are (NUL, invalid UTF-8, escape sequences).
/// - Every line gets the next sequence number of the stream (both sources share one counter).
///
/// One Framer per stream; thread-bound (a stream frames each read on its loop thread).
class Framer {
public:
  explicit Framer(FramingOptions options = {});

  /// Frames one chunk; the batch takes the chunk's buffer (no copy for lines inside it).
  LineBatch frame(Chunk chunk);
  /// The source reached EOF: delivers what is left of its last line.
  LineBatch finish(Source source);

  std::uint64_t lines() const noexcept { return next_seq_ - 1; }

private:
  struct State {
    std::string carry;       // the unterminated text of the current line
    bool after_cr = false;   // the current text overwrites a transient line
    bool pending_cr = false; // the last byte read was CR: CRLF or lone CR, the next byte says
    bool cut = false;        // the current line was cut into committed `continued` pieces
    bool shown = false;      // the carry was delivered as it is now, as a partial transient line
  };
  class Builder;

  FramingOptions options_;
  std::array<State, 2> states_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace logstream
