// Why a spawn failed: exec's ENOENT is "not found" only when the command file itself is missing.
#include "loop/spawn_error.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>

#include <fmt/format.h>
#include <uv.h>

namespace logstream {
namespace {

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string in_cwd(const ProcessSpec& spec, const std::string& path) {
  return spec.cwd.empty() || path.starts_with('/') ? path : spec.cwd + "/" + path;
}

/// The file exec ran: argv[0] with a slash, else the first match on the child's PATH (the one
/// it got: env's, or ours), as execvp searches it; relative entries count from the child's cwd.
std::optional<std::string> command_file(const ProcessSpec& spec) {
  const std::string& command = spec.argv[0];
  if (command.find('/') != std::string::npos) {
    std::string path = in_cwd(spec, command);
    if (is_file(path)) return path;
    return std::nullopt;
  }
  std::string search;
  if (auto it = spec.env.find("PATH"); it != spec.env.end()) search = it->second;
  else if (const char* ours = std::getenv("PATH")) search = ours;
  else search = "/bin:/usr/bin";  // execvp's default
  for (std::size_t from = 0; from <= search.size();) {
    std::size_t colon = search.find(':', from);
    if (colon == std::string::npos) colon = search.size();
    const std::string dir = colon == from ? "." : search.substr(from, colon - from);
    const std::string path = in_cwd(spec, dir + "/" + command);
    if (is_file(path)) return path;
    from = colon + 1;
  }
  return std::nullopt;
}

/// The interpreter a "#!" line names (without its argument), if the file has one.
std::optional<std::string> interpreter_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || !line.starts_with("#!")) return std::nullopt;
  const std::size_t start = line.find_first_not_of(" \t", 2);
  if (start == std::string::npos) return std::nullopt;
  return line.substr(start, line.find_first_of(" \t", start) - start);
}

std::string visible(std::string text) {
  // "#!/bin/sh\r": a script saved with Windows line endings names an interpreter ending in CR.
  for (std::size_t at; (at = text.find('\r')) != std::string::npos;) text.replace(at, 1, "\\r");
  return text;
}

std::string not_found(const ProcessSpec& spec, const std::string& cmd, int rc) {
  const std::optional<std::string> file = command_file(spec);
  if (!file) return fmt::format("cannot start '{}': command not found ({})", cmd, uv_strerror(rc));
  if (const auto interpreter = interpreter_of(*file))
    return fmt::format("cannot start '{}': bad interpreter '{}' in '{}' ({})", cmd, visible(*interpreter), *file,
                       uv_strerror(rc));
  return fmt::format("cannot start '{}': '{}' exists but its loader is missing ({})", cmd, *file, uv_strerror(rc));
}

}  // namespace

std::string spawn_error(const ProcessSpec& spec, int rc) {
  const std::string cmd = spec.argv.empty() ? std::string() : spec.argv[0];
  switch (rc) {
    case UV_ENOENT: return not_found(spec, cmd, rc);
    case UV_EACCES: return fmt::format("cannot start '{}': not executable ({})", cmd, uv_strerror(rc));
    default: return fmt::format("cannot start '{}': {}", cmd, uv_strerror(rc));
  }
}

}  // namespace logstream
