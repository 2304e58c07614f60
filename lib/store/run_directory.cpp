// A run's directory (see run_directory.hpp).
#include "store/run_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "io/write_all.hpp"
#include "json/run_json.hpp"
#include "store/store_error.hpp"

namespace logstream::store {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
  throw os_error(errno, what, path);
}

std::optional<RunRecord> parse_run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  const json::Json object = json::Json::parse(text.str(), nullptr, false);
  if (object.is_discarded() || !object.is_object()) return std::nullopt;
  try {
    return json::run_from(object);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

namespace {

std::optional<RunRecord> read_snapshot(const RunDirectory& dir) {
  std::optional<RunRecord> run = parse_run_file(dir.status_file());
  if (!run) run = parse_run_file(dir.run_file());
  if (run) run->directory = dir.path;
  return run;
}

}  // namespace

std::optional<RunRecord> read_run(const RunDirectory& dir) {
  std::optional<RunRecord> run = read_snapshot(dir);
  if (!run || run->state != RunState::running || recorder_alive(dir)) return run;
  // The recorder lets go of the lock only after its final snapshot: a snapshot read before the
  // lock was seen free may be the one before it. Read again; still running means lost.
  run = read_snapshot(dir);
  if (run && run->state == RunState::running) run->state = RunState::lost;
  return run;
}

bool recorder_alive(const RunDirectory& dir) {
  const int fd = ::open(dir.lock_file().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  // A shared lock is refused only while the recorder holds its exclusive one.
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

void replace_file(const std::filesystem::path& path, std::string_view text) {
  const std::filesystem::path temp = path.string() + fmt::format(".tmp-{}", ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("cannot write", temp);
  const io::WriteResult result = io::write_all(fd, text);
  const bool written = result.ok() && ::fsync(fd) == 0;
  const int error = result.ok() ? errno : result.error;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    errno = error;
    throw_errno("cannot write", temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_error = errno;
    ::unlink(temp.c_str());
    errno = rename_error;
    throw_errno("cannot replace", path);
  }
}

RunLock::RunLock(const RunDirectory& dir) {
  fd_ = ::open(dir.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create", dir.lock_file());
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw_errno("cannot lock", dir.lock_file());
  }
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace logstream::store
