// `logstream logs RUN` (see store_commands.hpp): the run's committed lines, as the log holds them
// or as the line objects of `run --json`.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "io/write_all.hpp"
#include "json_events.hpp"
#include "messages.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

// The whole log, byte for byte.
int copy_log(const RunRecord& run) {
  const int fd = ::open(run.log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    say(fmt::format("cannot read {}: {}", run.log.string(), std::generic_category().message(errno)));
    return unknown_run_status;
  }
  std::vector<char> buffer(flush_bytes);
  int status = 0;
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      say(fmt::format("cannot read {}: {}", run.log.string(), std::generic_category().message(errno)));
      status = unknown_run_status;
      break;
    }
    if (got == 0 || !io::write_all(STDOUT_FILENO, std::string_view(buffer.data(), static_cast<std::size_t>(got))).ok()) break;
  }
  ::close(fd);
  return status;
}

}  // namespace

int logs_command(const LogsOptions& o) {
  const auto store = open_store();
  if (!store) return internal_failure_status;
  auto found = find_run(*store, o.run);
  if (const int* status = std::get_if<int>(&found)) return *status;
  const RunRecord& run = std::get<RunRecord>(found);
  if (!o.json && !o.count) return copy_log(run);
  std::string out;
  bool reader_gone = false;
  const auto emit = [&] {
    if (!reader_gone && !io::write_all(STDOUT_FILENO, out).ok()) reader_gone = true;  // `| head`: not an error
    out.clear();
  };
  try {
    store->for_each_line(run, o.count, [&](const StoredLine& line) {
      if (o.json) {
        out += to_json_line(stored_line_json(run, line));
      } else {
        out += line.text;
        if (!line.continued) out += '\n';
      }
      if (out.size() >= flush_bytes) emit();
    });
  } catch (const StoreError& e) {
    emit();
    say(e.what());
    return unknown_run_status;
  }
  emit();
  return 0;
}

}  // namespace logstream::cli
