// What the display draws of a child's text: no escape sequence survives, widths are in cells.
#include <catch2/catch.hpp>

#include <string>

#include "../../cli/terminal_safe.hpp"
#include "../../cli/text.hpp"

using logstream::cli::columns;
using logstream::cli::terminal_safe;
using logstream::cli::truncate_columns;

TEST_CASE("cli text: escape sequences from the child are removed before drawing", "[cli][text]") {
  // Cursor movement, clearing, colour, the window title (BEL- and ST-terminated), a DCS string.
  CHECK(terminal_safe("a\x1b[2J\x1b[H\x1b[10;20Hb") == "ab");
  CHECK(terminal_safe("\x1b[31mred\x1b[0m") == "red");
  CHECK(terminal_safe("x\x1b]0;owned\x07y") == "xy");
  CHECK(terminal_safe("x\x1b]2;owned\x1b\\y") == "xy");
  CHECK(terminal_safe("x\x1bPqpayload\x1b\\y") == "xy");
  CHECK(terminal_safe("x\x1b" "7y\x1b" "8") == "xy");
  // An unterminated sequence at the end swallows nothing after it but itself.
  CHECK(terminal_safe("ok\x1b[12") == "ok");
  CHECK(terminal_safe("ok\x1b") == "ok");
}

TEST_CASE("cli text: other control bytes become visible, text and tabs stay", "[cli][text]") {
  const std::string safe = terminal_safe(std::string("a\rb\bc\x07" "d\x7f" "e\tf\0g", 14));
  CHECK(safe.find_first_of(std::string("\r\b\x07\x7f\0", 5)) == std::string::npos);
  CHECK(safe.find('\t') != std::string::npos);
  CHECK(terminal_safe("Modèle 模型 ✓") == "Modèle 模型 ✓");
}

TEST_CASE("cli text: columns count terminal cells", "[cli][text]") {
  CHECK(columns("") == 0);
  CHECK(columns("XGBoost") == 7);
  CHECK(columns("é") == 1);            // one code point, two bytes
  CHECK(columns("e\u0301") == 1);      // e + combining acute accent
  CHECK(columns("模型") == 4);         // wide CJK
  CHECK(columns("\xff\xfe") == 2);     // invalid bytes: one cell each
}

TEST_CASE("cli text: truncation never cuts a code point or half a wide character", "[cli][text]") {
  CHECK(truncate_columns("XGBoost", 3) == "XGB");
  CHECK(truncate_columns("XGBoost", 20) == "XGBoost");
  CHECK(truncate_columns("ééé", 2) == "éé");
  CHECK(truncate_columns("模型训练", 3) == "模");  // the second character would need cells 3-4
  CHECK(truncate_columns("模型训练", 4) == "模型");
  CHECK(truncate_columns("ab", 0).empty());
}

TEST_CASE("cli text: keep_sgr keeps the child's colours and nothing else, and they take no column", "[cli][text]") {
  using logstream::text::Escapes;
  using logstream::text::is_sgr;
  const std::string coloured = "\x1b[1;31mred\x1b[0m \x1b[38;5;208morange\x1b[38:2::255:0:0m \x1b[m";
  CHECK(terminal_safe(coloured, Escapes::keep_sgr) == coloured);
  CHECK(terminal_safe(coloured) == "red orange ");
  // Cursor moves, erases, titles, private modes and strings go, SGR or not around them.
  CHECK(terminal_safe("a\x1b[2Jb\x1b[Hc\x1b[1Ad\x1b]0;t\x07" "e\x1b[?25lf\x1b[31;?mg\x1bPq\x1b\\h", Escapes::keep_sgr) == "abcdefgh");
  CHECK(terminal_safe("cut \x1b[31", Escapes::keep_sgr) == "cut ");
  CHECK(is_sgr("\x1b[m"));
  CHECK(is_sgr("\x1b[0;1;4m"));
  CHECK_FALSE(is_sgr("\x1b[31"));
  CHECK_FALSE(is_sgr("\x1b[>4;1m"));  // a private modifier, not a colour
  CHECK(columns(terminal_safe(coloured, Escapes::keep_sgr)) == std::string("red orange ").size());
  CHECK(truncate_columns("\x1b[31mabcdef\x1b[0m", 3) == "\x1b[31mabc");
}
