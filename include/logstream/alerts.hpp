// Alerts: rules over a stream (its exit, a pattern, a stall, a metric, a new best, a level) and
// the channels that tell someone (a webhook, an exec hook, the desktop).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/export.hpp>
#include <logstream/line.hpp>

namespace logstream {

enum class AlertKind : std::uint8_t {
  exit,     ///< the run failed (exit:any: the run ended, however)
  pattern,  ///< a line matched an RE2 pattern
  stall,    ///< no output for a while
  metric,   ///< a metric's observation met a condition (for N consecutive observations)
  best,     ///< a trial set a new best score
  level,    ///< a line of that level or above began (a traceback is one alert)
};

LOGSTREAM_API std::string_view to_string(AlertKind kind) noexcept;

enum class Comparison : std::uint8_t { less, less_equal, greater, greater_equal, equal, not_equal };

/// One rule, usually from its text (AlertRule::parse):
///   exit | exit:any | pattern:RE | stall:DURATION | metric:KEY OP VALUE [for N] | best | level:LEVEL
/// DURATION is a number with ms, s, m or h (30s, 5m); OP is < <= > >= = == !=; VALUE is a number,
/// nan or inf (`loss=nan` holds for a NaN loss).
struct LOGSTREAM_API AlertRule {
  AlertKind kind = AlertKind::exit;
  std::string text;  ///< the rule as written: the name alerts give it
  bool any_exit = false;                  ///< exit:any
  std::string pattern;                    ///< pattern
  std::chrono::milliseconds stall{0};     ///< stall
  std::string metric;                     ///< metric: the key
  Comparison comparison = Comparison::greater;
  double threshold = 0;
  unsigned consecutive = 1;               ///< metric: `for N`
  Level level = Level::error;             ///< level

  /// Throws AlertRuleError naming the rule and what is wrong with it (a pattern RE2 rejects
  /// carries RE2's message).
  static AlertRule parse(std::string_view text);
};

/// What fired. Alerts are stream events (StreamEvent::alert): in order with the lines, in the
/// store's events, in `--json` and on the page.
struct LOGSTREAM_API Alert {
  AlertKind kind = AlertKind::exit;
  std::string rule;     ///< AlertRule::text
  std::string message;  ///< one line for a human: what happened
  std::uint64_t seq = 0;  ///< the line that fired it (0: none, as for stall and exit)
  /// pattern: the lines around the match (up to 10 before it, it, and up to 9 after it that
  /// arrived before the stream paused), each cut to 1,000 bytes.
  std::vector<std::string> context;
  std::string metric;            ///< metric: the key
  std::optional<double> value;   ///< metric: the value; best: the score
  std::optional<int> exit_code;  ///< exit
  std::optional<int> term_signal;
  /// Alerts of this rule held back by the cooldown or the hourly cap since its previous one.
  std::uint64_t suppressed = 0;
  std::chrono::system_clock::time_point time{};
};

enum class WebhookFormat : std::uint8_t {
  json,     ///< the alert object of `--json`
  slack,    ///< {"text": ...}
  discord,  ///< {"content": ...}
  ntfy,     ///< the message as the body, the rule as the Title header
};

/// Where alerts go. Delivery runs on a thread of its own, one alert at a time in order, with
/// `retries` further tries (after 0.5 s, 1 s, 2 s ...) for a channel that fails; it never holds
/// back a stream. A channel that still fails is a `notify_error` event naming it and the reason,
/// and the run goes on. The stream completes once every alert was delivered or given up on:
/// after the input ended, delivery goes on for at most as long as one alert with every try on
/// every channel takes; alerts still queued then are one notify_error.
struct LOGSTREAM_API AlertChannels {
  struct Webhook {
    std::string url;  ///< http:// or https://; POSTed to, any 2xx answer is delivered
    WebhookFormat format = WebhookFormat::json;
  };
  std::vector<Webhook> webhooks;
  /// Each is run without a shell (argv[0] from PATH) with the alert as JSON on its stdin and
  /// LOGSTREAM_ALERT_KIND, _RULE, _MESSAGE, _SEQ and _RUN set; exit status 0 is delivered. One
  /// still running after `timeout` is killed (SIGKILL) and counts as failed.
  std::vector<std::vector<std::string>> execs;
  bool desktop = false;  ///< `notify-send` (libnotify), delivered like an exec hook
  unsigned retries = 2;
  std::chrono::milliseconds timeout{10000};  ///< per try of any channel
  /// LOGSTREAM_ALERT_RUN and the webhooks' text; default: the run's id in StreamerOptions::store
  std::string run;
  bool empty() const noexcept { return webhooks.empty() && execs.empty() && !desktop; }
};

struct LOGSTREAM_API AlertOptions {
  std::vector<AlertRule> rules;
  /// A rule that fired stays quiet this long: what it would have fired meanwhile is counted
  /// (Alert::suppressed of its next alert, StreamStats::suppressed_alerts).
  std::chrono::milliseconds cooldown{std::chrono::seconds(60)};
  /// At most this many alerts of all rules in any hour of the run (0: no cap); the rest counted.
  unsigned hourly_cap = 30;
  AlertChannels channels;
};

}  // namespace logstream
