// User extraction rules: RE2 patterns whose named groups feed progress fields or metrics.
// Rules are compiled once when loaded; the extractor matches all of them together per line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

#include <logstream/export.hpp>

namespace logstream {

/// Thrown when a rule cannot be loaded: an invalid pattern, a malformed rules-file line, a
/// duplicate name, an unreadable file. The message names the rule (and file:line) and carries
/// RE2's own text.
class LOGSTREAM_API RuleError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// What a named group of a rule feeds. Group names decide it:
/// `position`, `total_positions`, `model`, `trial`, `total_trials`, `score`, `best`,
/// `best_score` are progress fields; `level` sets the line's Level (its text: error, warning,
/// info, debug, any case); `key` + `value` name a metric by the text of `key`;
/// a name starting with `_` is ignored (a group used only for structure); any other name is a
/// metric of that name.
enum class RuleField : std::uint8_t {
  position,
  total_positions,
  model,
  trial,
  total_trials,
  score,
  best,        ///< any match sets is_best; a numeric text also sets best_score
  best_score,
  metric,      ///< a metric named after the group
  metric_key,  ///< `key`: the metric's name is the captured text
  metric_value, ///< `value`: the value for `key` (a plain metric "value" when there is no `key`)
  level,        ///< `level`: the line's Level
  ignored,
};

/// One compiled rule. Immutable and cheap to copy (the compiled pattern is shared).
/// Thread-safe: matching against one Rule from several threads is allowed.
class LOGSTREAM_API Rule {
public:
  struct Group {
    std::string name;
    int index = 0;  ///< RE2's capturing-group number
    RuleField field = RuleField::ignored;
  };

  /// Compiles `pattern` (RE2 syntax). Throws RuleError naming `name` with RE2's message when
  /// the pattern is invalid or has no named group.
  Rule(std::string name, std::string pattern);

  const std::string& name() const noexcept { return name_; }
  const std::string& pattern() const noexcept { return pattern_; }
  const std::vector<Group>& groups() const noexcept { return groups_; }
  const re2::RE2& regex() const noexcept { return *regex_; }
  /// Capturing groups plus one (the whole match): the submatch count matching needs.
  int submatch_count() const noexcept;

private:
  std::string name_;
  std::string pattern_;
  std::shared_ptr<const re2::RE2> regex_;
  std::vector<Group> groups_;
};

/// An ordered set of rules with unique names. A value type: copy it into ExtractorOptions.
/// Not thread-safe for modification; const use from several threads is fine.
class LOGSTREAM_API RuleSet {
public:
  RuleSet() = default;

  /// Compiles and appends a rule. Throws RuleError (invalid pattern, duplicate name).
  RuleSet& add(std::string name, std::string pattern);
  RuleSet& add(Rule rule);

  /// Parses rules text: one `name = pattern` per line (at least one blank on each side of
  /// '='), blank lines and lines starting with '#' skipped. Errors name `origin:line`.
  static RuleSet parse(std::string_view text, std::string_view origin = "<rules>");
  /// Reads and parses a rules file. Throws RuleError naming the file (and line).
  static RuleSet from_file(const std::filesystem::path& path);

  bool empty() const noexcept { return rules_.empty(); }
  std::size_t size() const noexcept { return rules_.size(); }
  const std::vector<Rule>& rules() const noexcept { return rules_; }
  std::vector<Rule>::const_iterator begin() const noexcept { return rules_.begin(); }
  std::vector<Rule>::const_iterator end() const noexcept { return rules_.end(); }
  const Rule* find(std::string_view name) const noexcept;

private:
  std::vector<Rule> rules_;
};

}  // namespace logstream
