// An exec hook: a program run without a shell, the alert on its stdin, killed after a timeout.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace logstream::alerts {

/// Runs argv (argv[0] from PATH) in a process group of its own, with the current environment
/// plus `env` ("NAME=value"), `input` on its stdin, stdout discarded. nullopt when it exited 0
/// within `timeout`; else why not ("exit status 3: <its stderr>", "killed after 10s", "cannot
/// run 'x': No such file or directory"). The group is killed (SIGKILL) on timeout.
std::optional<std::string> run_exec_hook(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         std::string_view input, std::chrono::milliseconds timeout);

}  // namespace logstream::alerts
