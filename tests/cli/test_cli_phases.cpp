// Every phase of a run answers Ctrl-C and SIGTERM: replay of an input that never ends, a log
// FIFO without reader, a stdout nobody reads; a FIFO log is opened once; Ctrl-Z where
// logstream cannot stop does not stop the command either.
#include <catch2/catch.hpp>

#include <thread>

#include "cli_support.hpp"

using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

// Nothing signals these conditions (a file grows, a process reads): check them until `done`
// holds, with a short pause between checks, up to a deadline.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Bytes the process has read so far (rchar of /proc/PID/io).
std::uint64_t bytes_read(pid_t pid) {
  const std::string io = read_file("/proc/" + std::to_string(pid) + "/io");
  const auto at = io.find("rchar: ");
  return at == std::string::npos ? 0 : std::stoull(io.substr(at + 7));
}

// Waits until the process has read more than 1 MiB: more than a pipe holds.
bool read_a_mib(pid_t pid) {
  return wait_until([&] { return bytes_read(pid) > (1 << 20); }, 10s);
}

// Reads a FIFO to its end on a thread of its own. Opened without waiting for a writer; a
// FIFO that never had one gives no event to poll(), so the read waits for logstream.
class FifoReader {
public:
  explicit FifoReader(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
    thread_ = std::thread([this] { run(); });
  }
  ~FifoReader() {
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  /// Waits for the end of the data (all writers closed, or 20 s) and returns it.
  std::string text() {
    thread_.join();
    return text_;
  }

private:
  void run() {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[65536];
      const ssize_t got = ::read(fd_, buffer, sizeof buffer);
      if (got == 0) return;  // every writer closed: the end
      if (got > 0) text_.append(buffer, static_cast<std::size_t>(got));
    }
  }

  int fd_;
  std::string text_;
  std::thread thread_;
};

// The one-letter state in /proc/PID/stat ('S' asleep, 'T' stopped), or 0 when it is gone.
char process_state(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? 0 : stat[paren + 2];
}

std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += "out " + std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_CASE("cli phases: SIGINT and SIGTERM end a replay of an input that never ends", "[cli][phases][replay]") {
  for (const int signo : {SIGINT, SIGTERM}) {
    CliProcess cli({"replay", "/dev/zero"});
    REQUIRE(read_a_mib(cli.pid()));
    ::kill(cli.pid(), signo);
    CHECK(cli.finish(5s) == 128 + signo);
  }
}

TEST_CASE("cli phases: SIGTERM ends logstream waiting for a rules FIFO without writer", "[cli][phases][rules]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "rules.fifo").c_str(), 0600) == 0);
  CliProcess cli(run_args({"--plain", "--rules", "rules.fifo"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  // Asleep once logstream runs (its command line is ours): in open(), waiting for a writer.
  const std::string proc = "/proc/" + std::to_string(cli.pid());
  REQUIRE(wait_until([&] { return read_file(proc + "/cmdline").find("rules.fifo") != std::string::npos && process_state(cli.pid()) == 'S'; }, 10s));
  ::kill(cli.pid(), SIGTERM);
  CHECK(cli.finish(5s) == 128 + SIGTERM);
  CHECK(cli.out().empty());  // the command did not run
}

TEST_CASE("cli phases: a FIFO log without a reader fails at once, before the command runs", "[cli][phases][log]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "log.fifo").c_str(), 0600) == 0);
  CliProcess cli(run_args({"--plain", "--log", "log.fifo"}, {"exit", "0"}), CliOptions{.cwd = dir.path()});
  CHECK(cli.finish(5s) == 125);
  CHECK(cli.err().find("no reader on FIFO 'log.fifo'") != std::string::npos);
  CHECK(cli.out().empty());  // the command did not run
}

TEST_CASE("cli phases: a FIFO log is opened once and its reader gets every byte", "[cli][phases][log]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "log.fifo").c_str(), 0600) == 0);
  FifoReader reader(dir / "log.fifo");
  CliProcess cli(run_args({"--plain", "--log", "log.fifo"}, {"both", "20000"}), CliOptions{.cwd = dir.path()});
  CHECK(cli.finish() == 0);
  const std::string log = reader.text();
  std::string out_lines;  // the FIFO holds both streams interleaved by reads; stdout's in order
  for (const std::string& line : split_lines(log))
    if (line.rfind("out ", 0) == 0) out_lines += line + "\n";
  CHECK(out_lines == numbered_lines(20000));
  CHECK(split_lines(log).size() == 40000);
}

TEST_CASE("cli phases: with stdout never read, a second SIGTERM gives up with a message", "[cli][phases][signals]") {
  TempDir dir;
  // The command with its stdout a pipe that is never read.
  const auto unread_run = [](const std::string& format) { return run_args({format, "--log", "run.log"}, {"lines", "1000000"}); };
  const CliOptions unread{.cwd = dir.path(), .stdout_unread = true};
  // The second signal, the first one taken in hand: the command gives up waiting for stdout.
  const auto second_gives_up = [](CliProcess& cli, int signal) {
    ::kill(cli.pid(), signal);
    CHECK(cli.finish(10s) == 125);
    CHECK(cli.err().find("gave up waiting") != std::string::npos);
  };
  SECTION("SIGTERM twice") {
    CliProcess cli(unread_run("--plain"), unread);
    // More read from the command than the unread pipe holds: stdout is blocked (or soon will be).
    REQUIRE(read_a_mib(cli.pid()));
    REQUIRE(signal_acknowledged(cli, SIGTERM, "SIGTERM received"));
    CHECK(cli.running());  // the command is gone, but its output cannot be written
    second_gives_up(cli, SIGTERM);
    CHECK(cli.err().find("logstream: summary") != std::string::npos);
  }
  SECTION("SIGTERM twice, with --json") {
    CliProcess cli(unread_run("--json"), unread);
    REQUIRE(read_a_mib(cli.pid()));
    REQUIRE(signal_acknowledged(cli, SIGTERM, "SIGTERM received"));
    second_gives_up(cli, SIGTERM);
  }
  SECTION("Ctrl-C twice") {
    CliProcess cli(unread_run("--plain"), unread);
    REQUIRE(read_a_mib(cli.pid()));
    REQUIRE(signal_acknowledged(cli, SIGINT, "interrupt sent"));
    second_gives_up(cli, SIGINT);
  }
}

TEST_CASE("cli phases: a quick second Ctrl-C does not cut a run that ends by itself", "[cli][phases][signals]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--log", "run.log"}, {"slow", "100000", "20"}), CliOptions{.cwd = dir.path()});
  REQUIRE(cli.out_contains("slow 3\n"));
  REQUIRE(signal_acknowledged(cli, SIGINT, "interrupt sent"));
  ::kill(cli.pid(), SIGINT);
  const int status = cli.finish();
  // The child's own status, whether the second Ctrl-C came before its death (SIGKILL) or after.
  CHECK((status == 128 + SIGINT || status == 128 + SIGKILL));
  CHECK(cli.err().find("gave up") == std::string::npos);
  CHECK(read_file(dir / "run.log") == cli.out());
}

TEST_CASE("cli phases: Ctrl-Z in an orphaned process group does not stop the command", "[cli][phases][signals]") {
  TempDir dir;
  CliProcess cli(run_args({"--plain", "--log", "run.log"}, {"slow", "40", "20"}), CliOptions{.cwd = dir.path(), .new_session = true});
  REQUIRE(cli.out_contains("slow 3\n"));
  ::kill(cli.pid(), SIGTSTP);
  CHECK(cli.finish(10s) == 0);  // the command went on and finished
  CHECK(cli.err().find("Ctrl-Z ignored") != std::string::npos);
  CHECK(split_lines(read_file(dir / "run.log")).size() == 40);
}
