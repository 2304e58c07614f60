// AlertEngine (see alert_engine.hpp): when each rule fires, and what the cooldown and cap keep.
#include "alerts/alert_engine.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace logstream {

namespace {

constexpr std::size_t kContextBefore = 10;
constexpr unsigned kContextAfter = 9;
constexpr std::size_t kContextLineBytes = 1000;

std::string context_line(std::string_view text) { return std::string(text.substr(0, kContextLineBytes)); }

bool holds(Comparison comparison, double value, double threshold) {
  if (std::isnan(threshold)) {
    // Only = and != mean anything against nan: `loss=nan` asks whether the loss is NaN.
    if (comparison == Comparison::equal) return std::isnan(value);
    if (comparison == Comparison::not_equal) return !std::isnan(value);
    return false;
  }
  switch (comparison) {
    case Comparison::less: return value < threshold;
    case Comparison::less_equal: return value <= threshold;
    case Comparison::greater: return value > threshold;
    case Comparison::greater_equal: return value >= threshold;
    case Comparison::equal: return value == threshold;
    case Comparison::not_equal: return value != threshold;
  }
  return false;
}

std::string describe_exit(const StreamEvent& exit) {
  if (exit.term_signal) return fmt::format("killed by signal {}", *exit.term_signal);
  if (exit.exit_code) return fmt::format("exit status {}", *exit.exit_code);
  return "no exit status";
}

bool failed(const StreamEvent& exit) { return exit.term_signal || (exit.exit_code && *exit.exit_code != 0); }

std::string number(double value) { return fmt::format("{:g}", value); }

}  // namespace

AlertEngine::AlertEngine(AlertOptions options, Clock::time_point start)
    : cooldown_(options.cooldown), hourly_cap_(options.hourly_cap), last_output_(start) {
  for (AlertRule& rule : options.rules) {
    RuleState state;
    if (rule.kind == AlertKind::pattern) {
      state.pattern = std::make_unique<RE2>(rule.pattern, RE2::Quiet);
      keeps_context_ = true;
    }
    state.rule = std::move(rule);
    rules_.push_back(std::move(state));
  }
}

bool AlertEngine::admit(RuleState& state, Clock::time_point now) {
  if (state.has_fired && now - state.last_fired < cooldown_) return false;
  while (!last_hour_.empty() && now - last_hour_.front() >= std::chrono::hours(1)) last_hour_.pop_front();
  if (hourly_cap_ != 0 && last_hour_.size() >= hourly_cap_) return false;
  return true;
}

void AlertEngine::fire(RuleState& state, Alert alert, Clock::time_point now, unsigned context_after, bool always) {
  if (!always && !admit(state, now)) {
    ++state.suppressed;
    ++suppressed_total_;
    return;
  }
  state.has_fired = true;
  state.last_fired = now;
  last_hour_.push_back(now);
  ++fired_;
  alert.kind = state.rule.kind;
  alert.rule = state.rule.text;
  alert.suppressed = std::exchange(state.suppressed, 0);
  alert.time = std::chrono::system_clock::now();
  pending_.push_back(Pending{std::move(alert), context_after});
}

void AlertEngine::line(const Line& line, Level level, std::span<const MetricStore::Observation> observations,
                       const TrainingProgress* progress, Clock::time_point now) {
  last_output_ = now;
  for (RuleState& state : rules_) state.stalled = false;
  if (rules_.empty()) return;
  const bool final_line = !line.transient;  // a bar's passing states are no lines to alert on
  if (keeps_context_ && final_line) {
    for (Pending& p : pending_) {
      if (p.after == 0) continue;
      p.alert.context.push_back(context_line(line.text));
      --p.after;
    }
  }
  const bool new_best = progress != nullptr && progress->best_score && progress->best_score != best_;
  if (new_best) best_ = progress->best_score;
  for (RuleState& state : rules_) {
    const AlertRule& rule = state.rule;
    switch (rule.kind) {
      case AlertKind::pattern: {
        if (!final_line || !RE2::PartialMatch(line.text, *state.pattern)) break;
        Alert alert;
        alert.seq = line.seq;
        alert.message = fmt::format("line {} matches {}: {}", line.seq, rule.pattern, context_line(line.text));
        alert.context.assign(recent_.begin(), recent_.end());
        alert.context.push_back(context_line(line.text));
        fire(state, std::move(alert), now, kContextAfter);
        break;
      }
      case AlertKind::level: {
        if (!final_line) break;
        Level& last = state.last_level[static_cast<std::size_t>(line.source)];
        const bool begins = level >= rule.level && last < rule.level;
        last = level;
        if (!begins) break;
        Alert alert;
        alert.seq = line.seq;
        alert.message = fmt::format("{} at line {}: {}", to_string(level), line.seq, context_line(line.text));
        fire(state, std::move(alert), now);
        break;
      }
      case AlertKind::metric: {
        for (const MetricStore::Observation& o : observations) {
          if (o.key != rule.metric) continue;
          if (!holds(rule.comparison, o.value, rule.threshold)) {
            state.run = 0;
            continue;
          }
          // Fires as the condition comes to hold N times in a row, not on every observation after.
          if (++state.run != rule.consecutive) continue;
          Alert alert;
          alert.seq = line.seq;
          alert.metric = rule.metric;
          alert.value = o.value;
          alert.message = rule.consecutive > 1
                              ? fmt::format("{} = {} at line {}: {} for {} observations", rule.metric, number(o.value),
                                            line.seq, rule.text.substr(7), rule.consecutive)
                              : fmt::format("{} = {} at line {}: {}", rule.metric, number(o.value), line.seq,
                                            rule.text.substr(7));
          fire(state, std::move(alert), now);
        }
        break;
      }
      case AlertKind::best: {
        if (!new_best) break;
        Alert alert;
        alert.seq = line.seq;
        alert.value = *progress->best_score;
        alert.message = fmt::format("new best score {} at line {}", number(*progress->best_score), line.seq);
        fire(state, std::move(alert), now);
        break;
      }
      case AlertKind::exit:
      case AlertKind::stall: break;
    }
  }
  if (keeps_context_ && final_line) {
    recent_.push_back(context_line(line.text));
    if (recent_.size() > kContextBefore) recent_.pop_front();
  }
}

void AlertEngine::exited(const StreamEvent& exit, Clock::time_point now) {
  for (RuleState& state : rules_) {
    if (state.rule.kind != AlertKind::exit) continue;
    if (!state.rule.any_exit && !failed(exit)) continue;
    Alert alert;
    alert.exit_code = exit.exit_code;
    alert.term_signal = exit.term_signal;
    alert.message = fmt::format("the run {}: {}", failed(exit) ? "failed" : "ended", describe_exit(exit));
    // The end is said once, whatever the cooldown and the cap: it is the last word.
    fire(state, std::move(alert), now, 0, true);
  }
}

void AlertEngine::tick(Clock::time_point now) {
  for (RuleState& state : rules_) {
    if (state.rule.kind != AlertKind::stall || state.stalled) continue;
    if (now - last_output_ < state.rule.stall) continue;
    state.stalled = true;
    Alert alert;
    alert.message = fmt::format("no output for {}", state.rule.text.substr(6));
    fire(state, std::move(alert), now);
  }
}

void AlertEngine::take(std::vector<Alert>& out, bool all) {
  // In the order they fired: an alert still gathering context holds back the ones after it.
  std::size_t done = 0;
  while (done < pending_.size() && (all || pending_[done].after == 0)) out.push_back(std::move(pending_[done++].alert));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
}

}  // namespace logstream
