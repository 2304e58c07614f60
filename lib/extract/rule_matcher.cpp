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

// A group's text as the value of a progress field: a number, or a model name (trimmed, at most
// max_model_bytes).
std::optional<std::int64_t> field_value(std::string_view text, const std::optional<std::int64_t>*) noexcept {
  return parse_int(text);
}
std::optional<double> field_value(std::string_view text, const std::optional<double>*) noexcept {
  return parse_double(text);
}
std::optional<std::string_view> field_value(std::string_view text, const std::optional<std::string_view>*) noexcept {
  const std::string_view model = trim(text);
  if (model.empty() || model.size() > max_model_bytes) return std::nullopt;
  return model;
}

enum class FieldSet : std::uint8_t { not_progress, rejected, set };

// Sets the progress field that `rule_field` names from `text`.
FieldSet set_progress_field(RuleField rule_field, std::string_view text, ProgressUpdate& update) noexcept {
  FieldSet outcome = FieldSet::not_progress;
  for_each_progress_field([&](const auto& field) {
    if (field.rule_field != rule_field) return;
    auto& slot = update.*field.found;
    auto value = field_value(text, &slot);
    outcome = value ? FieldSet::set : FieldSet::rejected;
    if (value) slot = value;
  });
  return outcome;
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
    if (const FieldSet outcome = set_progress_field(group.field, *text, update); outcome != FieldSet::not_progress) {
      if (group.field == RuleField::trial && outcome == FieldSet::set) update.trial_began = true;
      continue;
    }
    switch (group.field) {
      case RuleField::best:
        update.best = true;
        set_progress_field(RuleField::best_score, *text, update);
        break;
      case RuleField::metric:
        if (auto v = parse_double(*text)) metrics.push(group.name, *v);
        break;
      case RuleField::level:
        if (auto level = parse_level(trim(*text))) update.level = *level;
        break;
      case RuleField::position:
      case RuleField::total_positions:
      case RuleField::model:
      case RuleField::trial:
      case RuleField::total_trials:
      case RuleField::score:
      case RuleField::best_score:  // set_progress_field's
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
