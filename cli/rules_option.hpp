// --rules FILE and --rule REGEX, shared by `run` and `replay`, turned into one RuleSet; and the
// reading of such small option files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/rules.hpp>

namespace logstream::cli {

/// A rules file larger than this is refused: rules are a few lines, and reading without bound
/// (`--rules /dev/zero`) would only end when memory does.
inline constexpr std::size_t max_rules_file_bytes = 1 << 20;

/// The whole of a small option file (rules, alerts), a pipe as well as a regular file; throws
/// std::runtime_error naming `what` and the path (unreadable, larger than max_rules_file_bytes).
std::string read_option_file(const std::string& path, std::string_view what);

/// The file's rules, then each pattern as a rule named "rule1", "rule2"... Throws RuleError
/// (an unreadable or too large file, an invalid line or pattern).
RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns);

}  // namespace logstream::cli
