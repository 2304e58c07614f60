// AlertEngine: which alerts fire, with what context and what was suppressed, checked against a
// small model of the rules over random lines, metrics, scores and silences; and each rule's
// edges (once per condition, once per traceback, once per silence).
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "alerts/alert_engine.hpp"

namespace {

using namespace logstream;
using Clock = AlertEngine::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One step of a stream: a line (with what extraction found in it), or the clock moving.
struct Step {
  bool tick = false;
  Clock::duration advance{};  // before the step
  std::string text;
  Source source = Source::out;
  bool transient = false;
  Level level = Level::none;
  std::vector<std::pair<std::string, double>> metrics;
  std::optional<double> best;  // the progress's best score after the line, if it changed
};

struct Expected {
  std::size_t rule = 0;
  std::uint64_t seq = 0;
  std::uint64_t suppressed = 0;
  std::vector<std::string> context;
};

// A metric condition, as the orderings of the value against the threshold each comparison
// accepts (a NaN value is unordered to any threshold: only != accepts it). Against a NaN
// threshold only = and != mean anything: `loss=nan` asks whether the loss is NaN.
bool holds(Comparison c, double v, double t) {
  if (std::isnan(t)) return c == Comparison::equal ? std::isnan(v) : c == Comparison::not_equal && !std::isnan(v);
  static const std::map<Comparison, std::array<bool, 4>> accepts = {
      //                            less   equal  greater unordered
      {Comparison::less,          {true,  false, false,  false}},
      {Comparison::less_equal,    {true,  true,  false,  false}},
      {Comparison::greater,       {false, false, true,   false}},
      {Comparison::greater_equal, {false, true,  true,   false}},
      {Comparison::equal,         {false, true,  false,  false}},
      {Comparison::not_equal,     {true,  false, true,   true}},
  };
  const std::size_t order = v < t ? 0 : v == t ? 1 : v > t ? 2 : 3;
  return accepts.at(c)[order];
}

// The model: each rule's triggers in the order the stream meets them, then the cooldown and the
// cap over them. Patterns in these tests are literal words.
std::vector<Expected> model(const std::vector<AlertRule>& rules, const std::vector<Step>& steps, milliseconds cooldown,
                            unsigned cap) {
  struct Trigger {
    std::size_t rule;
    std::uint64_t seq;
    Clock::duration at;
    std::size_t line_index;  // into the final lines, for context; npos: none
  };
  std::vector<Trigger> triggers;
  std::vector<std::string> finals;  // non-transient lines' texts
  std::vector<unsigned> runs(rules.size(), 0);
  std::vector<std::array<Level, 2>> last_level(rules.size(), {Level::none, Level::none});
  std::vector<bool> stalled(rules.size(), false);
  std::optional<double> best;
  Clock::duration now{};
  Clock::duration last_output{};
  std::uint64_t seq = 0;
  for (const Step& s : steps) {
    now += s.advance;
    if (s.tick) {
      for (std::size_t r = 0; r < rules.size(); ++r)
        if (rules[r].kind == AlertKind::stall && !stalled[r] && now - last_output >= rules[r].stall) {
          stalled[r] = true;
          triggers.push_back({r, 0, now, std::string::npos});
        }
      continue;
    }
    ++seq;
    last_output = now;
    std::fill(stalled.begin(), stalled.end(), false);
    if (!s.transient) finals.push_back(s.text);
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const AlertRule& rule = rules[r];
      switch (rule.kind) {
        case AlertKind::pattern:
          if (!s.transient && s.text.find(rule.pattern) != std::string::npos) triggers.push_back({r, seq, now, finals.size() - 1});
          break;
        case AlertKind::level: {
          if (s.transient) break;
          Level& last = last_level[r][static_cast<std::size_t>(s.source)];
          if (s.level >= rule.level && last < rule.level) triggers.push_back({r, seq, now, std::string::npos});
          last = s.level;
          break;
        }
        case AlertKind::metric:
          for (const auto& [key, value] : s.metrics) {
            if (key != rule.metric) continue;
            if (!holds(rule.comparison, value, rule.threshold)) runs[r] = 0;
            else if (++runs[r] == rule.consecutive) triggers.push_back({r, seq, now, std::string::npos});
          }
          break;
        case AlertKind::best:
          if (s.best && s.best != best) triggers.push_back({r, seq, now, std::string::npos});
          break;
        default: break;
      }
    }
    if (s.best) best = s.best;
  }
  std::vector<Expected> out;
  std::vector<std::optional<Clock::duration>> last_fired(rules.size());
  std::vector<std::uint64_t> suppressed(rules.size(), 0);
  std::vector<Clock::duration> admitted;
  for (const Trigger& t : triggers) {
    std::size_t in_hour = 0;
    for (auto a : admitted) in_hour += t.at - a < std::chrono::hours(1);
    const bool cooling = last_fired[t.rule] && t.at - *last_fired[t.rule] < cooldown;
    if (cooling || (cap != 0 && in_hour >= cap)) {
      ++suppressed[t.rule];
      continue;
    }
    last_fired[t.rule] = t.at;
    admitted.push_back(t.at);
    Expected e{t.rule, t.seq, suppressed[t.rule], {}};
    suppressed[t.rule] = 0;
    if (t.line_index != std::string::npos) {
      const std::size_t from = t.line_index >= 10 ? t.line_index - 10 : 0;
      const std::size_t to = std::min(finals.size(), t.line_index + 10);
      e.context.assign(finals.begin() + static_cast<std::ptrdiff_t>(from), finals.begin() + static_cast<std::ptrdiff_t>(to));
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Alert> run_engine(const std::vector<AlertRule>& rules, const std::vector<Step>& steps, milliseconds cooldown,
                              unsigned cap) {
  const Clock::time_point start{};
  AlertEngine engine(AlertOptions{.rules = rules, .cooldown = cooldown, .hourly_cap = cap}, start);
  Clock::time_point now = start;
  std::uint64_t seq = 0;
  TrainingProgress progress;
  std::vector<Alert> out;
  for (const Step& s : steps) {
    now += s.advance;
    if (s.tick) {
      engine.tick(now);
      continue;
    }
    Line line{{.seq = ++seq, .source = s.source, .transient = s.transient}, s.text};
    std::vector<MetricStore::Observation> observations;
    for (const auto& [key, value] : s.metrics) observations.push_back({key, value});
    const TrainingProgress* changed = nullptr;
    if (s.best) {
      progress.best_score = s.best;
      changed = &progress;
    }
    engine.line(line, s.level, observations, changed, now);
  }
  engine.take(out, true);
  return out;
}

std::size_t rule_index(const std::vector<AlertRule>& rules, const Alert& alert) {
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].text == alert.rule) return i;
  return rules.size();
}

}  // namespace

TEST_CASE("AlertEngine agrees with a model of the rules over random streams", "[alerts][model]") {
  const std::vector<AlertRule> rules = {
      AlertRule::parse("pattern:CUDA"),      AlertRule::parse("pattern:nan"),     AlertRule::parse("level:error"),
      AlertRule::parse("level:warning"),     AlertRule::parse("metric:loss>10"),  AlertRule::parse("metric:loss=nan"),
      AlertRule::parse("metric:acc>=0.9 for 3"), AlertRule::parse("best"),       AlertRule::parse("stall:30s"),
      AlertRule::parse("stall:2m"),
  };
  const std::vector<std::string> words = {"CUDA out of memory", "loss is nan", "plain", "epoch done", "nan CUDA", "ok"};
  std::mt19937 rng(20261203);
  for (int round = 0; round < 300; ++round) {
    const milliseconds cooldown = std::vector<milliseconds>{milliseconds(0), seconds(5), seconds(60)}[rng() % 3];
    const unsigned cap = std::vector<unsigned>{0, 3, 30}[rng() % 3];
    std::vector<Step> steps;
    double score = 0.5;
    for (int i = 0; i < 200; ++i) {
      Step s;
      s.advance = milliseconds(rng() % 20000);
      if (rng() % 8 == 0) {
        s.tick = true;
        s.advance = seconds(rng() % 150);
      } else {
        s.text = words[rng() % words.size()] + " " + std::to_string(i);
        s.source = rng() % 3 == 0 ? Source::err : Source::out;
        s.transient = rng() % 10 == 0;
        s.level = static_cast<Level>(rng() % 5);
        if (rng() % 3 == 0) {
          const double v = rng() % 7 == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(rng() % 20);
          s.metrics.emplace_back("loss", v);
        }
        if (rng() % 3 == 0) s.metrics.emplace_back("acc", (rng() % 3 == 0) ? 0.8 : 0.95);
        if (rng() % 6 == 0) {
          if (rng() % 2 == 0) score += 0.01;
          s.best = score;
        }
      }
      steps.push_back(std::move(s));
    }
    const std::vector<Expected> expected = model(rules, steps, cooldown, cap);
    const std::vector<Alert> got = run_engine(rules, steps, cooldown, cap);
    INFO("round " << round << " cooldown " << cooldown.count() << " cap " << cap);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("alert " << i << ": " << got[i].rule << " " << got[i].message);
      CHECK(rule_index(rules, got[i]) == expected[i].rule);
      CHECK(got[i].kind == rules[expected[i].rule].kind);
      CHECK(got[i].seq == expected[i].seq);
      CHECK(got[i].suppressed == expected[i].suppressed);
      CHECK(got[i].context == expected[i].context);
    }
  }
}

TEST_CASE("AlertEngine: each rule fires at its edge, not on every line after it", "[alerts]") {
  const auto now = Clock::time_point{} + seconds(1);
  auto feed = [](AlertEngine& e, std::uint64_t seq, std::string_view text, Level level, std::vector<MetricStore::Observation> obs,
                 Clock::time_point at, Source source = Source::err) {
    e.line(Line{{.seq = seq, .source = source}, text}, level, obs, nullptr, at);
  };
  SECTION("a traceback is one error alert; an error after a normal line is another") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("level:error")}, .cooldown = milliseconds(0)}, {});
    feed(e, 1, "Traceback (most recent call last):", Level::error, {}, now);
    feed(e, 2, "  File \"x.py\", line 1", Level::error, {}, now);
    feed(e, 3, "ValueError: bad", Level::error, {}, now);
    feed(e, 4, "step 1", Level::none, {}, now, Source::out);  // stdout in between: not the same run of lines
    feed(e, 5, "retrying", Level::info, {}, now);
    feed(e, 6, "ERROR: again", Level::error, {}, now);
    std::vector<Alert> out;
    e.take(out, true);
    REQUIRE(out.size() == 2);
    CHECK(out[0].seq == 1);
    CHECK(out[1].seq == 6);
  }
  SECTION("a metric condition fires as it comes to hold, and again only after it stopped holding") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("metric:loss>10 for 2")}, .cooldown = milliseconds(0)}, {});
    const double values[] = {11, 5, 11, 12, 13, 14, 3, 20, 21};
    for (std::uint64_t i = 0; i < std::size(values); ++i) feed(e, i + 1, "x", Level::none, {{"loss", values[i]}}, now);
    std::vector<Alert> out;
    e.take(out, true);
    REQUIRE(out.size() == 2);
    CHECK(out[0].seq == 4);
    CHECK(out[0].value == 12);
    CHECK(out[1].seq == 9);
  }
  SECTION("a stall fires once per silence, and not while output flows") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("stall:10s")}, .cooldown = milliseconds(0)}, {});
    e.tick(Clock::time_point{} + seconds(9));
    feed(e, 1, "x", Level::none, {}, Clock::time_point{} + seconds(9));
    e.tick(Clock::time_point{} + seconds(18));
    e.tick(Clock::time_point{} + seconds(19));
    e.tick(Clock::time_point{} + seconds(25));
    feed(e, 2, "y", Level::none, {}, Clock::time_point{} + seconds(26));
    e.tick(Clock::time_point{} + seconds(40));
    std::vector<Alert> out;
    e.take(out, true);
    REQUIRE(out.size() == 2);
    CHECK(out[0].message == "no output for 10s");
  }
  SECTION("the exit fires on failure, exit:any on every end, whatever the cooldown") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("exit"), AlertRule::parse("exit:any")}}, {});
    e.exited(StreamEvent{.kind = EventKind::exited, .exit_code = 0}, now);
    std::vector<Alert> out;
    e.take(out, true);
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "exit:any");
    CHECK(out[0].message == "the run ended: exit status 0");
    AlertEngine f(AlertOptions{.rules = {AlertRule::parse("exit")}}, {});
    f.exited(StreamEvent{.kind = EventKind::exited, .term_signal = 9}, now);
    f.take(out, true);
    REQUIRE(out.size() == 2);
    CHECK(out[1].message == "the run failed: killed by signal 9");
    CHECK(out[1].term_signal == 9);
  }
  SECTION("the exit is said past the cooldown and the cap") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("pattern:x"), AlertRule::parse("exit:any")}, .hourly_cap = 1}, {});
    feed(e, 1, "x", Level::none, {}, now);
    feed(e, 2, "x", Level::none, {}, now);
    e.exited(StreamEvent{.kind = EventKind::exited, .exit_code = 0}, now);
    std::vector<Alert> out;
    e.take(out, true);
    REQUIRE(out.size() == 2);
    CHECK(out[0].seq == 1);
    CHECK(out[1].kind == AlertKind::exit);
    CHECK(e.suppressed() == 1);
  }
  SECTION("a pattern alert waits for the lines after its match, unless told to go") {
    AlertEngine e(AlertOptions{.rules = {AlertRule::parse("pattern:boom")}}, {});
    feed(e, 1, "before", Level::none, {}, now);
    feed(e, 2, "boom", Level::none, {}, now);
    feed(e, 3, "after", Level::none, {}, now);
    std::vector<Alert> out;
    e.take(out, false);
    CHECK(out.empty());
    e.take(out, true);
    REQUIRE(out.size() == 1);
    CHECK(out[0].context == std::vector<std::string>{"before", "boom", "after"});
  }
}
