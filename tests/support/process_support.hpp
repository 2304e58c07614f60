// Process-test helpers: the test child's path, waiting on conditions, counting fds/threads/children.
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <condition_variable>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <logstream/line.hpp>
#include <logstream/process.hpp>

#include "temp_dir.hpp"

namespace logstream::test {

/// The child program built from tests/helpers (meson passes its path in the environment).
inline std::string child_path() {
  const char* p = std::getenv("LOGSTREAM_TEST_CHILD");
  std::string path = p ? p : "tests/helpers/test_child";
  // Absolute, so tests that change the child's working directory still find it.
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    path = real;
    std::free(real);
  }
  return path;
}

inline ProcessSpec child(std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv.push_back(child_path());
  for (auto& a : args) spec.argv.push_back(std::move(a));
  return spec;
}

inline std::size_t count_dir(const char* path) {
  std::size_t n = 0;
  if (DIR* d = ::opendir(path)) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') ++n;
    ::closedir(d);
  }
  return n;
}

inline std::size_t open_fds() { return count_dir("/proc/self/fd"); }
/// This process's live threads by id, with their names: a thread that has exited can still be
/// listed for a moment, as a zombie or dead task; those are left out.
inline std::map<long, std::string> thread_ids() {
  std::map<long, std::string> out;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      const std::string task = std::string("/proc/self/task/") + e->d_name;
      std::ifstream stat(task + "/stat");
      std::string line;
      std::getline(stat, line);
      const auto paren = line.rfind(')');
      const char state = paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : 'X';
      if (state == 'Z' || state == 'X') continue;
      std::ifstream comm(task + "/comm");
      std::string name;
      std::getline(comm, name);
      out.emplace(std::atol(e->d_name), name);
    }
    ::closedir(d);
  }
  return out;
}

/// The threads alive now that were not in `before` ("tid:name ..."), once there are none or
/// after `deadline`: empty when every thread started since has gone. Ids, not a count: a thread
/// of an earlier test may still be ending when `before` is taken (pthread_join returns before
/// the kernel releases the task), and leaves later without hiding a new one.
inline std::string threads_added_since(const std::map<long, std::string>& before,
                                       std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::string added;
    for (const auto& [tid, name] : thread_ids())
      if (!before.contains(tid)) added += std::to_string(tid) + ":" + name + " ";
    if (added.empty() || std::chrono::steady_clock::now() >= end) return added;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

/// Live or zombie processes whose parent is this process.
inline std::size_t children() {
  std::size_t n = 0;
  const std::string me = std::to_string(::getpid());
  if (DIR* d = ::opendir("/proc")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
      std::string line;
      std::getline(stat, line);
      auto close = line.rfind(')');
      if (close == std::string::npos) continue;
      // After "pid (comm) " come the state and the ppid.
      std::size_t pos = close + 2;
      pos = line.find(' ', pos);
      if (pos == std::string::npos) continue;
      auto end = line.find(' ', pos + 1);
      if (line.substr(pos + 1, end - pos - 1) == me) ++n;
    }
    ::closedir(d);
  }
  return n;
}

/// Re-checks `predicate` whenever `signal()` is called, until it holds or the deadline passes.
class Condition {
public:
  void signal() {
    std::lock_guard lock(mutex_);
    ++version_;
    cv_.notify_all();
  }
  template <typename Predicate>
  bool wait_for(std::chrono::milliseconds timeout, Predicate predicate) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return predicate(); });
  }
  std::mutex& mutex() { return mutex_; }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t version_ = 0;
};

/// The first line of a stream that starts with `prefix` (any line when it is empty), as the
/// stream's on_new_line hands it over. Declared before the Streamer, so that it outlives the
/// stream's callbacks.
class FirstLine {
public:
  explicit FirstLine(std::string prefix = {}) : prefix_(std::move(prefix)) {}

  /// For the Streamer's on_new_line.
  std::function<void(const Line&)> callback() {
    return [this](const Line& line) { see(line.text); };
  }
  /// Whether such a line came within `timeout`.
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return line_.has_value(); });
  }
  /// The number after the prefix (the pid a line such as "grandchild 1234 ready" announces),
  /// once wait() returned true.
  int number() {
    std::lock_guard lock(mutex_);
    return std::stoi(line_.value().substr(prefix_.size()));
  }

private:
  void see(std::string_view text) {
    if (!text.starts_with(prefix_)) return;
    std::lock_guard lock(mutex_);
    if (line_) return;
    line_ = std::string(text);
    cv_.notify_all();
  }

  const std::string prefix_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<std::string> line_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}


}  // namespace logstream::test
