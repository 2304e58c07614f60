// Where the load generator is (beside the harness) and the command line that paces and stamps it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace bench {

/// `gen` in the directory of the running executable.
inline std::string default_gen_path(const char* argv0) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ((ec ? std::filesystem::path(argv0) : self).parent_path() / "gen").string();
}

/// gen's argv: `lines` lines, paced at `rate` lines/s unless 0, stamped when asked.
inline std::vector<std::string> gen_argv(const std::string& gen, std::uint64_t lines, double rate,
                                         const std::string& mix = "realistic", bool stamp = false) {
  std::vector<std::string> argv{gen, "--lines", std::to_string(lines), "--mix", mix};
  if (rate > 0) argv.insert(argv.end(), {"--rate", fmt::format("{}", rate)});
  if (stamp) argv.emplace_back("--stamp");
  return argv;
}

}  // namespace bench
