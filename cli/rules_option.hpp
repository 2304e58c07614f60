// --rules FILE and --rule REGEX, shared by `run` and `replay`, turned into one RuleSet.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <logstream/rules.hpp>

namespace logstream::cli {

/// A rules file larger than this is refused: rules are a few lines, and reading without bound
/// (`--rules /dev/zero`) would only end when memory does.
inline constexpr std::size_t max_rules_file_bytes = 1 << 20;

/// The file's rules, then each pattern as a rule named "rule1", "rule2"... Throws RuleError
/// (an unreadable or too large file, an invalid line or pattern).
RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns);

}  // namespace logstream::cli
