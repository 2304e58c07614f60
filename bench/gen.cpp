// gen: the benchmark's load generator. Writes a training log whose every line carries its sequence
// number, as fast as the pipe takes it or paced at a given rate, so a reader can check it all.
//
// Line layout: "<text> #<seq>\n", or "<text> #<seq> t=<CLOCK_MONOTONIC ns>\n" with --stamp. A
// tqdm-style line is several "\r<bar state> #<seq>" segments (same seq) and then one "\n".
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

namespace {

constexpr int error_exit_code = 2;
constexpr std::size_t buffer_bytes = 256 * 1024;
constexpr std::size_t max_suffix_bytes = 64;  // " #" + 20 digits + " t=" + 20 digits, rounded up

struct GenOptions {
  std::uint64_t lines = 5'000'000;
  double rate_per_s = 0;  // 0: unpaced
  bool plain = false;
  bool stamp = false;
  bool verbose = false;
};

[[gnu::format(printf, 1, 2)]] std::string format(const char* pattern, ...) {
  char text[256];
  va_list args;
  va_start(args, pattern);
  const int length = std::vsnprintf(text, sizeof text, pattern, args);
  va_end(args);
  return {text, static_cast<std::size_t>(std::clamp(length, 0, int{sizeof text} - 1))};
}

[[noreturn]] void fail(const std::string& message) {
  const std::string line = "gen: " + message + "\n";
  [[maybe_unused]] const ssize_t ignored = ::write(2, line.data(), line.size());
  std::exit(error_exit_code);
}

std::uint64_t bytes_written = 0;  // for --verbose

void write_all(const char* data, std::size_t size) {
  bytes_written += size;
  while (size > 0) {
    const ssize_t written = ::write(1, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(format("write to stdout: %s", std::strerror(errno)));
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

std::int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

void sleep_until_ns(std::int64_t deadline_ns) {
  const timespec deadline{static_cast<time_t>(deadline_ns / 1'000'000'000),
                          static_cast<long>(deadline_ns % 1'000'000'000)};
  while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
}

// The line texts, precomputed so the fast path is memcpy. A line is one or more segments.
class LinePool {
public:
  void add_line(std::string_view text) { add_segment(text, true); }
  void add_segment(std::string_view text, bool ends_line) {
    segments_.push_back({storage_.size(), text.size(), ends_line});
    storage_ += text;
    current_line_bytes_ += text.size() + max_suffix_bytes;
    if (!ends_line) return;
    max_line_bytes_ = std::max(max_line_bytes_, current_line_bytes_ + 1);
    current_line_bytes_ = 0;
  }
  std::size_t max_line_bytes() const { return max_line_bytes_; }

private:
  friend class LineWriter;
  struct Segment {
    std::size_t offset;
    std::size_t length;
    bool ends_line;
  };
  std::string storage_;
  std::vector<Segment> segments_;
  std::size_t current_line_bytes_ = 0;
  std::size_t max_line_bytes_ = 0;
};

// The sequence number as text, incremented in place: no division per line.
class DecimalCounter {
public:
  DecimalCounter() { digits_[sizeof digits_ - 1] = '1'; }
  std::string_view text() const { return {first_, digits_ + sizeof digits_}; }
  void increment() {
    for (char* digit = digits_ + sizeof digits_; digit != first_;) {
      if (*--digit != '9') {
        ++*digit;
        return;
      }
      *digit = '0';
    }
    *--first_ = '1';  // 20 digits outlast any uint64_t line count, so first_ stays in digits_
  }

private:
  char digits_[21] = {};
  char* first_ = digits_ + sizeof digits_ - 1;
};

// Cycles through the pool, appending each line with its sequence number (and stamp).
class LineWriter {
public:
  explicit LineWriter(const LinePool& pool) : pool_(pool) {}

  // out must have room for pool.max_line_bytes(); returns the end of what was appended.
  char* append_line(char* out, std::string_view stamp) {
    for (;;) {
      const LinePool::Segment& segment = pool_.segments_[next_];
      next_ = next_ + 1 == pool_.segments_.size() ? 0 : next_ + 1;
      out = append(out, {pool_.storage_.data() + segment.offset, segment.length});
      out = append(out, " #");
      out = append(out, seq_.text());
      out = append(out, stamp);
      if (segment.ends_line) {
        *out++ = '\n';
        seq_.increment();
        return out;
      }
    }
  }

private:
  static char* append(char* out, std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
  }
  const LinePool& pool_;
  std::size_t next_ = 0;
  DecimalCounter seq_;
};

// tqdm's ascii bar at a percentage: '#' per full tenth, one digit for the partial tenth.
std::string bar_state(int percent, double items_per_s) {
  std::string cells(static_cast<std::size_t>(percent / 10), '#');
  if (percent % 10 != 0) cells += static_cast<char>('0' + percent % 10);
  cells.resize(10, ' ');
  const int elapsed_s = static_cast<int>(percent / items_per_s);
  const int left_s = static_cast<int>((100 - percent) / items_per_s);
  return format("\r%3d%%|%s| %d/100 [00:%02d<00:%02d, %.1fit/s]", percent, cells.c_str(), percent,
                elapsed_s, left_s, items_per_s);
}

void add_bar(LinePool& pool, std::mt19937& rng) {
  const double items_per_s = std::uniform_real_distribution<double>(20.0, 60.0)(rng);
  for (int percent = 0; percent <= 100; percent += 25)
    pool.add_segment(bar_state(percent, items_per_s), percent == 100);
}

void add_chatter(LinePool& pool, std::mt19937& rng, int position, int trial) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int step = (position * 15 + trial) * 100;
  pool.add_line(format("epoch=%d step=%d loss=%.4f acc=%.4f lr=3e-4 grad_norm=%.3f", trial, step,
                       0.2 + 0.7 * unit(rng), 0.6 + 0.35 * unit(rng), 2.0 * unit(rng)));
  pool.add_line(format("2024-05-01 12:%02d:%02d,%03d INFO data: shard %d/64 loaded in %d ms",
                       position * 7 % 60, trial * 4 % 60, static_cast<int>(rng() % 1000),
                       trial * 4 % 64 + 1, static_cast<int>(rng() % 90) + 10));
}

// One pass of the seed's format: 6 positions of 15 trials, with metrics, bars and plain text.
void add_training_lines(LinePool& pool, std::mt19937& rng) {
  constexpr const char* models[] = {"XGBoost", "LightGBM", "CatBoost", "RandomForest"};
  constexpr int positions = 6, trials = 15;
  std::uniform_real_distribution<double> score_of(0.10, 0.50);
  for (int position = 1; position <= positions; ++position) {
    const char* model = models[(position - 1) % 4];
    pool.add_line(format("Position %d/%d", position, positions));
    pool.add_line(format("=== %s Position %d ===", model, position));
    double best = -1;
    for (int trial = 1; trial <= trials; ++trial) {
      if (trial % 5 == 1) add_bar(pool, rng);
      const double score = score_of(rng);
      pool.add_line(format("  Trial %d/%d: Score=%.4f", trial, trials, score));
      if (score > best) pool.add_line(format("    [BEST] NEW BEST! Score: %.4f", best = score));
      add_chatter(pool, rng, position, trial);
    }
    pool.add_line(format("Training %s model complete. Test Score: %.4f", model, best - 0.01));
  }
}

// Text with nothing to extract: the baseline for what extraction costs.
void add_plain_lines(LinePool& pool, std::mt19937& rng) {
  constexpr std::string_view words[] = {"request", "served", "cache", "miss", "worker", "queue",
                                        "flushed", "segment", "replica", "lag", "ok", "retrying"};
  for (int line = 0; line < 1024; ++line) {
    std::string text = format("%04d", line);
    const std::size_t length = 40 + rng() % 40;
    while (text.size() < length) (text += ' ') += words[rng() % std::size(words)];
    pool.add_line(text);
  }
}

std::string stamp_text(std::int64_t now_ns) {
  char text[32] = " t=";
  const auto end = std::to_chars(text + 3, text + sizeof text, now_ns).ptr;
  return {text, end};
}

// Fills whole buffers as fast as write(2) drains them; a stamp is the time its buffer was filled.
void run_unpaced(const GenOptions& options, LineWriter& writer, std::size_t max_line_bytes) {
  std::vector<char> buffer(std::max(buffer_bytes, 2 * max_line_bytes));
  const char* const limit = buffer.data() + buffer.size() - max_line_bytes;
  for (std::uint64_t written = 0; written < options.lines;) {
    const std::string stamp = options.stamp ? stamp_text(monotonic_ns()) : std::string{};
    char* out = buffer.data();
    for (; written < options.lines && out <= limit; ++written) out = writer.append_line(out, stamp);
    write_all(buffer.data(), static_cast<std::size_t>(out - buffer.data()));
  }
}

// Line n is due at start + n/rate. Sleeping to an absolute deadline keeps the rate from drifting;
// lines that fell due while we were behind go out in one write, stamped just before it.
void run_paced(const GenOptions& options, LineWriter& writer, std::size_t max_line_bytes) {
  std::vector<char> buffer(std::max(buffer_bytes, 2 * max_line_bytes));
  const char* const limit = buffer.data() + buffer.size() - max_line_bytes;
  const double period_ns = 1e9 / options.rate_per_s;
  const std::int64_t start_ns = monotonic_ns();
  const auto due_ns = [&](std::uint64_t line) {
    return start_ns + static_cast<std::int64_t>(static_cast<double>(line) * period_ns);
  };
  for (std::uint64_t written = 0; written < options.lines;) {
    sleep_until_ns(due_ns(written));
    const std::int64_t now_ns = monotonic_ns();
    const std::string stamp = options.stamp ? stamp_text(now_ns) : std::string{};
    char* out = buffer.data();
    for (; written < options.lines && due_ns(written) <= now_ns && out <= limit; ++written)
      out = writer.append_line(out, stamp);
    write_all(buffer.data(), static_cast<std::size_t>(out - buffer.data()));
  }
}

[[noreturn]] void usage(int exit_code) {
  constexpr std::string_view text =
      "usage: gen [--lines N] [--rate LINES_PER_S] [--mix realistic|plain] [--stamp] [--verbose]\n"
      "  writes N lines (default 5000000) to stdout, each ending \" #<seq>\" (and \" t=<ns>\")\n";
  const int fd = exit_code == 0 ? 1 : 2;
  [[maybe_unused]] const ssize_t ignored = ::write(fd, text.data(), text.size());
  std::exit(exit_code);
}

template <typename Number>
Number parse_number(std::string_view name, std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < Number{})
    fail(format("%.*s needs a non-negative number, got '%.*s'", static_cast<int>(name.size()),
                name.data(), static_cast<int>(text.size()), text.data()));
  return value;
}

GenOptions parse_options(int argc, char** argv) {
  GenOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 == argc) fail(format("%s needs a value", argv[i]));
      return argv[++i];
    };
    if (arg == "--lines") {
      options.lines = parse_number<std::uint64_t>(arg, value());
    } else if (arg == "--rate") {
      options.rate_per_s = parse_number<double>(arg, value());  // 0 keeps it unpaced
    } else if (arg == "--mix") {
      const std::string_view mix = value();
      if (mix != "realistic" && mix != "plain") fail("--mix is realistic or plain");
      options.plain = mix == "plain";
    } else if (arg == "--stamp") {
      options.stamp = true;
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else if (arg == "--help" || arg == "-h") {
      usage(0);
    } else {
      fail(format("unknown option '%s' (see --help)", argv[i]));
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const GenOptions options = parse_options(argc, argv);
  LinePool pool;
  std::mt19937 rng(20240501);  // fixed: every run writes the same bytes
  if (options.plain) add_plain_lines(pool, rng);
  else add_training_lines(pool, rng);
  LineWriter writer(pool);
  const std::int64_t start_ns = monotonic_ns();
  if (options.rate_per_s > 0) run_paced(options, writer, pool.max_line_bytes());
  else run_unpaced(options, writer, pool.max_line_bytes());
  if (options.verbose) {
    const double seconds = static_cast<double>(monotonic_ns() - start_ns) / 1e9;
    std::fprintf(stderr, "gen: %llu lines, %llu bytes in %.3f s (%.0f lines/s, %.0f MB/s)\n",
                 static_cast<unsigned long long>(options.lines),
                 static_cast<unsigned long long>(bytes_written), seconds,
                 static_cast<double>(options.lines) / seconds,
                 static_cast<double>(bytes_written) / seconds / 1e6);
  }
  return 0;
}
