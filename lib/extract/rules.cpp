// Rule and RuleSet: compiling user patterns with RE2 and reading rules files.
#include <logstream/rules.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>

#include "extract/number_scan.hpp"
#include "extract/progress_update.hpp"
#include "extract/rule_field.hpp"

namespace logstream {
namespace {

re2::RE2::Options rule_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);  // errors go into RuleError, not to stderr
  return options;
}

bool is_name_char(char c) noexcept {
  return extract::is_alnum(c) || c == '_' || c == '-' || c == '.';
}

}  // namespace

RuleField rule_field_for(std::string_view name) noexcept {
  std::optional<RuleField> progress;
  extract::for_each_progress_field([&](const auto& field) {
    if (name == field.name) progress = field.rule_field;
  });
  if (progress) return *progress;
  if (name == "best") return RuleField::best;
  if (name == "key") return RuleField::metric_key;
  if (name == "value") return RuleField::metric_value;
  if (name == "level") return RuleField::level;
  if (name.empty() || name.front() == '_') return RuleField::ignored;
  return RuleField::metric;
}

Rule::Rule(std::string name, std::string pattern)
    : name_(std::move(name)), pattern_(std::move(pattern)) {
  if (name_.empty()) throw RuleError(fmt::format("rule with pattern '{}' has no name", pattern_));
  auto regex = std::make_shared<const re2::RE2>(pattern_, rule_options());
  if (!regex->ok()) {
    throw RuleError(fmt::format("rule '{}': invalid pattern '{}': {}", name_, pattern_,
                                regex->error()));
  }
  for (const auto& [group, index] : regex->NamedCapturingGroups()) {
    groups_.push_back(Group{group, index, rule_field_for(group)});
  }
  if (groups_.empty()) {
    throw RuleError(fmt::format(
        "rule '{}': pattern '{}' has no named group (use (?P<score>...) or (?P<loss>...))", name_,
        pattern_));
  }
  regex_ = std::move(regex);
}

int Rule::submatch_count() const noexcept { return regex_->NumberOfCapturingGroups() + 1; }

RuleSet& RuleSet::add(std::string name, std::string pattern) {
  return add(Rule(std::move(name), std::move(pattern)));
}

RuleSet& RuleSet::add(Rule rule) {
  if (find(rule.name()) != nullptr) {
    throw RuleError(fmt::format("rule '{}' is defined twice", rule.name()));
  }
  rules_.push_back(std::move(rule));
  return *this;
}

const Rule* RuleSet::find(std::string_view name) const noexcept {
  for (const Rule& rule : rules_) {
    if (rule.name() == name) return &rule;
  }
  return nullptr;
}

RuleSet RuleSet::parse(std::string_view text, std::string_view origin) {
  RuleSet set;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    line = extract::trim(line);
    if (line.empty() || line.front() == '#') continue;

    // name, blanks, '=', blanks, pattern: blanks on both sides keep `loss=(?P<loss>...)`
    // (a pattern missing its name) from being read as rule "loss".
    std::size_t end = 0;
    while (end < line.size() && is_name_char(line[end])) ++end;
    const std::size_t eq = extract::skip_blanks(line, end);
    const bool well_formed = end > 0 && eq > end && eq < line.size() && line[eq] == '=' &&
                             eq + 1 < line.size() && extract::is_blank(line[eq + 1]);
    if (!well_formed) {
      throw RuleError(fmt::format("{}:{}: expected 'name = pattern', got '{}'", origin, line_no,
                                  line));
    }
    const std::string_view pattern = extract::trim(line.substr(eq + 1));
    try {
      set.add(std::string(line.substr(0, end)), std::string(pattern));
    } catch (const RuleError& error) {
      throw RuleError(fmt::format("{}:{}: {}", origin, line_no, error.what()));
    }
  }
  return set;
}

RuleSet RuleSet::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw RuleError(fmt::format("cannot open rules file '{}': {}", path.string(),
                                std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw RuleError(fmt::format("cannot read rules file '{}'", path.string()));
  return parse(text.str(), path.string());
}

}  // namespace logstream
