// Plain mode (a pipe, TERM=dumb, --plain) writes no escape byte; the TTY display honours NO_COLOR.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace logstream::test;

namespace {

// The child writes escape sequences of its own: plain mode must not pass them on either.
const std::vector<std::string> colourful_child = {"bytes", "\\x1b[31mred\\x1b[0m and \\x1b]0;title\\x07\\n"};

std::vector<std::string> args_for(const std::vector<std::string>& cli) { return run_args(cli, colourful_child); }

bool has_escape(const std::string& text) { return text.find('\x1b') != std::string::npos; }

// An SGR foreground colour, ESC [ 3 <digit> m; cursor moves such as ESC [ 3 A are not colour.
bool has_foreground_colour(const std::string& text) {
  for (std::size_t at = text.find("\x1b[3"); at != std::string::npos; at = text.find("\x1b[3", at + 1)) {
    if (at + 4 < text.size() && text[at + 3] >= '0' && text[at + 3] <= '9' && text[at + 4] == 'm') return true;
  }
  return false;
}

}  // namespace

TEST_CASE("cli plain: output to a pipe has no escape bytes", "[cli][plain]") {
  TempDir dir;
  const CliResult r = run_cli(args_for({}), CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  CHECK_FALSE(has_escape(r.out));
  CHECK_FALSE(has_escape(r.err));
  CHECK(r.out.find("red") != std::string::npos);
}

TEST_CASE("cli plain: TERM=dumb or --plain on a terminal has no escape bytes", "[cli][plain]") {
  TempDir dir;
  SECTION("TERM=dumb") {
    CliProcess cli(args_for({}), CliOptions{.env = {{"TERM", "dumb"}}, .cwd = dir.path(), .pty_stdout = true});
    REQUIRE(cli.finish() == 0);
    CHECK(cli.out().find("summary") != std::string::npos);
    CHECK_FALSE(has_escape(cli.out()));
  }
  SECTION("--plain") {
    CliProcess cli(args_for({"--plain"}), CliOptions{.env = {{"TERM", "xterm"}}, .cwd = dir.path(), .pty_stdout = true});
    REQUIRE(cli.finish() == 0);
    CHECK(cli.out().find("summary") != std::string::npos);
    CHECK_FALSE(has_escape(cli.out()));
  }
}

TEST_CASE("cli display: on a terminal it draws, in colour unless NO_COLOR is set", "[cli][display]") {
  TempDir dir;
  const std::vector<std::string> train{"run", "--", test_child_path(), "train", "1", "2", "0"};
  CliProcess coloured(train, CliOptions{.env = {{"TERM", "xterm"}}, .unset_env = {"NO_COLOR"}, .cwd = dir.path(), .pty_stdout = true});
  REQUIRE(coloured.finish() == 0);
  CHECK(coloured.out().find("\x1b[?25l") != std::string::npos);  // the cursor hidden while drawing...
  CHECK(coloured.out().find("\x1b[?25h") != std::string::npos);  // ...and shown again
  CHECK(coloured.out().find("\x1b[1m") != std::string::npos);
  CHECK(coloured.out().find("Position") != std::string::npos);

  CliProcess plain_colour(train, CliOptions{.env = {{"TERM", "xterm"}, {"NO_COLOR", "1"}}, .cwd = dir.path(), .pty_stdout = true});
  REQUIRE(plain_colour.finish() == 0);
  CHECK(plain_colour.out().find("Position [") != std::string::npos);
  CHECK(plain_colour.out().find("\x1b[1m") == std::string::npos);
  CHECK_FALSE(has_foreground_colour(plain_colour.out()));
  CHECK(plain_colour.out().find("\x1b[?25h") != std::string::npos);
}
