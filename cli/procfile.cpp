// Procfile parsing (see procfile.hpp).
#include "procfile.hpp"

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

namespace logstream::cli {
namespace {

constexpr std::size_t max_name_bytes = 64;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void fail(const std::filesystem::path& path, std::size_t line, std::string_view what) {
  throw ProcfileError(fmt::format("{}:{}: {}", path.string(), line, what));
}

}  // namespace

std::vector<ProcfileEntry> parse_procfile(const std::string& text, const std::filesystem::path& path) {
  std::vector<ProcfileEntry> entries;
  std::set<std::string, std::less<>> names;
  std::istringstream in(text);
  std::size_t number = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) fail(path, number, "expected 'name: command'");
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view command = trim(line.substr(colon + 1));
    if (name.empty()) fail(path, number, "a process needs a name before ':'");
    if (name.size() > max_name_bytes) fail(path, number, fmt::format("a name has at most {} characters", max_name_bytes));
    for (char c : name)
      if (!name_char(c)) fail(path, number, "a name is letters, digits, '_', '-' and '.'");
    if (command.empty()) fail(path, number, fmt::format("process '{}' has no command", name));
    if (names.contains(name)) fail(path, number, fmt::format("process '{}' is defined twice", name));
    names.emplace(name);
    entries.push_back(ProcfileEntry{.name = std::string(name), .command = std::string(command), .line = number});
  }
  if (entries.empty()) throw ProcfileError(fmt::format("{}: no process defined (lines are 'name: command')", path.string()));
  return entries;
}

std::vector<ProcfileEntry> read_procfile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProcfileError(fmt::format("cannot read {}: {}", path.string(), std::generic_category().message(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_procfile(text.str(), path);
}

}  // namespace logstream::cli
