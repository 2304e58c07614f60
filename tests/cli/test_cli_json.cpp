// `logstream run --json`: every stdout line parses as JSON and matches the schema in the README.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <cstdlib>

#include <chrono>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_scale.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

bool is_uint(const Json& o, const char* key) { return o.contains(key) && o[key].is_number_unsigned(); }
bool is_int_or_null(const Json& o, const char* key) { return o.contains(key) && (o[key].is_number_integer() || o[key].is_null()); }
bool is_number_or_null(const Json& o, const char* key) { return o.contains(key) && (o[key].is_number() || o[key].is_null()); }
bool is_string(const Json& o, const char* key) { return o.contains(key) && o[key].is_string(); }

// Checks one object against the documented schema; returns what is wrong, empty when valid.
std::string schema_problem(const Json& o) {
  if (!o.is_object() || !is_string(o, "type")) return "no type";
  const std::string type = o["type"];
  if (type == "line") {
    if (!is_uint(o, "seq") || !is_string(o, "text") || !o["transient"].is_boolean() || !o["t"].is_number() ||
        !is_string(o, "ts"))
      return "bad line";
    if (o["source"] != "stdout" && o["source"] != "stderr") return "bad source";
    if (!o.contains("level")) return "no level";
    if (!o["level"].is_null() && o["level"] != "error" && o["level"] != "warning" && o["level"] != "info" &&
        o["level"] != "debug")
      return "bad level";
    return {};
  }
  if (type == "progress") {
    for (const char* key : {"position", "total_positions", "trial", "total_trials"})
      if (!is_int_or_null(o, key)) return std::string("bad progress ") + key;
    for (const char* key : {"score", "best_score"})
      if (!is_number_or_null(o, key)) return std::string("bad progress ") + key;
    if (!o.contains("model") || !(o["model"].is_string() || o["model"].is_null())) return "bad model";
    if (!o["is_best"].is_boolean() || !o["t"].is_number()) return "bad progress";
    if (!o.contains("bar") || !(o["bar"].is_null() || (o["bar"].is_object() && o["bar"]["current"].is_number())))
      return "bad bar";
    return {};
  }
  if (type == "metric") return is_string(o, "key") && is_number_or_null(o, "value") && is_uint(o, "seq") && o["t"].is_number() ? "" : "bad metric";
  if (type == "gap") return is_string(o, "sink") && is_uint(o, "first_seq") && is_uint(o, "count") ? "" : "bad gap";
  if (type == "error") return is_string(o, "message") && is_string(o, "kind") ? "" : "bad error";
  if (type == "exit") {
    if (!is_int_or_null(o, "exit_code") || !is_int_or_null(o, "signal") || !o["status"].is_number_integer() ||
        !is_uint(o, "lines") || !o["duration_s"].is_number() || !o.contains("log"))
      return "bad exit";
    return {};
  }
  return "unknown type " + type;
}

// Parses every line (each must be one JSON object) and checks the schema.
std::vector<Json> parse_events(const std::string& out) {
  std::vector<Json> events;
  for (const std::string& line : split_lines(out)) {
    INFO(line);
    Json object;
    REQUIRE_NOTHROW(object = Json::parse(line));
    CHECK(schema_problem(object).empty());
    events.push_back(std::move(object));
  }
  return events;
}

CliResult run_json(const TempDir& dir, std::vector<std::string> child) {
  std::vector<std::string> args{"run", "--json", "--", test_child_path()};
  args.insert(args.end(), child.begin(), child.end());
  return run_cli(args, CliOptions{.cwd = dir.path()});
}

}  // namespace

TEST_CASE("cli json: a training run gives lines, progress and metrics, then exit", "[cli][json]") {
  TempDir dir;
  const CliResult r = run_json(dir, {"train", "1", "3", "0"});
  REQUIRE(r.status == 0);
  const auto events = parse_events(r.out);
  REQUIRE(events.size() > 5);
  CHECK(events.back()["type"] == "exit");
  CHECK(events.back()["status"] == 0);
  CHECK(events.back()["exit_code"] == 0);
  CHECK(events.back()["signal"].is_null());
  std::uint64_t last_seq = 0;
  std::string committed;  // the committed lines, as the log file stores them
  bool saw_model = false, saw_best = false, saw_loss = false, saw_transient = false;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    const Json& e = events[i];
    CHECK(e["type"] != "exit");  // exactly one exit, the last
    if (e["type"] == "line") {
      CHECK(e["seq"].get<std::uint64_t>() > last_seq);  // in order (transient states may be left out)
      last_seq = e["seq"];
      saw_transient |= e["transient"].get<bool>();
      if (!e["transient"].get<bool>()) committed += e["text"].get<std::string>() + "\n";
      if (e["text"].get<std::string>().find("trial") == 0) CHECK(e["source"] == "stderr");
    } else if (e["type"] == "metric") {
      CHECK(e["seq"].get<std::uint64_t>() <= last_seq);  // never before the line that holds it
      if (e["key"] == "loss") saw_loss = true;
    } else if (e["type"] == "progress") {
      saw_model |= e["model"] == "XGBoost";
      saw_best |= e["best_score"] == 0.45;
    }
  }
  CHECK(saw_model);
  CHECK(saw_best);
  CHECK(saw_loss);
  CHECK(saw_transient);
  CHECK(events.back()["lines"] == last_seq);
  // No committed line is missing: they are the log file's lines, in its order.
  CHECK(committed == read_file(dir.path() / announced_log(r.err)));
}

TEST_CASE("cli json: invalid UTF-8 still gives valid JSON", "[cli][json]") {
  TempDir dir;
  const CliResult r = run_json(dir, {"bytes", "bad \\xff\\xfe byte\\n"});
  REQUIRE(r.status == 0);
  const auto events = parse_events(r.out);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["text"] == "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
}

TEST_CASE("cli json: a signal death and a missing command in the exit object", "[cli][json]") {
  TempDir dir;
  const auto killed = parse_events(run_json(dir, {"signal", "KILL"}).out);
  REQUIRE(!killed.empty());
  CHECK(killed.back()["exit_code"].is_null());
  CHECK(killed.back()["signal"] == 9);
  CHECK(killed.back()["status"] == 137);

  const CliResult missing = run_cli({"run", "--json", "--", "/nonexistent/command"}, CliOptions{.cwd = dir.path()});
  CHECK(missing.status == 127);
  const auto events = parse_events(missing.out);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "error");
  CHECK(events[0]["kind"] == "start");
  CHECK(events[1]["type"] == "exit");
  CHECK(events[1]["status"] == 127);
}

TEST_CASE("cli json: --quiet leaves out the line objects", "[cli][json]") {
  TempDir dir;
  const CliResult r = run_cli({"run", "--json", "--quiet", "--", test_child_path(), "train", "1", "2", "0"}, CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  for (const Json& e : parse_events(r.out)) CHECK(e["type"] != "line");
}

TEST_CASE("cli replay: the summary of an existing log, as text and as JSON", "[cli][replay]") {
  TempDir dir;
  REQUIRE(run_cli({"run", "--plain", "--log", "train.log", "--", test_child_path(), "train", "2", "3", "0"},
                  CliOptions{.cwd = dir.path()}).status == 0);
  const CliResult text = run_cli({"replay", "train.log"}, CliOptions{.cwd = dir.path()});
  CHECK(text.status == 0);
  CHECK(text.out.find("position 2/2, trial 3/3, model LightGBM") != std::string::npos);
  CHECK(text.out.find("loss") != std::string::npos);
  const CliResult json = run_cli({"replay", "train.log", "--json"}, CliOptions{.cwd = dir.path()});
  CHECK(json.status == 0);
  const Json summary = Json::parse(json.out);
  CHECK(summary["type"] == "replay");
  CHECK(summary["progress"]["model"] == "LightGBM");
  CHECK(summary["progress"]["total_positions"] == 2);
  CHECK(!summary["metrics"].empty());
  CHECK(run_cli({"replay", "missing.log"}, CliOptions{.cwd = dir.path()}).status == 1);
}

TEST_CASE("cli: --rule feeds a progress field", "[cli][rules]") {
  TempDir dir;
  const CliResult r = run_cli({"run", "--json", "--rule", R"(^stage (?P<position>\d+) of (?P<total_positions>\d+))", "--",
                               test_child_path(), "bytes", "stage 2 of 5\\n"},
                              CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 0);
  bool seen = false;
  for (const Json& e : parse_events(r.out))
    if (e["type"] == "progress" && e["position"] == 2 && e["total_positions"] == 5) seen = true;
  CHECK(seen);
}

TEST_CASE("cli json: pieces of an over-long line say they continue", "[cli][json]") {
  TempDir dir;
  const CliResult r = run_json(dir, {"bigline", "3"});  // 3 MiB, then "after"
  REQUIRE(r.status == 0);
  std::string whole;
  std::vector<bool> continued;
  for (const Json& e : parse_events(r.out)) {
    if (e["type"] != "line" || e["transient"].get<bool>()) continue;
    continued.push_back(e.value("continued", false));
    if (e["text"] != "after") whole += e["text"].get<std::string>();
  }
  // 1 MiB pieces: the first two continue; the third ends at the newline; "after" is short.
  CHECK(continued == std::vector<bool>{true, true, false, false});
  CHECK(whole == std::string(3u << 20, 'x'));
}

TEST_CASE("cli json: a line that never ends is not re-sent whole after every read", "[cli][json]") {
  TempDir dir;
  // 32 MiB (512 reads); a tenth of it, at least 4 MiB (64 reads), in the slow sanitizer builds,
  // which must still finish inside the run's deadline.
  const std::size_t mib = scaled<std::size_t>(32, 4);
  const auto started = std::chrono::steady_clock::now();
  const CliResult r = run_json(dir, {"cr-burst", std::to_string(mib)});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(r.status == 0);
  std::string committed;
  std::uint64_t last_seq = 0;
  std::size_t transients = 0;
  for (const Json& e : parse_events(r.out)) {
    if (e["type"] != "line") continue;
    CHECK(e["seq"].get<std::uint64_t>() > last_seq);
    last_seq = e["seq"];
    if (e["transient"].get<bool>()) ++transients;
    else committed += e["text"].get<std::string>() + (e.value("continued", false) ? "" : "\n");
  }
  INFO("JSON bytes: " << r.out.size() << ", transient states: " << transients << " in " << seconds << " s");
  // Re-sent after every read, the pending line would make one state per 64 KiB read (512 here).
  // Thinned, at most ten states a second are written (plus the last), each at most one line limit
  // (1 MiB): a bound that holds however slow the build is.
  CHECK(transients <= static_cast<std::size_t>(10 * seconds) + 2);
  CHECK(r.out.size() < (mib << 20) + (mib << 20) / 4 + transients * ((1u << 20) + 256));
  CHECK(committed == std::string(mib << 20, 'x') + "\nafter\n");
}

// A real Python program: logging's records on stderr, a warning, a real traceback, and the
// design's and Optuna's lines of one trial.
TEST_CASE("cli json: each line's level, a real traceback included, in --json and in the store", "[cli][json][levels]") {
  TempDir dir;
  const std::string script =
      "import logging, sys, warnings\n"
      "logging.basicConfig(level=logging.DEBUG)\n"
      "print('Trial 1/3', flush=True)\n"
      "print('[I 2026-12-01 12:00:00,000] Trial 0 finished with value: 0.5 and parameters: {}. "
      "Best is trial 0 with value: 0.5.', flush=True)\n"
      "logging.debug('details')\n"
      "logging.info('starting')\n"
      "logging.warning('3 features have zero variance')\n"
      "logging.error('could not read a shard')\n"
      "sys.stderr.flush()\n"
      "print('epoch 1 loss=0.5', flush=True)\n"
      "def train():\n"
      "    raise RuntimeError('CUDA out of memory. Tried to allocate 20.00 MiB')\n"
      "train()\n";
  const CliResult r = run_cli({"run", "--json", "--name", "levels", "--", "python3", "-c", script}, CliOptions{.cwd = dir.path()});
  REQUIRE(r.status == 1);
  std::map<std::string, std::string> level_of;  // text -> level ("" for none)
  std::vector<std::string> traceback_levels;
  bool in_traceback = false;
  for (const Json& e : parse_events(r.out)) {
    if (e["type"] == "progress") CHECK(e["trial"] == 1);  // Optuna's trial 0 is the design's trial 1
    if (e["type"] != "line") continue;
    const std::string text = e["text"];
    const std::string level = e["level"].is_null() ? "" : e["level"].get<std::string>();
    level_of[text] = level;
    if (text.starts_with("Traceback")) in_traceback = true;
    // stderr's lines from there on: stdout's come through another pipe, in any order with them
    if (in_traceback && e["source"] == "stderr") traceback_levels.push_back(level);
  }
  CHECK(level_of["Trial 1/3"] == "");
  CHECK(level_of["DEBUG:root:details"] == "debug");
  CHECK(level_of["INFO:root:starting"] == "info");
  CHECK(level_of["WARNING:root:3 features have zero variance"] == "warning");
  CHECK(level_of["ERROR:root:could not read a shard"] == "error");
  CHECK(level_of["epoch 1 loss=0.5"] == "");
  CHECK(level_of["RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB"] == "error");
  // The whole traceback (its header, frames, code lines, the exception) is one error.
  REQUIRE(traceback_levels.size() >= 4);
  for (const std::string& level : traceback_levels) CHECK(level == "error");

  // The store keeps each line's level: `logs --json` gives the same.
  const CliResult logs = run_cli({"logs", "levels", "--json"}, CliOptions{.cwd = dir.path()});
  REQUIRE(logs.status == 0);
  std::size_t compared = 0;
  for (const Json& e : parse_events(logs.out)) {
    const std::string text = e["text"];
    REQUIRE(level_of.contains(text));
    CHECK((e["level"].is_null() ? "" : e["level"].get<std::string>()) == level_of[text]);
    ++compared;
  }
  CHECK(compared == level_of.size());
  // A level word is not a metric.
  const CliResult show = run_cli({"show", "levels", "--json"}, CliOptions{.cwd = dir.path()});
  REQUIRE(show.status == 0);
  CHECK(show.out.find("\"WARNING\"") == std::string::npos);
}
