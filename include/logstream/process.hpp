// What a stream reads: a child process to spawn (ProcessSpec) or an already-open fd (FdSource).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <logstream/export.hpp>
#include <logstream/line.hpp>

namespace logstream {

/// A child to run. argv is executed directly (PATH is searched for argv[0]), never through a
/// shell. The child inherits this process's environment plus `env`, and PYTHONUNBUFFERED=1
/// unless `env` or the inherited environment sets it. It runs in a new process group, so stop() reaches its children too.
struct LOGSTREAM_API ProcessSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  ///< overrides on top of the inherited environment
  std::string cwd;                         ///< empty: the current directory
  bool merge_stderr = false;               ///< stderr into the stdout pipe (lines tagged stdout)
  bool inherit_stdin = false;              ///< otherwise the child's stdin is /dev/null
  /// Run on a pseudo-terminal: programs that buffer on pipes (C stdio, Python without -u) then
  /// stream line by line, and progress bars draw. stdout and stderr become one stream.
  bool pty = false;
};

/// A readable fd the caller already has (our own stdin, say): the stream reads it to EOF.
///
/// Accepted: pipes and FIFOs, sockets, terminals (a PTY master too), and regular files (read
/// from their current offset to the end they have when it is reached: `app < file`). Refused
/// by start() with a StartError naming the fd and what it is: an invalid fd ("invalid file
/// descriptor -1"), a directory, other character devices (/dev/null, /dev/zero), anything else.
/// A fd that another stream of the same Runtime already reads is refused too.
///
/// The stream closes the fd at the end if `close_on_end` is set (otherwise it reads a
/// duplicate). When start() throws, the fd is left open: it is still the caller's.
struct LOGSTREAM_API FdSource {
  int fd = -1;
  Source source = Source::out;  ///< how its lines are tagged
  bool close_on_end = false;
};

/// How a child ended. Exactly one of the two is set once it ended.
struct LOGSTREAM_API ExitStatus {
  std::optional<int> exit_code;
  std::optional<int> term_signal;

  /// Python's Popen.returncode: the exit code, or minus the signal number.
  int returncode() const noexcept { return term_signal ? -*term_signal : exit_code.value_or(0); }
};

}  // namespace logstream
