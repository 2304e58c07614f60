// TransientThrottle: which carriage-return states (transient lines) `run --json` writes. A
// program redrawing a bar, or writing a long line without newline, makes the stream re-deliver
// the whole pending line after every read; writing each would multiply the output (a 196 MB
// line became 1.87 GB of JSON). A state is written when it comes at least `interval` after the
// last one written for its source, and the latest one held back is written before a line of
// the other source (so line objects stay in seq order) and at the end. Its own committed line
// replaces it: that line is its final state, written anyway.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include <logstream/line.hpp>

namespace logstream::cli {

class TransientThrottle {
public:
  using Emit = std::function<void(const Line&)>;

  explicit TransientThrottle(std::chrono::milliseconds interval = std::chrono::milliseconds(100));

  /// One line of a batch, in order: calls `emit` for each line to write now (a held state
  /// first, then possibly `line`). Lines passed must stay valid until end_batch().
  void take(const Line& line, const Emit& emit);
  /// The batch is over: a state still held is copied, as the batch's text goes away.
  void end_batch();
  /// The sequence number of the state held back, if any.
  std::optional<std::uint64_t> held_seq() const noexcept { return held_ ? std::optional<std::uint64_t>(held_->seq) : std::nullopt; }
  /// The stream is over: the state still held, if any.
  void finish(const Emit& emit);

private:
  void emit_held(const Emit& emit);

  std::chrono::milliseconds interval_;
  std::optional<Line> held_;      // a view into the current batch, or into owned_
  std::optional<OwnedLine> owned_;
  std::array<std::optional<std::chrono::steady_clock::time_point>, 2> last_written_{};
};

}  // namespace logstream::cli
