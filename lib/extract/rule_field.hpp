// rule_field_for: which field a rule's named group feeds. Internal; defined in rules.cpp.
#pragma once

#include <string_view>

#include <logstream/rules.hpp>

namespace logstream {

/// Maps a group name to the field it feeds (see RuleField).
RuleField rule_field_for(std::string_view group_name) noexcept;

}  // namespace logstream
