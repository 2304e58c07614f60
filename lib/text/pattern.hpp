// One compiled RE2 for the patterns of a search or a filter (-g A -g B: a line matching any).
#pragma once

#include <memory>
#include <span>
#include <string>

#include <re2/re2.h>

namespace logstream::text {

struct PatternOptions {
  bool fixed_strings = false;  // each pattern is a literal
  bool ignore_case = false;
};

/// One RE2 that matches where any of `patterns` does. Throws PatternError naming the first
/// pattern that does not compile, with RE2's message. At least one pattern.
std::shared_ptr<const RE2> compile_any(std::span<const std::string> patterns, PatternOptions options);

}  // namespace logstream::text
