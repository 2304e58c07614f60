// AlertEngine: decides which alerts fire, from what the extract actor sees (each line with its
// level, metrics and progress; the exit; the clock), and holds back what the cooldown and the
// hourly cap do not let through.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <re2/re2.h>

#include <logstream/alerts.hpp>
#include <logstream/events.hpp>
#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>

namespace logstream {

/// Thread-bound: one thread feeds it (the extract actor). Times are passed in, so a test drives
/// the clock. Allocates nothing per line unless a pattern rule is set (it keeps the last lines
/// for an alert's context).
class AlertEngine {
public:
  using Clock = std::chrono::steady_clock;

  AlertEngine(AlertOptions options, Clock::time_point start);

  bool empty() const noexcept { return rules_.empty(); }
  /// Seeds the best score a resumed stream starts from: only a better one is new.
  void set_initial_best(std::optional<double> best) { best_ = best; }

  /// One line after extraction; `progress` is null unless the line changed it.
  void line(const Line& line, Level level, std::span<const MetricStore::Observation> observations,
            const TrainingProgress* progress, Clock::time_point now);
  /// The child's exit (an `exited` event).
  void exited(const StreamEvent& exit, Clock::time_point now);
  /// The clock moved without output: stall rules whose silence is long enough fire.
  void tick(Clock::time_point now);

  /// Moves out the alerts that are ready: those whose context after the match is complete, or
  /// every one with `all` (the stream paused, or ended).
  void take(std::vector<Alert>& out, bool all);

  std::uint64_t fired() const noexcept { return fired_; }
  std::uint64_t suppressed() const noexcept { return suppressed_total_; }

private:
  struct RuleState {
    AlertRule rule;
    std::unique_ptr<RE2> pattern;
    unsigned run = 0;           // metric: consecutive observations meeting the condition
    bool stalled = false;       // stall: fired for the current silence
    std::array<Level, 2> last_level{Level::none, Level::none};  // level: per source
    bool has_fired = false;
    Clock::time_point last_fired{};
    std::uint64_t suppressed = 0;
  };
  struct Pending {
    Alert alert;
    unsigned after = 0;  // context lines still wanted
  };

  void fire(RuleState& state, Alert alert, Clock::time_point now, unsigned context_after = 0, bool always = false);
  bool admit(RuleState& state, Clock::time_point now);

  std::vector<RuleState> rules_;
  std::chrono::milliseconds cooldown_;
  unsigned hourly_cap_;
  bool keeps_context_ = false;
  std::deque<std::string> recent_;  // the last lines, for a pattern alert's context
  std::vector<Pending> pending_;  // in the order they fired; `after` 0 once complete
  std::deque<Clock::time_point> last_hour_;  // when the admitted alerts fired, for the cap
  Clock::time_point last_output_;
  std::optional<double> best_;
  std::uint64_t fired_ = 0;
  std::uint64_t suppressed_total_ = 0;
};

}  // namespace logstream
