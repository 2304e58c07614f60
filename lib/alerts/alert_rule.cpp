// AlertRule::parse: the text form of a rule (see alerts.hpp and the README's "Alerts").
#include <logstream/alerts.hpp>

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "text/duration.hpp"
#include "text/pattern.hpp"

namespace logstream {

std::string_view to_string(AlertKind kind) noexcept {
  switch (kind) {
    case AlertKind::exit: return "exit";
    case AlertKind::pattern: return "pattern";
    case AlertKind::stall: return "stall";
    case AlertKind::metric: return "metric";
    case AlertKind::best: return "best";
    case AlertKind::level: return "level";
  }
  return "unknown";
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void refuse(std::string_view rule, std::string_view why) {
  throw AlertRuleError(fmt::format("alert rule '{}': {}", rule, why));
}

std::optional<double> parse_threshold(std::string_view text) {
  if (text == "nan" || text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "inf" || text == "+inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// KEY OP VALUE [for N]
void parse_metric(AlertRule& rule, std::string_view expr) {
  if (const auto at = expr.rfind(" for "); at != std::string_view::npos) {
    const std::string_view count = trim(expr.substr(at + 5));
    unsigned n = 0;
    const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (error != std::errc{} || end != count.data() + count.size() || n == 0)
      refuse(rule.text, fmt::format("'for {}' needs a count of 1 or more", count));
    rule.consecutive = n;
    expr = trim(expr.substr(0, at));
  }
  const auto op_at = expr.find_first_of("<>=!");
  if (op_at == std::string_view::npos)
    refuse(rule.text, "a metric rule is KEY OP VALUE, as loss>10, loss=nan or val_acc>=0.95 (OP: < <= > >= = !=)");
  rule.metric = std::string(trim(expr.substr(0, op_at)));
  if (rule.metric.empty()) refuse(rule.text, "the metric's name is missing before the comparison");
  std::string_view rest = expr.substr(op_at);
  struct Op {
    std::string_view text;
    Comparison comparison;
  };
  // Longest first: "<=" before "<".
  static constexpr Op ops[] = {{"<=", Comparison::less_equal}, {">=", Comparison::greater_equal},
                               {"==", Comparison::equal},      {"!=", Comparison::not_equal},
                               {"<", Comparison::less},        {">", Comparison::greater},
                               {"=", Comparison::equal}};
  bool found = false;
  for (const Op& op : ops) {
    if (rest.starts_with(op.text)) {
      rule.comparison = op.comparison;
      rest.remove_prefix(op.text.size());
      found = true;
      break;
    }
  }
  if (!found) refuse(rule.text, fmt::format("'{}' is no comparison (< <= > >= = !=)", rest.substr(0, 2)));
  const std::string_view value = trim(rest);
  const auto threshold = parse_threshold(value);
  if (!threshold) refuse(rule.text, fmt::format("'{}' is no number (a number, nan or inf)", value));
  rule.threshold = *threshold;
}

}  // namespace

AlertRule AlertRule::parse(std::string_view text) {
  AlertRule rule;
  rule.text = std::string(trim(text));
  const std::string_view whole = rule.text;
  const auto colon = whole.find(':');
  const std::string_view name = whole.substr(0, colon);
  const std::string_view arg = colon == std::string_view::npos ? std::string_view() : whole.substr(colon + 1);
  const bool has_arg = colon != std::string_view::npos;
  if (name == "exit") {
    rule.kind = AlertKind::exit;
    if (has_arg && arg != "any" && arg != "failure") refuse(rule.text, "exit takes ':any' or nothing");
    rule.any_exit = arg == "any";
  } else if (name == "pattern") {
    rule.kind = AlertKind::pattern;
    if (arg.empty()) refuse(rule.text, "pattern needs an RE2 pattern: pattern:RE");
    rule.pattern = std::string(arg);
    try {
      text::compile_any(std::span(&rule.pattern, 1), {});
    } catch (const PatternError& e) {
      refuse(rule.text, e.what());
    }
  } else if (name == "stall") {
    rule.kind = AlertKind::stall;
    const auto duration = text::parse_duration(trim(arg));
    if (!duration || duration->count() <= 0) refuse(rule.text, "stall needs a duration above zero: stall:30s, stall:5m");
    rule.stall = *duration;
  } else if (name == "metric") {
    rule.kind = AlertKind::metric;
    parse_metric(rule, trim(arg));
  } else if (name == "best") {
    rule.kind = AlertKind::best;
    if (has_arg) refuse(rule.text, "best takes no argument");
  } else if (name == "level") {
    rule.kind = AlertKind::level;
    const auto level = parse_level(trim(arg));
    if (!level || *level == Level::none) refuse(rule.text, "level needs error, warning, info or debug: level:error");
    rule.level = *level;
  } else {
    refuse(rule.text, "no such rule (exit, exit:any, pattern:RE, stall:DURATION, metric:EXPR, best, level:LEVEL)");
  }
  return rule;
}

}  // namespace logstream
