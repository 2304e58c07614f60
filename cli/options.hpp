// The command line of `logstream`: what each subcommand was asked to do, parsed by CLI11.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace logstream::cli {

/// How `run` shows the stream.
enum class OutputMode { automatic, plain, json };

/// The filter flags of `run`, `attach`, `logs` and `up`: which lines are shown (the log file
/// and the store keep every line). cli/filter_flags.hpp makes a LineFilter of them.
struct FilterFlags {
  std::vector<std::string> grep;     ///< -g: lines matching any
  std::vector<std::string> exclude;  ///< -v: but none of these
  bool fixed_strings = false;
  bool ignore_case = false;
  std::optional<std::size_t> context;  ///< -C: both sides, unless -A or -B says otherwise
  std::optional<std::size_t> after;
  std::optional<std::size_t> before;
  std::string stream;  ///< "", "stdout" or "stderr"
  std::string level;   ///< "": any; else that level and above
  bool best = false;
  bool progress = false;
};

/// The alert flags of `run` (cli/alert_flags.hpp makes AlertOptions of them).
struct AlertFlags {
  std::vector<std::string> rules;  ///< --alert RULE
  std::string file;                ///< --alerts FILE: a rule per line, # comments
  std::vector<std::string> webhooks;
  std::string format = "json";     ///< --notify-format of every webhook
  std::vector<std::string> execs;  ///< --notify-exec CMD, split into words
  bool desktop = false;
  std::string cooldown = "60s";
  unsigned cap = 30;
  std::string timeout = "10s";
};

/// The Redis flags of `run` (cli/redis_flags.hpp ships the run with them).
struct RedisFlags {
  std::string url;  ///< --redis redis://HOST[:PORT][/DB]; empty: no shipping
  std::string prefix = "logstream";
  std::optional<std::size_t> maxlen;
};

struct RunOptions {
  std::vector<std::string> command;  ///< argv of the child, run without a shell
  std::string log_file;              ///< empty: logs/<command>-<UTC timestamp>.log
  std::size_t buffer_lines = 500;
  std::string rules_file;
  std::vector<std::string> rules;    ///< --rule patterns, in order
  std::string metrics_csv;
  std::string metrics_json;
  double stop_timeout_seconds = 10;
  std::optional<double> max_drain_seconds;  // none: follow a background writer while it writes
  bool quiet = false;
  bool raw = false;
  bool pty = false;
  OutputMode mode = OutputMode::automatic;
  std::string name;       ///< the run's name in the store (default: the command's base name)
  std::string group;      ///< the run's group in the store (default: none)
  bool no_store = false;  ///< not recorded in the run store
  bool detach = false;    ///< -d: run in the background, print the run id
  /// --web[=HOST:PORT]: the run's process serves the dashboard; web_default_address when no
  /// address is given (the default one, or a free port when it is taken); empty: no --web.
  std::string web;
  FilterFlags filter;
  AlertFlags alerts;
  RedisFlags redis;
};

struct ReplayOptions {
  std::string file;
  std::string rules_file;
  std::vector<std::string> rules;
  std::string metrics_csv;
  std::string metrics_json;
  bool json = false;
};

/// `logstream up [PROCFILE]`: each process of a Procfile as a run of one group.
struct UpOptions {
  enum class OnFailure { keep_going, stop_all };

  std::string procfile = "Procfile";
  std::string group;  ///< default: the current directory's name
  OnFailure on_failure = OnFailure::keep_going;
  double stop_timeout_seconds = 10;
  bool quiet = false;
  bool plain = false;
  FilterFlags filter;
};

/// `logstream ls`: the store's runs, newest first.
struct ListOptions {
  bool running = false;
  bool all = false;
  std::optional<std::size_t> count;  ///< -n; default 20 (all with --all)
  std::string group;
  bool json = false;
};

/// `logstream show RUN`.
struct ShowOptions {
  std::string run;
  bool json = false;
};

/// `logstream logs RUN`.
struct LogsOptions {
  std::string run;
  std::optional<std::size_t> count;  ///< -n: the last N lines
  bool json = false;
  bool follow = false;  ///< -f: then the new lines, until the run ends
  FilterFlags filter;
};

/// `logstream search PATTERN [RUN...]`.
struct SearchCommandOptions {
  std::string pattern;
  std::vector<std::string> runs;  ///< empty: every run of the store
  bool fixed_strings = false;
  bool ignore_case = false;
  std::optional<std::size_t> context;  ///< -C: both sides, unless -A or -B says otherwise
  std::optional<std::size_t> after;
  std::optional<std::size_t> before;
  std::optional<std::string> since;
  std::optional<std::uint64_t> max_count;
  bool json = false;
};

/// `logstream attach RUN|FILE`.
struct AttachOptions {
  std::string target;
  std::optional<std::size_t> count;  ///< -n: history lines to begin with (default 100)
  std::size_t buffer_lines = 500;
  std::string rules_file;
  std::vector<std::string> rules;
  bool quiet = false;
  OutputMode mode = OutputMode::automatic;
  FilterFlags filter;
};

/// `logstream stop RUN`.
struct StopOptions {
  std::string run;
  double timeout_seconds = 10;
};

/// `logstream rm RUN...`.
struct RemoveOptions {
  std::vector<std::string> runs;
};

/// `logstream prune`: without a bound, the default retention.
struct PruneOptions {
  std::optional<std::size_t> keep;
  std::optional<std::string> older_than;  ///< DURATION: 30s, 15m, 12h, 7d
  std::optional<std::string> max_size;    ///< SIZE: 500M, 10G
};

/// `logstream serve`: the web dashboard of the store.
/// Where `serve` and `run --web` listen unless told.
inline constexpr const char* default_dashboard_address = "127.0.0.1:8411";

/// The value of a bare `run --web`.
inline constexpr const char* web_default_address = "default";

struct ServeOptions {
  std::string listen = default_dashboard_address;
  std::vector<std::string> allowed_hosts;
  std::string token;
  bool allow_control = false;
};

/// `logstream collect redis://HOST[:PORT][/DB]`.
struct CollectOptions {
  std::string url;
  std::string prefix = "logstream";
};

/// The parse's outcome: a subcommand to run, or an exit status to return at once (help,
/// version, usage errors; their text is already printed).
using Invocation = std::variant<RunOptions, ReplayOptions, ListOptions, ShowOptions, LogsOptions, StopOptions, RemoveOptions,
                                PruneOptions, AttachOptions, UpOptions, ServeOptions, SearchCommandOptions, CollectOptions, int>;

/// --buffer's limit: the history costs about 100 bytes a line besides its text (the text
/// itself is bounded by bytes, 8 MiB), so this keeps an empty-lines flood near 100 MB.
inline constexpr std::uint64_t max_buffer_lines = 1'000'000;
/// --stop-timeout's limit (11.6 days); past ~9.3e15 s the milliseconds no longer fit.
inline constexpr double max_stop_timeout_seconds = 1e6;

/// Exit status for usage errors (as getopt-based tools use).
inline constexpr int usage_status = 2;

Invocation parse_command_line(int argc, char** argv);

}  // namespace logstream::cli
