// Matching user rules: an RE2::Set as the prefilter, then each matching rule's groups.
#include "extract/rule_matcher.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "extract/number_scan.hpp"

namespace logstream::extract {
namespace {

std::string_view view_of(const re2::StringPiece& piece) noexcept {
  return {piece.data(), piece.size()};
}

// The integer fields a group may fill; null for the others.
std::optional<std::int64_t> ProgressUpdate::*int_field(RuleField field) noexcept {
  switch (field) {
    case RuleField::position: return &ProgressUpdate::position;
    case RuleField::total_positions: return &ProgressUpdate::total_positions;
    case RuleField::trial: return &ProgressUpdate::trial;
    case RuleField::total_trials: return &ProgressUpdate::total_trials;
    default: return nullptr;
  }
}

}  // namespace

RuleMatcher::RuleMatcher(const RuleSet& rules) {
  if (rules.empty()) return;
  re2::RE2::Options options;
  options.set_log_errors(false);
  set_ = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  int most_groups = 1;
  for (const Rule& rule : rules) {
    std::string error;
    if (set_->Add(rule.pattern(), &error) < 0) {
      throw RuleError(fmt::format("rule '{}': invalid pattern '{}': {}", rule.name(),
                                  rule.pattern(), error));
    }
    Compiled compiled{rule};
    for (const Rule::Group& group : rule.groups()) {
      if (group.field == RuleField::metric_key) compiled.key_group = group.index;
      if (group.field == RuleField::metric_value) compiled.value_group = group.index;
    }
    most_groups = std::max(most_groups, rule.submatch_count());
    rules_.push_back(std::move(compiled));
  }
  if (!set_->Compile()) {
    throw RuleError(fmt::format("cannot compile the {} rules together (RE2 memory budget)",
                                rules_.size()));
  }
  hits_.reserve(rules_.size());
  groups_.resize(static_cast<std::size_t>(most_groups));
}

std::size_t RuleMatcher::match(std::string_view text, ProgressUpdate& update,
                               MetricTokens& metrics) {
  if (!set_) return 0;
  const re2::StringPiece piece(text.data(), text.size());
  // The set's DFA can give up on a huge input (out of memory): then every rule runs alone.
  // The first pass asks only "any match?": it may stop early and allocates nothing, so a line
  // no rule wants costs one partial DFA walk.
  re2::RE2::Set::ErrorInfo info{};
  hits_.clear();
  const bool any = set_->Match(piece, nullptr, &info) && set_->Match(piece, &hits_, &info);
  if (!any) {
    if (info.kind != re2::RE2::Set::kOutOfMemory) return 0;
    hits_.clear();
    for (int i = 0; i < static_cast<int>(rules_.size()); ++i) hits_.push_back(i);
  }
  std::sort(hits_.begin(), hits_.end());  // rule order: later rules override earlier ones
  std::size_t matched = 0;
  for (int index : hits_) {
    const Compiled& compiled = rules_[static_cast<std::size_t>(index)];
    const re2::RE2& regex = compiled.rule.regex();
    if (!regex.Match(piece, 0, piece.size(), re2::RE2::UNANCHORED, groups_.data(),
                     compiled.rule.submatch_count())) {
      continue;
    }
    apply(compiled, update, metrics);
    ++matched;
  }
  return matched;
}

void RuleMatcher::apply(const Compiled& compiled, ProgressUpdate& update, MetricTokens& metrics) {
  auto group_text = [&](int index) -> std::optional<std::string_view> {
    const re2::StringPiece& piece = groups_[static_cast<std::size_t>(index)];
    if (piece.data() == nullptr) return std::nullopt;  // the group took no part in the match
    return view_of(piece);
  };
  for (const Rule::Group& group : compiled.rule.groups()) {
    const auto text = group_text(group.index);
    if (!text) continue;
    if (const auto field = int_field(group.field)) {
      if (auto v = parse_int(*text)) {
        update.*field = v;
        if (group.field == RuleField::trial) update.trial_began = true;
      }
      continue;
    }
    switch (group.field) {
      case RuleField::score:
        if (auto v = parse_double(*text)) update.score = v;
        break;
      case RuleField::best:
        update.best = true;
        if (auto v = parse_double(*text)) update.best_score = v;
        break;
      case RuleField::best_score:
        if (auto v = parse_double(*text)) update.best_score = v;
        break;
      case RuleField::model: {
        const std::string_view model = trim(*text);
        if (!model.empty() && model.size() <= max_model_bytes) update.model = model;
        break;
      }
      case RuleField::metric:
        if (auto v = parse_double(*text)) metrics.push(group.name, *v);
        break;
      case RuleField::level:
        if (auto level = parse_level(trim(*text))) update.level = *level;
        break;
      case RuleField::position:
      case RuleField::total_positions:
      case RuleField::trial:
      case RuleField::total_trials:  // int_field's
      case RuleField::metric_key:
      case RuleField::metric_value:
      case RuleField::ignored:
        break;
    }
  }
  if (compiled.value_group < 0) return;
  const auto value_text = group_text(compiled.value_group);
  const auto value = value_text ? parse_double(*value_text) : std::nullopt;
  if (!value) return;
  if (compiled.key_group < 0) {
    metrics.push("value", *value);
  } else if (const auto key = group_text(compiled.key_group); key && is_metric_key(trim(*key))) {
    metrics.push(trim(*key), *value);
  }
}

}  // namespace logstream::extract
