// simulated_trainer: a fake training job for the demo, printing the seed's log format at a human
// pace. Log lines go to stdout; a tqdm-style bar of CR updates and the odd warning go to stderr.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace {

struct TrainerOptions {
  bool fast = false;  // no delays: the same output, as fast as the reader takes it
  std::uint32_t seed = 42;
  int positions = 6;
  int trials = 15;
};

// The default run (6 positions of 15 trials) takes about 7 s with these delays.
constexpr int header_pause_ms = 100;
constexpr int bar_steps = 100;
constexpr int bar_updates = 20;
constexpr int bar_update_ms = 15;
constexpr int trial_ms = 45;
constexpr int completion_pause_ms = 100;

constexpr std::string_view models[] = {"XGBoost", "LightGBM", "CatBoost", "RandomForest",
                                       "ExtraTrees"};
constexpr const char* warnings[] = {
    "WARNING: validation loss plateaued; lowering learning rate to 1e-4",
    "UserWarning: early stopping triggered; keeping the best iteration",
    "WARNING: 3 features have zero variance and were dropped",
};

// Each call is one write(2): the reader sees every line the moment it is printed, as with
// Python's print(..., flush=True), and stdout and stderr never wait on a stdio buffer.
void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      std::exit(1);  // the reader is gone; nobody is left to tell
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

[[gnu::format(printf, 2, 3)]] void print_to(int fd, const char* format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  const int length = std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  write_all(fd, {line, static_cast<std::size_t>(std::clamp(length, 0, int{sizeof line} - 1))});
}

void pause_ms(const TrainerOptions& options, int ms) {
  if (options.fast) return;
  timespec left{ms / 1000, static_cast<long>(ms % 1000) * 1'000'000};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

std::string clock_text(double seconds) {
  const auto whole = static_cast<long>(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%02ld:%02ld", whole / 60, whole % 60);
  return text;
}

// tqdm's ascii bar: '#' per full tenth, then one digit for the partial tenth, space padded.
std::string bar_cells(int done, int total) {
  const int tenths = done * 100 / total;  // in hundredths of the bar's 10 cells
  std::string cells(static_cast<std::size_t>(tenths / 10), '#');
  if (tenths % 10 != 0 && cells.size() < 10) cells += static_cast<char>('0' + tenths % 10);
  cells.resize(10, ' ');
  return cells;
}

// Times come from the simulated rate, not the wall clock, so --fast output is reproducible.
void print_bar_state(int done, int total, double items_per_s) {
  const std::string cells = bar_cells(done, total);
  if (done == 0) {
    print_to(2, "\rfit:   0%%|%s| 0/%d [00:00<?, ?it/s]", cells.c_str(), total);
    return;
  }
  const double elapsed_s = done / items_per_s;
  const double left_s = (total - done) / items_per_s;
  print_to(2, "\rfit: %3d%%|%s| %d/%d [%s<%s, %.2fit/s]", done * 100 / total, cells.c_str(), done,
           total, clock_text(elapsed_s).c_str(), clock_text(left_s).c_str(), items_per_s);
}

void run_fit_bar(const TrainerOptions& options, std::mt19937& rng) {
  const double items_per_s = std::uniform_real_distribution<double>(25.0, 40.0)(rng);
  print_bar_state(0, bar_steps, items_per_s);
  for (int update = 1; update <= bar_updates; ++update) {
    pause_ms(options, bar_update_ms);
    print_bar_state(update * bar_steps / bar_updates, bar_steps, items_per_s);
  }
  write_all(2, "\n");  // tqdm's close(): the bar's final state becomes a line
}

void print_epoch_metrics(int epoch, std::mt19937& rng) {
  std::uniform_real_distribution<double> noise(-0.02, 0.02);
  const double decay = std::exp(-0.35 * epoch);
  const double loss = 0.25 + 0.6 * decay + noise(rng);
  const double accuracy = 0.92 - 0.3 * decay + noise(rng);
  print_to(1, "epoch=%d loss=%.4f acc=%.4f lr=%s\n", epoch, loss, accuracy,
           epoch < 3 ? "3e-4" : "1e-4");
}

void train_position(const TrainerOptions& options, int position, std::mt19937& rng) {
  const std::string_view model = models[static_cast<std::size_t>(position - 1) % std::size(models)];
  print_to(1, "Position %d/%d\n", position, options.positions);
  print_to(1, "=== %.*s Position %d ===\n", static_cast<int>(model.size()), model.data(), position);
  pause_ms(options, header_pause_ms);
  run_fit_bar(options, rng);
  std::uniform_real_distribution<double> score_of(0.10, 0.50);
  const int warn_at = std::uniform_int_distribution<int>(1, 3 * options.trials)(rng);
  double best = -1.0;
  for (int trial = 1; trial <= options.trials; ++trial) {
    pause_ms(options, trial_ms);
    const double score = score_of(rng);
    print_to(1, "  Trial %d/%d: Score=%.4f\n", trial, options.trials, score);
    if (score > best) {
      best = score;
      print_to(1, "    [BEST] NEW BEST! Score: %.4f\n", score);
    }
    if (trial % 5 == 0) print_epoch_metrics(trial / 5, rng);
    // About one position in three warns once, as real jobs do now and then.
    if (trial == warn_at) print_to(2, "%s\n", warnings[rng() % std::size(warnings)]);
  }
  pause_ms(options, completion_pause_ms);
  const double test_score = best - std::uniform_real_distribution<double>(0.0, 0.03)(rng);
  print_to(1, "Training %.*s model complete. Test Score: %.4f\n", static_cast<int>(model.size()),
           model.data(), test_score);
}

[[noreturn]] void usage(int exit_code) {
  print_to(exit_code == 0 ? 1 : 2,
           "usage: simulated_trainer [--fast] [--seed N] [--positions N] [--trials N]\n"
           "  prints a training log in the format logstream extracts progress from\n");
  std::exit(exit_code);
}

std::uint32_t parse_number(const char* text, std::uint32_t min, std::uint32_t max) {
  const std::string_view view = text;
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (error != std::errc{} || end != view.data() + view.size() || value < min || value > max) {
    print_to(2, "simulated_trainer: expected a number from %u to %u, got '%s'\n", min, max, text);
    usage(2);
  }
  return value;
}

TrainerOptions parse_options(int argc, char** argv) {
  TrainerOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--fast") {
      options.fast = true;
    } else if (arg == "--help" || arg == "-h") {
      usage(0);
    } else if (arg == "--seed" && has_value) {
      options.seed = parse_number(argv[++i], 0, UINT32_MAX);
    } else if (arg == "--positions" && has_value) {
      options.positions = static_cast<int>(parse_number(argv[++i], 1, 10'000));
    } else if (arg == "--trials" && has_value) {
      options.trials = static_cast<int>(parse_number(argv[++i], 1, 1'000'000));
    } else {
      print_to(2, "simulated_trainer: unknown or incomplete option '%s'\n", argv[i]);
      usage(2);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const TrainerOptions options = parse_options(argc, argv);
  std::mt19937 rng(options.seed);
  for (int position = 1; position <= options.positions; ++position)
    train_position(options, position, rng);
  return 0;
}
