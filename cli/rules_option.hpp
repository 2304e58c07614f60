// --rules FILE and --rule REGEX, shared by `run` and `replay`, turned into one RuleSet.
#pragma once

#include <string>
#include <vector>

#include <logstream/rules.hpp>

namespace logstream::cli {

/// The file's rules, then each pattern as a rule named "rule1", "rule2"... Throws RuleError.
RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns);

}  // namespace logstream::cli
