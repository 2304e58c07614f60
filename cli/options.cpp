// CLI11 definitions of the subcommands (see options.hpp).
#include "options.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <logstream/logstream.hpp>

namespace logstream::cli {
namespace {

constexpr const char* run_footer = R"(
CMD is executed directly (PATH is searched), never through a shell; put it after "--" so that
its own options are not read as logstream's.
Exit status: CMD's own; 128+N when it died of signal N; 127 CMD not found; 126 CMD not
executable; 125 logstream itself failed (the log file unusable or incomplete, a metrics
export or stdout failed, or it gave up waiting for output); 2 usage error.
Ctrl-C is forwarded to CMD's process group; a second Ctrl-C within 3 s kills the group.
Once CMD has ended, a second Ctrl-C or SIGTERM gives up waiting for output nobody reads.)";

// The option values are checked as text, before CLI11 converts them: a number beyond 64 bits
// must be refused, not wrapped, and NaN is no number of seconds.
CLI::Validator whole_number_in(std::uint64_t low, std::uint64_t high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high)
          return fmt::format("must be a whole number from {} to {}, got '{}'", low, high, text);
        return {};
      },
      fmt::format("{}..{}", low, high));
}

CLI::Validator seconds_in(double low, double high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || value < low || value > high)
          return fmt::format("must be a finite number of seconds from {:g} to {:g}, got '{}'", low, high, text);
        return {};
      },
      fmt::format("{:g}..{:g} s", low, high));
}

void add_rule_options(CLI::App& app, std::string& rules_file, std::vector<std::string>& rules) {
  app.add_option("--rules", rules_file, "Extraction rules file: one `name = RE2 pattern` per line")
      ->type_name("FILE");
  app.add_option("--rule", rules, "An extraction rule (RE2 with named groups); repeatable")
      ->type_name("REGEX")
      ->allow_extra_args(false);
}

void add_metrics_options(CLI::App& app, std::string& csv, std::string& json) {
  app.add_option("--metrics-csv", csv, "Write every metric observation to FILE as CSV")->type_name("FILE");
  app.add_option("--metrics-json", json, "Write the metric summaries and series to FILE as JSON")
      ->type_name("FILE");
}

void add_filter_options(CLI::App& app, FilterFlags& f) {
  const char* group = "Filters (what is shown; the log and the store keep every line)";
  app.add_option("-g,--grep", f.grep, "Show lines matching RE (repeatable: any of them)")->type_name("RE")->allow_extra_args(false)->group(group);
  app.add_option("-v,--exclude", f.exclude, "Hide lines matching RE (repeatable)")->type_name("RE")->allow_extra_args(false)->group(group);
  app.add_flag("-F,--fixed-strings", f.fixed_strings, "--grep and --exclude patterns are literal strings")->group(group);
  app.add_flag("-i,--ignore-case", f.ignore_case, "--grep and --exclude match regardless of case")->group(group);
  app.add_option("-C,--context", f.context, "Also N lines around each shown line")->type_name("N")->check(whole_number_in(0, UINT32_MAX))->group(group);
  app.add_option("-A,--after-context", f.after, "Also N lines after each shown line")->type_name("N")->check(whole_number_in(0, UINT32_MAX))->group(group);
  app.add_option("-B,--before-context", f.before, "Also N lines before each shown line")->type_name("N")->check(whole_number_in(0, UINT32_MAX))->group(group);
  app.add_option("--stream", f.stream, "Only the lines of one stream")->type_name("stdout|stderr")->check(CLI::IsMember({"stdout", "stderr"}))->group(group);
  app.add_option("--level", f.level, "Only lines of LEVEL or more severe (error, warning, info, debug)")
      ->type_name("LEVEL")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const auto level = parse_level(text);
            if (!level || *level == Level::none) return fmt::format("must be error, warning, info or debug, got '{}'", text);
            return {};
          },
          "error|warning|info|debug"))
      ->group(group);
  app.add_flag("--best", f.best, "Only the lines that announced a new best score")->group(group);
  app.add_flag("--progress", f.progress, "Only the lines that changed the progress (trial, epoch, score, bar)")->group(group);
}

void add_alert_options(CLI::App& app, AlertFlags& a) {
  const char* group = "Alerts (README: Alerts)";
  app.add_option("--alert", a.rules, "Alert when RULE fires: exit, exit:any, pattern:RE, stall:30s, metric:'loss>10 for 3', best, level:error (repeatable)")
      ->type_name("RULE")->allow_extra_args(false)->group(group);
  app.add_option("--alerts", a.file, "Alert rules from FILE, one per line (# comments)")->type_name("FILE")->group(group);
  app.add_option("--notify-webhook", a.webhooks, "POST each alert to URL (repeatable; without --alert: exit:any)")
      ->type_name("URL")->allow_extra_args(false)->group(group);
  app.add_option("--notify-format", a.format, "The webhooks' body")->type_name("json|slack|discord|ntfy")
      ->check(CLI::IsMember({"json", "slack", "discord", "ntfy"}))->group(group);
  app.add_option("--notify-exec", a.execs, "Run CMD (no shell) for each alert, the alert as JSON on its stdin (repeatable)")
      ->type_name("CMD")->allow_extra_args(false)->group(group);
  app.add_flag("--notify-desktop", a.desktop, "A desktop notification (notify-send) for each alert")->group(group);
  app.add_option("--alert-cooldown", a.cooldown, "A rule that fired stays quiet this long (default 60s)")->type_name("DURATION")->group(group);
  app.add_option("--alert-cap", a.cap, "At most N alerts an hour, 0 for no cap (default 30)")->type_name("N")->group(group);
  app.add_option("--notify-timeout", a.timeout, "Give a channel this long per try (default 10s)")->type_name("DURATION")->group(group);
}

void add_redis_options(CLI::App& app, RedisFlags& r, CLI::Option* no_store) {
  const char* group = "Redis (README: Redis)";
  app.add_option("--redis", r.url, "Ship the run to the Redis server at URL (a stream per run)")
      ->type_name("redis://HOST[:PORT][/DB]")->group(group)->excludes(no_store);
  app.add_option("--redis-prefix", r.prefix, "Prefix of the keys (default logstream: logstream:run:<id>)")->type_name("P")->group(group);
  app.add_option("--redis-maxlen", r.maxlen, "Keep about the newest N entries of the stream (XADD MAXLEN ~ N)")->type_name("N")->group(group);
}

void define_run(CLI::App& run, RunOptions& o, bool& plain, bool& json) {
  run.footer(run_footer);
  run.add_option("--log", o.log_file, "Log file (default logs/<command>-<UTC timestamp>.log)")->type_name("FILE");
  run.add_option("--buffer", o.buffer_lines, "Lines kept in memory for the display's redraws")
      ->type_name("N")
      ->check(whole_number_in(1, max_buffer_lines));
  add_rule_options(run, o.rules_file, o.rules);
  add_metrics_options(run, o.metrics_csv, o.metrics_json);
  run.add_option("--stop-timeout", o.stop_timeout_seconds,
                 "After forwarding SIGTERM/SIGHUP, SIGKILL the group if it still runs this long")
      ->type_name("SECONDS")
      ->check(seconds_in(0, max_stop_timeout_seconds));
  run.add_option("--max-drain", o.max_drain_seconds,
                 "After CMD exits, stop reading output a background process still writes after this long")
      ->type_name("SECONDS")
      ->check(seconds_in(0, max_stop_timeout_seconds));
  run.add_flag("-q,--quiet", o.quiet, "Do not show CMD's lines (the log file still gets them)");
  run.add_flag("--raw", o.raw, "Keep every byte in the log file, CR progress updates included");
  run.add_flag("--pty", o.pty,
               "Run CMD on a pseudo-terminal (stdout and stderr become one stream): for programs "
               "that buffer output on a pipe or draw progress bars only on a terminal");
  auto* plain_flag = run.add_flag("--plain", plain, "Plain lines and a periodic status line, no escape codes");
  run.add_flag("--json", json, "JSON Lines on stdout, one object per event (see the README)")->excludes(plain_flag);
  run.add_option("--name", o.name, "The run's name in the store (default: the command's base name)")->type_name("NAME");
  run.add_option("--group", o.group, "The run's group in the store (ls --group G lists a group)")->type_name("G");
  auto* no_store = run.add_flag("--no-store", o.no_store, "Do not record the run in the run store ($LOGSTREAM_HOME)");
  auto* detach = run.add_flag("-d,--detach", o.detach, "Run in the background, in a session of its own; print the run id")->excludes(no_store);
  // A flag, so that a bare --web never takes CMD for its address: the address comes after '='.
  run.add_flag(fmt::format("--web{{{}}}", web_default_address), o.web,
                 fmt::format("Serve the dashboard from this process while the run runs, opened at the run "
                             "(default {}, or a free port when taken)", default_dashboard_address))
      ->type_name("[=HOST:PORT]")
      ->excludes(no_store)
      ->excludes(detach);
  add_filter_options(run, o.filter);
  add_alert_options(run, o.alerts);
  add_redis_options(run, o.redis, no_store);
  run.add_option("command", o.command, "The command and its arguments")->required()->type_name("CMD [ARGS...]");
}

void define_replay(CLI::App& replay, ReplayOptions& o) {
  replay.add_option("file", o.file, "A log file written before")->required()->type_name("FILE");
  add_rule_options(replay, o.rules_file, o.rules);
  add_metrics_options(replay, o.metrics_csv, o.metrics_json);
  replay.add_flag("--json", o.json, "Print the summary as one JSON object");
}

void define_up(CLI::App& up, UpOptions& o) {
  up.add_option("procfile", o.procfile, "Lines 'name: command' (each run by /bin/sh -c), '#' comments; default ./Procfile")
      ->type_name("PROCFILE");
  up.add_option("--group", o.group, "The runs' group in the store (default: the current directory's name)")->type_name("G");
  up.add_option("--on-failure", o.on_failure, "When a process fails: continue (the others go on) or stop-all")
      ->type_name("continue|stop-all")
      ->transform(CLI::CheckedTransformer(std::map<std::string, UpOptions::OnFailure>{
          {"continue", UpOptions::OnFailure::keep_going}, {"stop-all", UpOptions::OnFailure::stop_all}}).description(""));
  up.add_option("--stop-timeout", o.stop_timeout_seconds, "When stopping a process: SIGKILL its group if it still runs this long after SIGTERM")
      ->type_name("SECONDS")
      ->check(seconds_in(0, max_stop_timeout_seconds));
  up.add_flag("-q,--quiet", o.quiet, "Do not show the lines, only the panel (the logs still get them)");
  up.add_flag("--plain", o.plain, "Prefixed lines only, no panel and no escape codes");
  add_filter_options(up, o.filter);
  up.footer("Exit status: 0 when every process succeeded, else the status of the first that failed\n"
            "(128+N for signal N); 2 for a bad Procfile; 125 when logstream itself failed.\n"
            "Ctrl-C stops every process (SIGTERM, SIGKILL after --stop-timeout); a second Ctrl-C kills them.");
}

constexpr const char* run_argument_help = "A run id, a unique id prefix, or a name (its latest run)";

void define_ls(CLI::App& ls, ListOptions& o) {
  ls.add_flag("--running", o.running, "Only runs that are running");
  ls.add_flag("--all", o.all, "Every run (default: the 20 newest)");
  ls.add_option("-n", o.count, "The N newest runs")->type_name("N")->check(whole_number_in(1, UINT32_MAX));
  ls.add_option("--group", o.group, "Only the runs of group G")->type_name("G");
  ls.add_flag("--json", o.json, "One JSON array of run objects (see the README)");
}

void define_show(CLI::App& show, ShowOptions& o) {
  show.add_option("run", o.run, run_argument_help)->required()->type_name("RUN");
  show.add_flag("--json", o.json, "One JSON object: the run object, its metrics, events and last lines");
}

void define_logs(CLI::App& logs, LogsOptions& o) {
  logs.add_option("run", o.run, run_argument_help)->required()->type_name("RUN");
  logs.add_option("-n", o.count, "Only the last N lines")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  logs.add_flag("--json", o.json, "JSON Lines: the line objects of run --json");
  logs.add_flag("-f,--follow", o.follow, "Then print new lines as they are written, until the run ends");
  add_filter_options(logs, o.filter);
}

void define_search(CLI::App& search, SearchCommandOptions& o) {
  search.add_option("pattern", o.pattern, "An RE2 regular expression (a literal with -F)")->required()->type_name("PATTERN");
  search.add_option("runs", o.runs, "Runs to search (id, prefix or name); default: every run of the store")->type_name("RUN...");
  search.add_flag("-F,--fixed-strings", o.fixed_strings, "PATTERN is a literal string");
  search.add_flag("-i,--ignore-case", o.ignore_case, "Match regardless of case");
  search.add_option("-C,--context", o.context, "N lines of context around each match")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  search.add_option("-A,--after-context", o.after, "N lines of context after each match")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  search.add_option("-B,--before-context", o.before, "N lines of context before each match")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  search.add_option("--since", o.since, "Only lines written in the last DURATION (30s, 15m, 12h, 7d)")->type_name("DURATION");
  search.add_option("-m,--max-count", o.max_count, "Stop after N matches in all")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  search.add_flag("--json", o.json, "JSON Lines: {run, name, seq, source, level, text, t, ts, match} per line");
  search.footer("Prints RUN:SEQ: TEXT per matching line (context lines: RUN-SEQ- TEXT, groups apart by --),\n"
                "oldest run first. Exit status as grep: 0 a line matched, 1 none did, 2 an error.");
}

void define_attach(CLI::App& attach, AttachOptions& o) {
  attach.add_option("target", o.target, "A run (id, prefix or name), or a file being written")->required()->type_name("RUN|FILE");
  attach.add_option("-n", o.count, "Begin with the last N lines (default 100)")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  attach.add_option("--buffer", o.buffer_lines, "Lines kept in memory for the display's redraws")
      ->type_name("N")
      ->check(whole_number_in(1, max_buffer_lines));
  add_rule_options(attach, o.rules_file, o.rules);
  attach.add_flag("-q,--quiet", o.quiet, "Do not show the lines, only the panel or status");
  // Both flags set the mode; the last one given wins, and they exclude each other.
  auto* plain = attach.add_flag_callback("--plain", [&o] { o.mode = OutputMode::plain; }, "Plain lines and a periodic status line");
  attach.add_flag_callback("--json", [&o] { o.mode = OutputMode::json; }, "JSON Lines on stdout (the schema of run --json)")->excludes(plain);
  add_filter_options(attach, o.filter);
}

void define_stop(CLI::App& stop, StopOptions& o) {
  stop.add_option("run", o.run, run_argument_help)->required()->type_name("RUN");
  stop.add_option("--timeout", o.timeout_seconds, "SIGKILL the run's process group if it still runs this long after SIGTERM")
      ->type_name("SECONDS")
      ->check(seconds_in(0, max_stop_timeout_seconds));
}

void define_rm(CLI::App& rm, RemoveOptions& o) {
  rm.add_option("runs", o.runs, run_argument_help)->required()->type_name("RUN...");
}

void define_prune(CLI::App& prune, PruneOptions& o) {
  prune.add_option("--keep", o.keep, "Keep the N newest runs")->type_name("N")->check(whole_number_in(0, UINT32_MAX));
  prune.add_option("--older-than", o.older_than, "Remove runs started longer ago (30s, 15m, 12h, 7d)")->type_name("DURATION");
  prune.add_option("--max-size", o.max_size, "Remove the oldest runs until the store fits (500M, 10G)")->type_name("SIZE");
  prune.footer("Without a bound: the default retention (the 500 newest runs, 20 GiB), which `run` applies after each run.\n"
               "A running run is never removed.");
}

void define_serve(CLI::App& serve, ServeOptions& o) {
  serve.add_option("--listen", o.listen, "Where to listen (port 0: a free one)")->type_name("HOST:PORT")->capture_default_str();
  serve.add_option("--allow-host", o.allowed_hosts, "A host name the browser may use besides the address (repeatable)")
      ->type_name("NAME");
  serve.add_option("--token", o.token, "The token requests need (off loopback; default: a generated one)")->type_name("TOKEN");
  serve.add_flag("--allow-control", o.allow_control, "Let the page stop runs (POST /api/runs/ID/stop); the token is then needed on loopback too");
  serve.footer("Prints the dashboard's URL on stderr and serves until Ctrl-C or SIGTERM.\n"
               "Off loopback a token is needed: open the printed URL once, the browser keeps it in a cookie.");
}

void define_collect(CLI::App& collect, CollectOptions& o) {
  collect.add_option("url", o.url, "The Redis server the runs are shipped to (run --redis)")->required()->type_name("redis://HOST[:PORT][/DB]");
  collect.add_option("--redis-prefix", o.prefix, "Prefix of the keys (default logstream)")->type_name("P");
  collect.footer("Writes every run it finds there into the local store, live, until Ctrl-C or SIGTERM; started again, it\n"
                 "goes on where it stopped.");
}

// A subcommand with options of its own: once parsed, they are the invocation.
struct Subcommand {
  CLI::App* app;
  std::function<Invocation()> parsed;
};

template <typename Options>
Subcommand subcommand(CLI::App& app, const char* name, const char* help, void (*define)(CLI::App&, Options&)) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(name, help);
  define(*sub, *options);
  return Subcommand{sub, [options] { return Invocation{*options}; }};
}

}  // namespace

Invocation parse_command_line(int argc, char** argv) {
  CLI::App app{"Run a command and watch its log: lines, training progress and metrics.", "logstream"};
  app.set_version_flag("--version", std::string("logstream ") + logstream::version());
  app.require_subcommand(1, 1);

  RunOptions run_options;
  ReplayOptions replay_options;
  bool plain = false;
  bool json = false;
  CLI::App* run = app.add_subcommand("run", "Run CMD, show its log live, save it to a file");
  define_run(*run, run_options, plain, json);
  CLI::App* replay = app.add_subcommand("replay", "Show the progress and metrics summary of an existing log");
  define_replay(*replay, replay_options);
  const std::vector<Subcommand> store_commands{
      subcommand(app, "ls", "List the recorded runs, newest first", define_ls),
      subcommand(app, "show", "Show a recorded run: its state, progress, metrics, events, last lines", define_show),
      subcommand(app, "logs", "Print a recorded run's lines", define_logs),
      subcommand(app, "attach", "Show the live display for a run recorded elsewhere, or for a file being written", define_attach),
      subcommand(app, "stop", "Stop a running run: SIGTERM to its process group, SIGKILL after a timeout", define_stop),
      subcommand(app, "rm", "Remove finished runs from the store", define_rm),
      subcommand(app, "prune", "Remove old finished runs from the store", define_prune),
      subcommand(app, "up", "Start every process of a Procfile as runs of one group; show them together", define_up),
      subcommand(app, "serve", "Serve the web dashboard of the recorded runs", define_serve),
      subcommand(app, "search", "Search the lines of every recorded run (or of the runs given), as grep", define_search),
      subcommand(app, "collect", "Write the runs shipped to a Redis server (run --redis) into the local store, live", define_collect),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);  // prints help, the version, or the error and a hint
    return status == 0 ? 0 : usage_status;
  }
  if (replay->parsed()) return replay_options;
  for (const Subcommand& command : store_commands)
    if (command.app->parsed()) return command.parsed();
  run_options.mode = json ? OutputMode::json : plain ? OutputMode::plain : OutputMode::automatic;
  return run_options;
}

}  // namespace logstream::cli
