// test_child: the child program the process tests spawn, one mode per behaviour under test.
// Output goes straight to write(2): what reaches the pipe, and when, is exactly what a mode says.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <limits.h>
#include <unistd.h>

#include "io/write_all.hpp"

namespace {

using Args = std::span<char* const>;  // the arguments after the mode name

constexpr int usage_exit_code = 2;
constexpr int write_failed_exit_code = 3;
constexpr std::size_t block_bytes = 64 * 1024;

// A failed write means the reader is gone (EPIPE with SIGPIPE ignored): nothing left to report to.
void emit(int fd, std::string_view data) {
  if (!logstream::io::write_all(fd, data).ok()) std::_Exit(write_failed_exit_code);
}

void emit(int fd, const fmt::memory_buffer& buffer) { emit(fd, {buffer.data(), buffer.size()}); }

template <typename... T>
void emit_format(int fd, fmt::format_string<T...> format, T&&... args) {
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), format, std::forward<T>(args)...);
  emit(fd, buffer);
}

[[noreturn]] void fail(std::string_view message) {
  emit_format(2, "test_child: {}\n", message);
  std::exit(usage_exit_code);
}

// Parses args[index] as a decimal in [0, max]; a missing or bad value ends the program.
std::uint64_t arg_number(Args args, std::size_t index, std::string_view what, std::uint64_t max) {
  if (index >= args.size()) fail(fmt::format("missing argument {}", what));
  const std::string_view text = args[index];
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value > max)
    fail(fmt::format("{} must be a number from 0 to {}, got '{}'", what, max, text));
  return value;
}

std::int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Sleeps the whole interval even when a signal interrupts it.
void sleep_ms(std::uint64_t ms) {
  timespec left{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1'000'000};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

// Returns at once when deadline_ns has passed; absolute, so pacing does not drift.
void sleep_until_ns(std::int64_t deadline_ns) {
  const timespec deadline{static_cast<time_t>(deadline_ns / 1'000'000'000),
                          static_cast<long>(deadline_ns % 1'000'000'000)};
  while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
}

// Adds one to the zero-padded decimal in [first, last): cheaper than formatting every line.
void increment_decimal(char* first, char* last) {
  for (char* digit = last; digit != first;) {
    --digit;
    if (*digit != '9') {
      ++*digit;
      return;
    }
    *digit = '0';
  }
}

// "line 000000001 xxxx\n", each WIDTH bytes, sent in 64 KiB writes: the throughput mode.
int mode_lines(Args args) {
  constexpr std::size_t number_at = 5, number_digits = 9, min_width = 16;
  const std::uint64_t count = arg_number(args, 0, "N", 999'999'999);
  const std::size_t width = args.size() > 1 ? arg_number(args, 1, "WIDTH", 1 << 24) : 32;
  if (width < min_width) fail(fmt::format("WIDTH must be at least {}", min_width));
  std::string line(width, 'x');
  line.replace(0, min_width - 1, "line 000000001 ");
  line.back() = '\n';
  std::vector<char> block(std::max(block_bytes, width));
  std::size_t used = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (block.size() - used < width) {
      emit(1, {block.data(), used});
      used = 0;
    }
    std::memcpy(block.data() + used, line.data(), width);
    used += width;
    increment_decimal(line.data() + number_at, line.data() + number_at + number_digits);
  }
  emit(1, {block.data(), used});
  return 0;
}

// Interleaves the two streams line by line, so tests can check both arrive complete.
int mode_both(Args args) {
  const std::uint64_t count = arg_number(args, 0, "N", UINT32_MAX);
  for (std::uint64_t i = 1; i <= count; ++i) {
    emit_format(1, "out {}\n", i);
    emit_format(2, "err {}\n", i);
  }
  return 0;
}

// C-style escapes \n \r \t \\ \0 \xHH; anything else is a mistake in the test, not a byte.
std::optional<std::string> unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i == text.size()) return std::nullopt;
    switch (text[i]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '\\': out += '\\'; break;
      case '0': out += '\0'; break;
      case 'x': {
        unsigned value = 0;
        const char* hex = text.data() + i + 1;
        if (i + 2 >= text.size() || std::from_chars(hex, hex + 2, value, 16).ptr != hex + 2)
          return std::nullopt;
        out += static_cast<char>(value);
        i += 2;
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

int mode_bytes(Args args) {
  const auto bytes = unescape(args[0]);
  if (!bytes) fail(fmt::format("bad escape in '{}' (known: \\n \\r \\t \\\\ \\0 \\xHH)", args[0]));
  emit(1, *bytes);
  return 0;
}

// The bytes of FILE in writes of 1..MAX bytes, sizes drawn from SEED, yielding now and then so
// the reader's reads split the stream in ever new places.
int mode_write_file(Args args) {
  std::FILE* file = std::fopen(args[0], "rb");
  if (!file) fail(fmt::format("cannot open '{}': {}", args[0], std::strerror(errno)));
  std::string bytes;
  char block[block_bytes];
  for (std::size_t n; (n = std::fread(block, 1, sizeof block, file)) > 0;) bytes.append(block, n);
  std::fclose(file);
  std::uint64_t state = arg_number(args, 1, "SEED", UINT64_MAX - 1) + 1;
  const std::uint64_t max_write = std::max<std::uint64_t>(1, arg_number(args, 2, "MAX", 1 << 24));
  auto next = [&state] {  // xorshift64: the same sizes for the same seed
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::string_view rest = bytes;
  while (!rest.empty()) {
    const std::size_t n = std::min<std::size_t>(rest.size(), 1 + next() % max_write);
    emit(1, rest.substr(0, n));
    rest.remove_prefix(n);
    if (next() % 4 == 0) std::this_thread::yield();
  }
  return 0;
}

// One line far larger than any read buffer, then a normal one to show framing recovered.
int mode_bigline(Args args) {
  const std::uint64_t mib = arg_number(args, 0, "MIB", 64 * 1024);
  const std::string block(1024 * 1024, 'x');
  for (std::uint64_t i = 0; i < mib; ++i) emit(1, block);
  emit(1, "\nafter\n");
  return 0;
}

int mode_burst(Args args) {
  const std::uint64_t mib = arg_number(args, 0, "MIB", 64 * 1024);
  const std::string block(1024 * 1024, 'x');
  for (std::uint64_t i = 0; i < mib; ++i) emit(1, block);
  return 0;
}

// A carriage return, then MIB MiB without newline in 64 KiB writes, then one: a progress line
// that never ends, which the reader re-delivers as a growing transient state after each read.
int mode_cr_burst(Args args) {
  const std::uint64_t mib = arg_number(args, 0, "MIB", 64 * 1024);
  const std::string block(block_bytes, 'x');
  emit(1, "\r");
  for (std::uint64_t i = 0; i < mib * (1024 * 1024 / block_bytes); ++i) emit(1, block);
  emit(1, "\nafter\n");
  return 0;
}

int mode_exit(Args args) {
  const auto code = static_cast<int>(arg_number(args, 0, "CODE", 255));
  emit(1, "bye\n");
  return code;
}

int parse_signal(std::string_view text) {
  static constexpr std::pair<std::string_view, int> names[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
      {"ABRT", SIGABRT}, {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"SEGV", SIGSEGV},
      {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"USR1", SIGUSR1},
      {"USR2", SIGUSR2}};
  if (text.starts_with("SIG")) text.remove_prefix(3);
  for (const auto& [name, number] : names)
    if (name == text) return number;
  int number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size() || number <= 0 || number >= NSIG)
    fail(fmt::format("unknown signal '{}'", text));
  return number;
}

// Dies by the signal itself, so the parent sees WIFSIGNALED, not an exit code.
int mode_signal(Args args) {
  const int signal_number = parse_signal(args[0]);
  emit(1, "dying\n");
  std::signal(signal_number, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal_number);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  std::raise(signal_number);
  fail(fmt::format("signal {} did not end the process", signal_number));
}

// Only SIGKILL ends this: tests of the escalation from a polite signal to SIGKILL.
[[noreturn]] void ignore_and_pause(bool ignore_int) {
  std::signal(SIGTERM, SIG_IGN);
  // Set SIGINT both ways: an ignored disposition survives exec (a shell's background job has one).
  std::signal(SIGINT, ignore_int ? SIG_IGN : SIG_DFL);
  emit(1, "ready\n");
  for (;;) ::pause();  // ignored signals never wake pause(), so this blocks without spinning
}

int mode_ignore_term(Args args) {
  if (!args.empty() && std::string_view{args[0]} != "ignore-int")
    fail(fmt::format("ignore-term takes only 'ignore-int', got '{}'", args[0]));
  ignore_and_pause(!args.empty());
}

int mode_ignore_int_term(Args) { ignore_and_pause(true); }

int mode_sleep(Args args) {
  const std::uint64_t ms = arg_number(args, 0, "MS", 86'400'000);
  emit(1, "start\n");
  sleep_ms(ms);
  emit(1, "end\n");
  return 0;
}

// Runs until the test closes our stdin: an end the test controls, with no timing involved.
int mode_wait_stdin(Args) {
  emit(1, "ready\n");
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(0, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0 && errno != EINTR) fail(fmt::format("read stdin: {}", std::strerror(errno)));
  }
  emit(1, "eof\n");
  return 0;
}

// The exit status arrives while the pipe stays open: the grandchild holds its write end.
int mode_grandchild(Args args) {
  const std::uint64_t ms = arg_number(args, 0, "MS", 86'400'000);
  const pid_t pid = ::fork();
  if (pid < 0) fail(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    sleep_ms(ms);
    std::_Exit(0);
  }
  emit(1, "parent done\n");
  return 0;
}

int mode_env(Args args) {
  const char* value = std::getenv(args[0]);
  emit_format(1, "{}\n", value != nullptr ? value : "<unset>");
  return 0;
}

int mode_cwd(Args) {
  std::error_code error;
  const auto path = std::filesystem::current_path(error);
  if (error) fail(fmt::format("getcwd: {}", error.message()));
  emit_format(1, "{}\n", path.string());
  return 0;
}

int mode_slow(Args args) {
  const std::uint64_t count = arg_number(args, 0, "N", UINT32_MAX);
  const std::uint64_t ms = arg_number(args, 1, "MS", 86'400'000);
  for (std::uint64_t i = 1; i <= count; ++i) {
    emit_format(1, "slow {}\n", i);
    if (i < count) sleep_ms(ms);
  }
  return 0;
}

double arg_rate(Args args, std::size_t index) {
  const std::string_view text = args[index];
  double rate = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rate);
  if (error != std::errc{} || end != text.data() + text.size() || !(rate > 0 && rate <= 1e9))
    fail(fmt::format("RATE must be a number of lines per second above 0, got '{}'", text));
  return rate;
}

// Line n is due at start + n/RATE; each line carries its write time so a reader measures latency.
int mode_paced(Args args) {
  const std::uint64_t count = arg_number(args, 0, "N", UINT32_MAX);
  const double period_ns = 1e9 / arg_rate(args, 1);
  const std::int64_t start = monotonic_ns();
  const auto due_at = [&](std::uint64_t line) {
    return start + static_cast<std::int64_t>(static_cast<double>(line) * period_ns);
  };
  fmt::memory_buffer batch;
  for (std::uint64_t next = 0; next < count;) {
    sleep_until_ns(due_at(next));
    const std::int64_t now = monotonic_ns();
    // Lines that fell due while we were behind go out in one write, as a producer catching up.
    batch.clear();
    while (next < count && due_at(next) <= now && batch.size() < block_bytes)
      fmt::format_to(std::back_inserter(batch), "seq={} t={}\n", ++next, now);
    emit(1, batch);
  }
  return 0;
}

// C stdio without fflush: block-buffered on a pipe, line-buffered on a terminal (PTY tests).
int mode_stdio(Args args) {
  const auto count = static_cast<int>(arg_number(args, 0, "N", INT32_MAX));
  for (int i = 1; i <= count; ++i) {
    std::printf("stdio %d t=%lld\n", i, static_cast<long long>(monotonic_ns()));
    if (i < count) sleep_ms(50);
  }
  return 0;  // returning from main flushes whatever stdio still holds
}

// C stdio like tqdm: CR-overwritten states, each flushed, then one newline. On a terminal the
// log file must keep only the final state.
int mode_stdio_bar(Args args) {
  const auto count = static_cast<int>(arg_number(args, 0, "N", 1'000'000));
  const std::uint64_t ms = arg_number(args, 1, "MS", 86'400'000);
  std::printf("bar start\n");
  for (int i = 1; i <= count; ++i) {
    std::printf("\rstep %3d%%|%-10s| %d/%d", i * 100 / count, std::string(static_cast<std::size_t>(i * 10 / count), '#').c_str(), i, count);
    std::fflush(stdout);
    if (i < count) sleep_ms(ms);
  }
  std::printf("\nbar done\n");
  return 0;
}

// A training job in the seed's log format: positions, models, trials with scores and BEST
// lines, metrics, and a tqdm-style bar of CR updates on stderr; MS between trials.
int mode_train(Args args) {
  const std::uint64_t positions = arg_number(args, 0, "POSITIONS", 1000);
  const std::uint64_t trials = arg_number(args, 1, "TRIALS", 100000);
  const std::uint64_t ms = arg_number(args, 2, "MS", 86'400'000);
  static constexpr std::string_view models[] = {"XGBoost", "LightGBM", "CatBoost"};
  for (std::uint64_t p = 1; p <= positions; ++p) {
    const std::string_view model = models[(p - 1) % std::size(models)];
    emit_format(1, "Position {}/{}\n=== {} Position {} ===\n", p, positions, model, p);
    double best = -1;
    for (std::uint64_t t = 1; t <= trials; ++t) {
      for (int step = 1; step <= 4; ++step)
        emit_format(2, "\rtrial {}: {:3d}%|{:<8}| {}/4 [00:00<00:00, 40.0it/s]", t, step * 25, std::string(static_cast<std::size_t>(step * 2), '#'), step);
      emit(2, "\n");
      const double score = 0.1 + 0.05 * static_cast<double>((t * 7 + p * 3) % 10);
      emit_format(1, "  Trial {}/{}: Score={:.4f}\n", t, trials, score);
      if (score > best) {
        best = score;
        emit_format(1, "    [BEST] NEW BEST! Score: {:.4f}\n", score);
      }
      emit_format(1, "epoch {} loss={:.4f} acc={:.4f}\n", t, 1.0 / static_cast<double>(t + 1), score);
      sleep_ms(ms);
    }
    emit_format(1, "Training {} model complete. Test Score: {:.4f}\n", model, best);
  }
  return 0;
}

// Killed mid-line: the reader must still deliver the unterminated tail.
int mode_kill_mid(Args args) {
  const std::uint64_t count = arg_number(args, 0, "N", UINT32_MAX);
  for (std::uint64_t i = 1; i <= count; ++i) emit_format(1, "line {}\n", i);
  emit(1, "partial line without end");
  std::raise(SIGKILL);
  return 1;
}

// stdout reaches EOF long before the process exits.
int mode_close_stdout(Args) {
  emit(1, "before close\n");
  ::close(1);
  emit(2, "still running\n");
  sleep_ms(200);
  return 0;
}

void flood_fd(int fd, char tag, std::uint64_t count) {
  fmt::memory_buffer buffer;
  for (std::uint64_t i = 1; i <= count; ++i) {
    fmt::format_to(std::back_inserter(buffer), "{} {}\n", tag, i);
    if (buffer.size() >= block_bytes - 32) {
      emit(fd, buffer);
      buffer.clear();
    }
  }
  emit(fd, buffer);
}

// Both pipes full at once from two threads: a reader serving them in turn must not deadlock.
int mode_flood(Args args) {
  const std::uint64_t count = arg_number(args, 0, "N", UINT32_MAX);
  std::thread err_writer(flood_fd, 2, 'e', count);
  flood_fd(1, 'o', count);
  err_writer.join();
  return 0;
}

// What our stdin is (the target of /proc/self/fd/0): "/dev/null", a pipe, or a stray fd.
int mode_stdin_kind(Args) {
  char target[PATH_MAX] = {};
  const ssize_t n = ::readlink("/proc/self/fd/0", target, sizeof target - 1);
  emit_format(1, "stdin {}\n", n < 0 ? std::string("closed") : std::string(target, static_cast<std::size_t>(n)));
  return 0;
}

// A group member that outlives the child and ignores SIGTERM: only the group's SIGKILL ends it.
// It closes its output (the stream ends with the child) unless told to keep it (the stream then
// ends by the drain timeout). The grandchild announces its pid once SIGTERM is ignored.
int mode_orphan_ignore_term(Args args) {
  const bool keep_output = !args.empty() && std::string_view{args[0]} == "keep-output";
  if (!args.empty() && !keep_output) fail(fmt::format("orphan-ignore-term takes only 'keep-output', got '{}'", args[0]));
  const pid_t pid = ::fork();
  if (pid < 0) fail(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    std::signal(SIGTERM, SIG_IGN);
    emit_format(1, "grandchild {} ready\n", ::getpid());
    if (!keep_output) {
      ::close(1);
      ::close(2);
    }
    for (;;) ::pause();
  }
  for (;;) ::pause();  // SIGTERM ends the child itself
}

// The child exits at once; its grandchild keeps the pipe and writes a line every MS, COUNT lines
// or until the reader goes away (the write then fails and it exits).
int mode_orphan_writer(Args args) {
  const std::uint64_t ms = arg_number(args, 0, "MS", 86'400'000);
  const std::uint64_t count = args.size() > 1 ? arg_number(args, 1, "COUNT", UINT32_MAX) : UINT64_MAX;
  const pid_t pid = ::fork();
  if (pid < 0) fail(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    for (std::uint64_t i = 1; i <= count; ++i) {
      emit_format(1, "background {}\n", i);
      if (i < count) sleep_ms(ms);
    }
    std::_Exit(0);
  }
  emit(1, "parent done\n");
  return 0;
}

struct Mode {
  std::string_view name;
  std::string_view usage;
  std::size_t min_args;
  std::size_t max_args;
  int (*run)(Args);
};

constexpr Mode modes[] = {
    {"lines", "N [WIDTH]", 1, 2, mode_lines},
    {"both", "N", 1, 1, mode_both},
    {"bytes", "ESCAPED", 1, 1, mode_bytes},
    {"write-file", "FILE SEED MAX", 3, 3, mode_write_file},
    {"bigline", "MIB", 1, 1, mode_bigline},
    {"burst", "MIB", 1, 1, mode_burst},
    {"cr-burst", "MIB", 1, 1, mode_cr_burst},
    {"exit", "CODE", 1, 1, mode_exit},
    {"signal", "SIG", 1, 1, mode_signal},
    {"ignore-term", "[ignore-int]", 0, 1, mode_ignore_term},
    {"ignore-int-term", "", 0, 0, mode_ignore_int_term},
    {"sleep", "MS", 1, 1, mode_sleep},
    {"wait-stdin", "", 0, 0, mode_wait_stdin},
    {"grandchild", "MS", 1, 1, mode_grandchild},
    {"env", "NAME", 1, 1, mode_env},
    {"cwd", "", 0, 0, mode_cwd},
    {"slow", "N MS", 2, 2, mode_slow},
    {"paced", "N RATE", 2, 2, mode_paced},
    {"stdio", "N", 1, 1, mode_stdio},
    {"stdio-bar", "N MS", 2, 2, mode_stdio_bar},
    {"train", "POSITIONS TRIALS MS", 3, 3, mode_train},
    {"kill-mid", "N", 1, 1, mode_kill_mid},
    {"close-stdout", "", 0, 0, mode_close_stdout},
    {"flood", "N", 1, 1, mode_flood},
    {"stdin-kind", "", 0, 0, mode_stdin_kind},
    {"orphan-ignore-term", "[keep-output]", 0, 1, mode_orphan_ignore_term},
    {"orphan-writer", "MS [COUNT]", 1, 2, mode_orphan_writer},
};

[[noreturn]] void usage(std::string_view problem) {
  fmt::memory_buffer text;
  fmt::format_to(std::back_inserter(text), "test_child: {}\nusage: test_child MODE [ARGS...]\n",
                 problem);
  for (const Mode& mode : modes)
    fmt::format_to(std::back_inserter(text), "  {}{}{}\n", mode.name,
                   mode.usage.empty() ? "" : " ", mode.usage);
  emit(2, text);
  std::exit(usage_exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> all(argv, static_cast<std::size_t>(argc));
  if (all.size() < 2) usage("no mode given");
  const std::string_view name = all[1];
  const Args args = all.subspan(2);
  for (const Mode& mode : modes) {
    if (mode.name != name) continue;
    if (args.size() < mode.min_args || args.size() > mode.max_args)
      usage(fmt::format("wrong number of arguments for '{}'", name));
    return mode.run(args);
  }
  usage(fmt::format("unknown mode '{}'", name));
}
