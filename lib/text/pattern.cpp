// compile_any (pattern.hpp): each pattern is compiled alone first, so that an error names the
// one at fault; then the alternation of them all, so that a line is scanned once.
#include "text/pattern.hpp"

#include <fmt/format.h>

#include <logstream/error.hpp>

namespace logstream::text {
namespace {

RE2::Options re2_options(PatternOptions options, bool literal) {
  RE2::Options out;
  out.set_log_errors(false);
  out.set_literal(literal);
  out.set_case_sensitive(!options.ignore_case);
  return out;
}

std::shared_ptr<const RE2> compile_one(const std::string& pattern, PatternOptions options) {
  auto re = std::make_shared<const RE2>(pattern, re2_options(options, options.fixed_strings));
  if (!re->ok()) throw PatternError(fmt::format("invalid pattern '{}': {}", pattern, re->error()));
  return re;
}

}  // namespace

std::shared_ptr<const RE2> compile_any(std::span<const std::string> patterns, PatternOptions options) {
  if (patterns.size() == 1) return compile_one(patterns.front(), options);
  std::string alternation;
  for (const std::string& pattern : patterns) {
    compile_one(pattern, options);
    if (!alternation.empty()) alternation += '|';
    alternation += "(?:";
    alternation += options.fixed_strings ? RE2::QuoteMeta(pattern) : pattern;
    alternation += ')';
  }
  auto re = std::make_shared<const RE2>(alternation, re2_options(options, false));
  if (!re->ok()) throw PatternError(fmt::format("invalid patterns: {}", re->error()));
  return re;
}

}  // namespace logstream::text
