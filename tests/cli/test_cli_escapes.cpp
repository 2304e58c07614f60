// A child's text cannot drive the terminal through anything logstream prints: the model name,
// a metric key, a line, a rules file, each carrying ESC, OSC, C1 and bidi controls, reach the
// summary, replay, the panel and plain output sanitised.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace logstream::test;

namespace {

// The model name of "=== NAME Position 1/1 ===": an OSC retitling the window, a switch to the
// alternate screen, a C1 CSI in UTF-8, a raw C1 OSC byte, and two bidi controls (test_child
// escapes).
const std::string model_line = "=== X\\x1b]0;pwned\\x07\\x1b[?1049h\\xc2\\x9b" "2J\\x9d" "0;t\\xe2\\x80\\xae\\xe2\\x81\\xa6Y Position 1/1 ===\\n";
const std::string model_shown = "X?2J?0;t??Y";  // what is left of it
// A metric whose key carries an OSC, a C1 CSI and a bidi override. The library takes only
// word characters for a key, so this one is refused (only "q" is a metric); were it taken, the
// sanitiser would still stand between it and the terminal (the hazard checks).
const std::string metric_line = "k\\x1b]0;pw\\x07\\xc2\\x9b\\xe2\\x80\\xaeq=1.5\\n";
const std::string metric_rule = "(?P<key>k[^=]*)=(?P<value>[0-9.]+)";

// What no text we print may hold: control bytes but newline and TAB, DEL, C1 controls (as
// UTF-8 or raw bytes), bidi controls. Empty when clean.
std::string hazard(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::string at = " at " + std::to_string(i);
    if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F) return "control " + std::to_string(b) + at;
    const std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 1;
    bool valid = n > 1 && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!valid) {
      if (b >= 0x80 && b < 0xA0) return "raw C1 byte" + at;
      ++i;
      continue;
    }
    if (b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) return "C1 in UTF-8" + at;
    if (s.compare(i, 3, "\xe2\x80\xae") == 0 || s.compare(i, 3, "\xe2\x81\xa6") == 0) return "bidi control" + at;
    i += n;
  }
  return {};
}

std::vector<std::string> child_lines() { return {"bytes", model_line + metric_line + "plain \\x1b[2Jline\\xc2\\x9b\\n"}; }

}  // namespace

TEST_CASE("cli escapes: the summary and plain output carry no escape, C1 or bidi control", "[cli][escapes]") {
  TempDir dir;
  const CliResult r = run_cli(run_args({"--plain", "--log", "run.log", "--rule", metric_rule}, child_lines()), CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  CHECK(hazard(r.out) == "");
  CHECK(hazard(r.err) == "");
  CHECK(r.out.find("plain line?") != std::string::npos);
  CHECK(r.err.find("model " + model_shown) != std::string::npos);  // the summary's progress row
}

TEST_CASE("cli escapes: replay's text shows the model and metric keys sanitised", "[cli][escapes][replay]") {
  TempDir dir;
  REQUIRE(run_cli(run_args({"--plain", "--log", "run.log"}, child_lines()), CliOptions{.cwd = dir.path()}).status == 0);
  const CliResult r = run_cli({"replay", "run.log", "--rule", metric_rule}, CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  INFO(r.out);
  CHECK(hazard(r.out) == "");
  CHECK(r.out.find("model " + model_shown) != std::string::npos);
  CHECK(r.out.find("  q ") != std::string::npos);
}

TEST_CASE("cli escapes: the panel draws the model and metric keys sanitised", "[cli][escapes][display]") {
  TempDir dir;
  CliProcess cli(run_args({"--log", "run.log", "--rule", metric_rule}, child_lines()),
                 CliOptions{.env = {{"TERM", "xterm"}, {"NO_COLOR", "1"}}, .cwd = dir.path(), .pty_stdout = true});
  REQUIRE(cli.finish() == 0);
  const std::string& screen = cli.out();
  INFO(screen);
  // The display's own sequences are CSI cursor moves and SGR; the child's must all be gone.
  const std::pair<const char*, const char*> child_sequences[] = {
      {"\x1b]", "OSC"}, {"\x1b[?1049h", "alternate screen"}, {"\xc2\x9b", "C1 CSI in UTF-8"},
      {"\x9d", "raw C1 OSC byte"}, {"\xe2\x80\xae", "bidi override"}, {"\xe2\x81\xa6", "bidi isolate"},
  };
  for (const auto& [sequence, what] : child_sequences) {
    INFO(what);
    CHECK(screen.find(sequence) == std::string::npos);
  }
  CHECK(screen.find("Model " + model_shown) != std::string::npos);
  CHECK(screen.find("q 1.5") != std::string::npos);
  CHECK(read_file(dir / "run.log").find("\x1b]0;pwned\x07") != std::string::npos);  // the log keeps every byte
}

TEST_CASE("cli escapes: a rules file error echoes its line sanitised and cut", "[cli][escapes][rules]") {
  TempDir dir;
  std::ofstream(dir / "bad.rules") << "# a comment\n\x1b]0;pwned\x07\x1b[2J\xc2\x9b\xe2\x80\xae" << std::string(100000, 'A') << "\n";
  const CliResult r = run_cli(run_args({"--rules", "bad.rules"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  CHECK(r.status == 2);
  INFO(r.err);
  CHECK(hazard(r.err) == "");
  CHECK(r.err.find("bad.rules:2") != std::string::npos);
  CHECK(r.err.size() < 1000);
}
