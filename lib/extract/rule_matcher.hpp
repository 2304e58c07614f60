// RuleMatcher: all user rules of an extractor matched together. An RE2::Set answers "does any
// rule match" in one linear pass; only the rules it names run to extract their groups.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <logstream/rules.hpp>
#include <re2/re2.h>
#include <re2/set.h>

#include "extract/metrics_tokenizer.hpp"
#include "extract/progress_update.hpp"

namespace logstream::extract {

/// Thread-bound (it keeps scratch buffers so matching allocates nothing per line).
class RuleMatcher {
public:
  /// Throws RuleError when RE2 cannot build the set (e.g. it exceeds RE2's memory budget).
  explicit RuleMatcher(const RuleSet& rules);

  bool empty() const noexcept { return rules_.empty(); }

  /// Applies every matching rule, in rule order, to `update` and `metrics`. Returns how many
  /// rules matched. Metric keys are views into the rules or into `text`.
  std::size_t match(std::string_view text, ProgressUpdate& update, MetricTokens& metrics);

private:
  struct Compiled {
    Rule rule;
    int key_group = -1;    // the `key` group's number, when the rule names metrics by text
    int value_group = -1;  // the `value` group's number
  };
  void apply(const Compiled& compiled, ProgressUpdate& update, MetricTokens& metrics);

  std::vector<Compiled> rules_;
  std::unique_ptr<re2::RE2::Set> set_;
  std::vector<int> hits_;                 // reserved for every rule: no allocation per line
  std::vector<re2::StringPiece> groups_;  // sized for the rule with the most groups
};

}  // namespace logstream::extract
