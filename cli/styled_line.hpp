// StyledLine: one panel row built from styled pieces, cut to the terminal's width when drawn,
// so the panel's height never changes by an unexpected wrap.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/line.hpp>

namespace logstream::cli {

/// SGR sequences the panel uses; each piece is reset after itself.
namespace style {
inline constexpr std::string_view none{};
inline constexpr std::string_view bold = "\x1b[1m";
inline constexpr std::string_view dim = "\x1b[2m";
inline constexpr std::string_view red = "\x1b[31m";
inline constexpr std::string_view green = "\x1b[1;32m";
inline constexpr std::string_view yellow = "\x1b[33m";
inline constexpr std::string_view cyan = "\x1b[36m";
inline constexpr std::string_view alert = "\x1b[1;7;31m";  // bold reverse red: a banner
inline constexpr std::string_view reset = "\x1b[0m";

/// A child's line is coloured by its level: errors red, warnings yellow, debug dim.
constexpr std::string_view of_level(Level level) noexcept {
  switch (level) {
    case Level::error: return red;
    case Level::warning: return yellow;
    case Level::debug: return dim;
    case Level::info:
    case Level::none: break;
  }
  return none;
}
}  // namespace style

class StyledLine {
public:
  /// `text` must already be terminal-safe (no control bytes).
  StyledLine& add(std::string_view text, std::string_view sgr = style::none);
  std::size_t columns() const noexcept;
  /// The plain text, without styles (for tests and plain output).
  std::string plain() const;
  /// Appends at most `max_columns` columns, with styles when `color`.
  void append_to(std::string& out, std::size_t max_columns, bool color) const;

private:
  struct Piece {
    std::string text;
    std::string_view sgr;
  };
  std::vector<Piece> pieces_;
};

}  // namespace logstream::cli
