// The TTY display on a real terminal emulator: tmux runs `logstream run` in a detached pane, the
// test reads the screen with capture-pane, resizes the window, and checks the panel and that
// every other row is an intact log line.
#include <catch2/catch.hpp>

#include <regex>
#include <thread>

#include "cli_support.hpp"

using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

// Quotes for sh -c, which tmux uses to run the pane's command.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class Tmux {
public:
  explicit Tmux(const TempDir& dir) : socket_("logstream-test-" + std::to_string(::getpid())), config_(dir / "tmux.conf") {
    std::ofstream(config_) << "set -g remain-on-exit on\nset -g status off\n";
  }
  ~Tmux() { run({"kill-server"}); }

  // Runs tmux with our private server and config; returns its stdout ("" on failure).
  std::string run(std::vector<std::string> args) const {
    std::vector<std::string> argv{"tmux", "-L", socket_, "-f", config_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int devnull = ::open("/dev/null", O_RDWR);
      // The server that new-session starts keeps its stdout: give it /dev/null, or our read
      // below would wait for the server's exit.
      ::dup2(args.front() == "new-session" ? devnull : out[1], 1);
      ::dup2(devnull, 0);
      ::dup2(devnull, 2);
      std::vector<char*> cargs;
      for (auto& a : argv) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      ::execvp("tmux", cargs.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t got; (got = ::read(out[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(got));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return text;
  }

  /// The visible screen; -J joins the rows of a line the terminal wrapped.
  std::string screen() const { return run({"capture-pane", "-p", "-J", "-t", "main"}); }

  // tmux offers no event for "the screen now shows X": capture until `good` holds, with a short
  // pause between captures, up to a deadline.
  bool wait_for_screen(const std::function<bool(const std::string&)>& good, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (good(screen())) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
  }

private:
  std::string socket_;
  std::filesystem::path config_;
};

const std::regex log_line{
    R"(Position \d+/\d+|=== \w+ Position \d+ ===|  Trial \d+/\d+: Score=\d\.\d{4}|    \[BEST\] NEW BEST! Score: \d\.\d{4})"
    R"(|epoch \d+ loss=\d\.\d{4} acc=\d\.\d{4}|trial \d+: 100%\|########\| 4/4 \[00:00<00:00, 40\.0it/s\])"
    R"(|Training \w+ model complete\. Test Score: \d\.\d{4}|logstream: .*)"};
const std::regex panel_line{R"((Model \w+  \|  elapsed .*|Position \[[#-]+\] \d+/\d+|Trial    \[[#-]+\] \d+/\d+)"
                            R"(|Score \d\.\d{4}.*|Bar      \[[#-]+\] .*|trial \d+: .*))"};

// Every row is a whole log line or a panel row, no row is wider than `cols`, and there is exactly
// one panel: an old panel left behind, or a line drawn over another, fails this.
std::string screen_problem(const std::string& screen, std::size_t cols) {
  std::size_t headers = 0;
  for (std::string row : split_lines(screen)) {
    while (!row.empty() && row.back() == ' ') row.pop_back();
    if (row.empty()) continue;
    if (std::regex_match(row, log_line)) continue;  // a log line may be wider: the terminal wraps it
    if (!std::regex_match(row, panel_line)) return "garbled: " + row;
    if (row.size() > cols) return "panel row too wide: " + row;  // it would wrap and break the redraw
    if (row.rfind("Model ", 0) == 0) ++headers;
  }
  return headers == 1 ? "" : "panels on screen: " + std::to_string(headers);
}

bool shows_panel(const std::string& screen) {
  return screen.find("Model ") != std::string::npos && screen.find("Position [") != std::string::npos &&
         screen.find("Trial    [") != std::string::npos && screen.find("Score 0.") != std::string::npos;
}

}  // namespace

TEST_CASE("cli tmux: the panel shows model, bars and score, and survives a resize", "[cli][tmux]") {
  TempDir dir;
  Tmux tmux(dir);
  const std::string command = "cd " + shell_quote(dir.path().string()) + " && TERM=screen exec " + shell_quote(cli_path()) +
                              " run -- " + shell_quote(test_child_path()) + " train 2 40 60";
  tmux.run({"new-session", "-d", "-s", "main", "-x", "100", "-y", "30", command});

  std::string screen;
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return shows_panel(s); }, 10s));
  INFO(screen);
  CHECK(screen_problem(screen, 100) == "");

  tmux.run({"resize-window", "-t", "main", "-x", "60", "-y", "20"});
  // After the resize the panel is redrawn within a frame or two; wait until the screen is clean
  // at the new width (a frame drawn before the resize was noticed may still be there at first).
  const bool clean = tmux.wait_for_screen(
      [&](const std::string& s) {
        screen = s;
        return shows_panel(s) && screen_problem(s, 60).empty() && split_lines(s).size() <= 20;
      },
      5s);
  INFO(screen);
  INFO(screen_problem(screen, 60));
  CHECK(clean);

  // Some lines later, still intact.
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("Position 2/2") != std::string::npos; }, 15s));
  CHECK(screen_problem(screen, 60) == "");

  REQUIRE(tmux.wait_for_screen([&](const std::string&) { return tmux.run({"display", "-p", "-t", "main", "#{pane_dead}"}) == "1\n"; }, 20s));
  screen = tmux.screen();
  INFO(screen);
  CHECK(screen.find("exit code 0, status 0") != std::string::npos);
  CHECK(screen.find("done") != std::string::npos);
}
