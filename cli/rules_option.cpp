// load_rules (see rules_option.hpp).
#include "rules_option.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace logstream::cli {
namespace {

// Reads at most max_rules_file_bytes (plus one byte to tell a larger file), from any kind of
// file: a pipe (`--rules <(...)`) as well as a regular file.
std::string read_rules_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw RuleError(fmt::format("cannot open rules file '{}': {}", path, std::strerror(errno)));
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      throw RuleError(fmt::format("cannot read rules file '{}': {}", path, std::strerror(error)));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_rules_file_bytes) {
      ::close(fd);
      throw RuleError(fmt::format("rules file '{}' is larger than the limit of 1 MiB ({} bytes)", path, max_rules_file_bytes));
    }
  }
  ::close(fd);
  return text;
}

}  // namespace

RuleSet load_rules(const std::string& rules_file, const std::vector<std::string>& patterns) {
  RuleSet rules;
  if (!rules_file.empty()) rules = RuleSet::parse(read_rules_file(rules_file), rules_file);
  for (std::size_t i = 0; i < patterns.size(); ++i) rules.add("rule" + std::to_string(i + 1), patterns[i]);
  return rules;
}

}  // namespace logstream::cli
