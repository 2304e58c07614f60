// Checks that the load generator's lines arrive complete and in order: each committed line must
// end with " #<seq>" (optionally followed by " t=<ns>"), seq counting up from 1 without gaps.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace bench {

/// The sequence number a generator line carries, or 0 when it has none.
inline std::uint64_t line_seq(std::string_view text) {
  if (const auto stamp = text.rfind(" t="); stamp != std::string_view::npos) text = text.substr(0, stamp);
  const auto hash = text.rfind(" #");
  if (hash == std::string_view::npos || hash + 2 == text.size()) return 0;
  std::uint64_t seq = 0;
  for (const char c : text.substr(hash + 2)) {
    if (c < '0' || c > '9') return 0;
    seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return seq;
}

/// Fed the committed lines in order. With `allow_repeats`, a reader that splits a tqdm line at
/// every CR (so one seq comes several times) or emits empty lines still passes, as long as no
/// seq is skipped or goes back.
class SeqChecker {
public:
  explicit SeqChecker(bool allow_repeats = false) : allow_repeats_(allow_repeats) {}

  void feed(std::string_view text) {
    const std::uint64_t seq = line_seq(text);
    if (allow_repeats_ && (text.empty() || seq == last_)) return;
    if (seq != last_ + 1 && error_.empty())
      error_ = "line " + std::to_string(last_ + 1) + " expected, got '" + std::string(text.substr(0, 120)) + "'";
    last_ = seq;
    ++lines_;
  }

  /// Records an error found outside the lines (an unreadable file).
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  /// Lines counted (with `allow_repeats`, distinct seqs).
  std::uint64_t lines() const noexcept { return lines_; }
  std::uint64_t last_seq() const noexcept { return last_; }
  /// True when exactly lines 1..expected arrived, in order.
  bool complete(std::uint64_t expected) const noexcept { return error_.empty() && last_ == expected && lines_ == expected; }
  /// The first mismatch, or empty.
  const std::string& error() const noexcept { return error_; }

private:
  bool allow_repeats_;
  std::uint64_t last_ = 0;
  std::uint64_t lines_ = 0;
  std::string error_;
};

}  // namespace bench
