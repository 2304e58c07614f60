// Run ids: "20261201-084622-x7k2", the UTC start second and four random characters. They sort
// by start time, are short enough to type, and a clash is retried (the directory is the claim).
#pragma once

#include <chrono>
#include <string>

namespace logstream::store {

std::string make_run_id(std::chrono::system_clock::time_point started);

/// Whether `text` has a run id's shape (and so can name a directory safely).
bool looks_like_run_id(std::string_view text) noexcept;

}  // namespace logstream::store
