// load_rules (see rules_option.hpp).
#include "rules_option.hpp"

namespace logstream::cli {

RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns) {
  RuleSet rules;
  if (!rules_file.empty()) rules = RuleSet::from_file(rules_file);
  for (std::size_t i = 0; i < patterns.size(); ++i) rules.add("rule" + std::to_string(i + 1), patterns[i]);
  return rules;
}

}  // namespace logstream::cli
