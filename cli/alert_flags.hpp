// The alert flags (options.hpp AlertFlags) as the library's AlertOptions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <logstream/alerts.hpp>

#include "options.hpp"

namespace logstream::cli {

/// Throws AlertRuleError for a rule that does not parse (one of the file's names its line) and
/// std::invalid_argument for a bad duration, webhook URL or exec command. Channels without a
/// rule alert on exit:any.
AlertOptions make_alerts(const AlertFlags& flags);
/// make_alerts, or empty after saying why not (the command then exits with usage_status).
std::optional<AlertOptions> alerts_or_say(const AlertFlags& flags);

/// A command line split into words as a shell would, without expanding anything: blanks
/// separate words, '...' and "..." quote, a backslash escapes the next character.
std::vector<std::string> split_words(std::string_view command);

}  // namespace logstream::cli
