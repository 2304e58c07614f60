// load_rules (see rules_option.hpp).
#include "rules_option.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "io/read_all.hpp"

namespace logstream::cli {

std::string read_option_file(const std::string& path, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot open {} '{}': {}", what, path, std::strerror(errno)));
  io::ReadResult read = io::read_all(fd, max_rules_file_bytes);
  ::close(fd);
  if (read.error != 0)
    throw std::runtime_error(fmt::format("cannot read {} '{}': {}", what, path, std::strerror(read.error)));
  if (read.over_limit)
    throw std::runtime_error(fmt::format("{} '{}' is larger than the limit of 1 MiB ({} bytes)", what, path, max_rules_file_bytes));
  return std::move(read.bytes);
}

RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns) {
  RuleSet rules;
  if (!rules_file.empty()) {
    std::string text;
    try {
      text = read_option_file(rules_file, "rules file");
    } catch (const std::runtime_error& e) {
      throw RuleError(e.what());
    }
    rules = RuleSet::parse(text, rules_file);
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) rules.add("rule" + std::to_string(i + 1), patterns[i]);
  return rules;
}

}  // namespace logstream::cli
