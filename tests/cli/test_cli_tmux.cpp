// The TTY display on a real terminal emulator: tmux runs `logstream run` in a detached pane, the
// test reads the screen with capture-pane, resizes the window, and checks the panel and that
// every other row is an intact log line.
#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <thread>

#include <re2/re2.h>

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
  /// The same with the cells' colours and attributes, as SGR sequences.
  std::string styled_screen() const { return run({"capture-pane", "-p", "-J", "-e", "-t", "main"}); }

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

const RE2 log_line{
    R"(Position \d+/\d+|=== \w+ Position \d+ ===|  Trial \d+/\d+: Score=\d\.\d{4}|    \[BEST\] NEW BEST! Score: \d\.\d{4})"
    R"(|epoch \d+ loss=\d\.\d{4} acc=\d\.\d{4}|(?:\x{2502} )?trial \d+: 100%\|########\| 4/4 \[00:00<00:00, 40\.0it/s\])"
    R"(|Training \w+ model complete\. Test Score: \d\.\d{4}|logstream: .*)"};
const RE2 panel_line{R"((Model \w+  \|  elapsed .*|Position \[[#-]+\] \d+/\d+|Trial    \[[#-]+\] \d+/\d+)"
                            R"(|Score \d\.\d{4}.*|Bar      \[[#-]+\] .*|trial \d+: .*))"};

// Every row is a whole log line or a panel row, no row is wider than `cols`, and there is exactly
// one panel: an old panel left behind, or a line drawn over another, fails this.
std::string screen_problem(const std::string& screen, std::size_t cols) {
  std::size_t headers = 0;
  for (std::string row : split_lines(screen)) {
    while (!row.empty() && row.back() == ' ') row.pop_back();
    if (row.empty()) continue;
    if (RE2::FullMatch(row, log_line)) continue;  // a log line may be wider: the terminal wraps it
    if (!RE2::FullMatch(row, panel_line)) return "garbled: " + row;
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

// Each process of the session whose leader is `pane_pid`: its threads' states and wait channels.
std::string pane_processes(const std::string& pane_pid) {
  std::string out;
  const std::string session = pane_pid.substr(0, pane_pid.find('\n'));
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = read_file(entry.path() / "stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 2));
    std::string state, ppid, pgrp, sid;
    fields >> state >> ppid >> pgrp >> sid;
    if (sid != session && pid != session) continue;
    out += stat.substr(0, paren + 1) + " " + state + ":";
    std::error_code ignored;
    for (const auto& task : std::filesystem::directory_iterator(entry.path() / "task", ignored))
      out += " " + task.path().filename().string() + "=" + read_file(task.path() / "wchan");
    out += "\n";
  }
  return out;
}

TEST_CASE("cli tmux: the panel shows model, bars and score, and survives a resize", "[cli][tmux]") {
  TempDir dir;
  Tmux tmux(dir);
  // A sanitizer's report goes to a file, not to the pane (where the next frame would hide it).
  const std::string report = (dir / "sanitizer").string();
  const std::string command = "cd " + shell_quote(dir.path().string()) + " && TERM=screen" +
                              " TSAN_OPTIONS=\"${TSAN_OPTIONS:+$TSAN_OPTIONS:}log_path=" + report + "\"" +
                              " ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=" + report + "\"" +
                              " exec " + shell_quote(cli_path()) + " run -- " + shell_quote(test_child_path()) + " train 2 100 60";
  tmux.run({"new-session", "-d", "-s", "main", "-x", "100", "-y", "30", command});
  // Position 2 begins 6 s in (100 trials of 60 ms) and the run ends at 12 s: time enough for the
  // waits below under a sanitizer, so that the run cannot end before the screen is looked at.

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
  const bool later = tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("Position 2/2") != std::string::npos; }, 30s);
  // When the screen stops changing, where every process of the pane stands (what each thread waits
  // in), and what the pane's process last wrote: the display, the pipeline or the terminal?
  if (!later) {
    UNSCOPED_INFO(pane_processes(tmux.run({"display", "-p", "-t", "main", "#{pane_pid}"})));
    std::error_code ignored;
    for (const auto& file : std::filesystem::directory_iterator(dir.path(), ignored))
      if (file.path().filename().string().rfind("sanitizer", 0) == 0) UNSCOPED_INFO(read_file(file.path()));
  }
  REQUIRE(later);
  CHECK(screen_problem(screen, 60) == "");

  REQUIRE(tmux.wait_for_screen([&](const std::string&) { return tmux.run({"display", "-p", "-t", "main", "#{pane_dead}"}) == "1\n"; }, 40s));
  screen = tmux.screen();
  INFO(screen);
  CHECK(screen.find("exit code 0, status 0") != std::string::npos);
  CHECK(screen.find("done") != std::string::npos);
}

namespace {

// The one-letter state in /proc/PID/stat ('T' when stopped), or 0 when it is gone.
char process_state(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? 0 : stat[paren + 2];
}

// The process whose command line is exactly `argv`.
std::optional<pid_t> find_process(const std::vector<std::string>& argv) {
  std::string wanted;
  for (const std::string& arg : argv) wanted += arg + '\0';
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (read_file(entry.path() / "cmdline") == wanted) return static_cast<pid_t>(std::stoi(name));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("cli tmux: Ctrl-Z suspends the command with logstream, fg resumes both", "[cli][tmux][signals]") {
  TempDir dir;
  Tmux tmux(dir);
  // An interactive shell with job control, as a user has.
  const std::string shell = "cd " + shell_quote(dir.path().string()) + " && TERM=screen PS1='$ ' exec bash --norc --noprofile -i";
  tmux.run({"new-session", "-d", "-s", "main", "-x", "100", "-y", "30", shell});
  REQUIRE(tmux.wait_for_screen([](const std::string& s) { return s.find("$ ") != std::string::npos; }, 10s));

  // A marker count makes the child's command line unique on this machine.
  const std::string count = std::to_string(100000 + ::getpid() % 100000);
  const std::vector<std::string> child{test_child_path(), "slow", count, "20"};
  tmux.run({"send-keys", "-t", "main",
            shell_quote(cli_path()) + " run --log job.log -- " + shell_quote(child[0]) + " slow " + count + " 20", "Enter"});
  std::string screen;
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("slow 10\n") != std::string::npos; }, 10s));
  const std::optional<pid_t> child_pid = find_process(child);
  REQUIRE(child_pid);

  tmux.run({"send-keys", "-t", "main", "C-z"});
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("Stopped") != std::string::npos; }, 10s));
  INFO(screen);
  CHECK(process_state(*child_pid) == 'T');
  // The panel was taken away before the shell took the terminal back.
  CHECK(screen.find("elapsed") == std::string::npos);
  const std::string log_while_stopped = read_file(dir.path() / "job.log");

  tmux.run({"send-keys", "-t", "main", "fg", "Enter"});
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("elapsed") != std::string::npos; }, 10s));
  CHECK(process_state(*child_pid) != 'T');
  // Running again: more lines reach the log, then Ctrl-C ends the run with a complete log.
  tmux.run({"send-keys", "-t", "main", "C-c"});
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("exit") != std::string::npos && s.rfind("$ ") > s.find("exit"); }, 15s));
  INFO(screen);
  const std::vector<std::string> lines = split_lines(read_file(dir.path() / "job.log"));
  CHECK(lines.size() > split_lines(log_while_stopped).size());
  for (std::size_t i = 0; i < lines.size(); ++i) REQUIRE(lines[i] == "slow " + std::to_string(i + 1));
}

TEST_CASE("cli tmux: up shows one panel row per process under the merged lines", "[cli][tmux][up]") {
  TempDir dir;
  std::ofstream(dir / "Procfile") << "train: " << shell_quote(test_child_path()) << " train 2 6 150\n"
                                  << "web: " << shell_quote(test_child_path()) << " slow 8 150\n"
                                  << "bad: sleep 0.5; echo broken; exit 3\n";
  Tmux tmux(dir);
  const std::string command = "cd " + shell_quote(dir.path().string()) + " && LOGSTREAM_HOME=home TERM=screen exec " +
                              shell_quote(cli_path()) + " up --group g";
  tmux.run({"new-session", "-d", "-s", "main", "-x", "120", "-y", "30", command});

  // While they run: the lines with their prefixes, and below them a row per process.
  const RE2 train_row{R"(train  running +Position \[[#-]+\] \d/2  Trial \[[#-]+\] \d/6  .*lines/s)"};
  const RE2 web_row{R"(web    running +\d+ lines  [\d.]+ lines/s)"};
  const RE2 bad_row{R"(bad    failed 3 +\d+ lines .*)"};
  std::string screen;
  const auto rows_of = [](const std::string& s, const RE2& row) {
    std::size_t n = 0;
    for (std::string line : split_lines(s)) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      n += RE2::FullMatch(line, row) ? 1 : 0;
    }
    return n;
  };
  const bool live = tmux.wait_for_screen(
      [&](const std::string& s) {
        screen = s;
        return rows_of(s, train_row) == 1 && rows_of(s, web_row) == 1 && rows_of(s, bad_row) == 1 &&
               s.find("bad   | broken") != std::string::npos && s.find("web   | slow 1") != std::string::npos;
      },
      15s);
  INFO(screen);
  CHECK(live);

  REQUIRE(tmux.wait_for_screen([&](const std::string&) { return tmux.run({"display", "-p", "-t", "main", "#{pane_dead}"}) == "1\n"; }, 30s));
  screen = tmux.screen();
  INFO(screen);
  CHECK(rows_of(screen, RE2(R"(train  exited 0 +Position \[#+\] 2/2  Trial \[#+\] 6/6  best .*)")) == 1);
  CHECK(rows_of(screen, RE2(R"(web    exited 0 +8 lines .*)")) == 1);
  CHECK(rows_of(screen, bad_row) == 1);
  // The exit status is up's own tests'; here the end as the user sees it.
  CHECK(screen.find("logstream: bad    failed 3, 1 lines") != std::string::npos);
}

TEST_CASE("cli tmux: the display passes the child's colours through, colours by level, and drops every other escape", "[cli][tmux][escapes]") {
  TempDir dir;
  Tmux tmux(dir);
  const std::string child =
      "printf '\\033[32mgreen text\\033[0m plain\\n'; echo 'ERROR: broken'; "
      "printf '\\033]0;retitled\\007\\033[2J\\033[Hafter the clear\\n'";
  auto start = [&](const std::string& env) {
    const std::string command = "cd " + shell_quote(dir.path().string()) + " && TERM=screen " + env + " exec " +
                                shell_quote(cli_path()) + " run -- sh -c " + shell_quote(child);
    tmux.run({"new-session", "-d", "-s", "main", "-x", "100", "-y", "30", command});
  };
  start("");
  std::string screen;
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("logstream: summary") != std::string::npos; }, 20s));
  INFO(screen);
  const std::string styled = tmux.styled_screen();
  INFO(styled);
  CHECK_THAT(styled, Catch::Contains("\x1b[32mgreen text"));  // the child's own colour
  CHECK_THAT(styled, Catch::Contains("\x1b[31mERROR: broken"));  // the level's
  // The clear and the cursor move went nowhere: the lines before them are still there.
  CHECK(screen.find("green text plain") < screen.find("after the clear"));
  CHECK(tmux.run({"display-message", "-p", "-t", "main", "#{pane_title}"}).find("retitled") == std::string::npos);
  tmux.run({"kill-server"});

  start("NO_COLOR=1");
  REQUIRE(tmux.wait_for_screen([&](const std::string& s) { screen = s; return s.find("logstream: summary") != std::string::npos; }, 20s));
  const std::string plain = tmux.styled_screen();
  INFO(plain);
  CHECK(plain.find("\x1b[32m") == std::string::npos);
  CHECK(plain.find("\x1b[31m") == std::string::npos);
  CHECK_THAT(plain, Catch::Contains("green text plain"));
}
