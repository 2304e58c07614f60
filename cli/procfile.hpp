// A Procfile: the processes `logstream up` starts. One `name: command` per line, as foreman and
// honcho read it; blank lines and lines starting with `#` are skipped.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace logstream::cli {

struct ProcfileEntry {
  std::string name;     ///< [A-Za-z0-9_.-]+, unique in the file
  std::string command;  ///< run by /bin/sh -c
  std::size_t line = 0; ///< 1-based, for messages
};

/// A line the Procfile cannot mean: its what() is "FILE:LINE: what is wrong".
class ProcfileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The entries of `text`, in file order; `path` only names the file in errors. Throws
/// ProcfileError for a bad line, a repeated name, or a file without an entry.
std::vector<ProcfileEntry> parse_procfile(const std::string& text, const std::filesystem::path& path);

/// Reads and parses the file; an unreadable file is a ProcfileError too.
std::vector<ProcfileEntry> read_procfile(const std::filesystem::path& path);

}  // namespace logstream::cli
