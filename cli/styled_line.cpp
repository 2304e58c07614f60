// StyledLine (see styled_line.hpp).
#include "styled_line.hpp"

#include "text.hpp"

namespace logstream::cli {

StyledLine& StyledLine::add(std::string_view text, std::string_view sgr) {
  pieces_.push_back(Piece{std::string(text), sgr});
  return *this;
}

std::size_t StyledLine::columns() const noexcept {
  std::size_t n = 0;
  for (const Piece& piece : pieces_) n += cli::columns(piece.text);
  return n;
}

std::string StyledLine::plain() const {
  std::string out;
  for (const Piece& piece : pieces_) out += piece.text;
  return out;
}

void StyledLine::append_to(std::string& out, std::size_t max_columns, bool color) const {
  std::size_t left = max_columns;
  for (const Piece& piece : pieces_) {
    if (left == 0) break;
    const std::string_view text = truncate_columns(piece.text, left);
    left -= cli::columns(text);
    const bool styled = color && !piece.sgr.empty() && !text.empty();
    if (styled) out += piece.sgr;
    out += text;
    if (styled) out += style::reset;
  }
}

}  // namespace logstream::cli
