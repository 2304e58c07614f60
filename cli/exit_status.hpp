// logstream's exit statuses: the child's own, shell conventions for signals and start failures.
#pragma once

#include <optional>
#include <system_error>

#include <logstream/process.hpp>

namespace logstream::cli {

inline constexpr int not_executable_status = 126;
inline constexpr int not_found_status = 127;
/// logstream itself failed (as env(1) and timeout(1) use 125).
inline constexpr int internal_failure_status = 125;

/// The child's exit code, or 128+N when signal N ended it (what a shell reports).
int status_of(const ExitStatus& exit) noexcept;
/// 127 for "not found", 126 for "not executable" and every other start failure.
int status_of_start_error(const std::error_code& code) noexcept;

}  // namespace logstream::cli
