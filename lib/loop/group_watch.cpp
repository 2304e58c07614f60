// GroupWatch (see group_watch.hpp).
#include "loop/group_watch.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace logstream {
namespace {

// /proc/PID/stat is "PID (COMM) STATE PPID PGRP ..."; COMM may hold spaces and parentheses,
// so the fields are counted from the last ')'.
bool running_in_group(const char* pid_text, pid_t group) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%s/stat", pid_text);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[512];
  const ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (got <= 0) return false;
  const std::string_view stat(buffer, static_cast<std::size_t>(got));
  const auto paren = stat.rfind(')');
  if (paren == std::string_view::npos || paren + 2 >= stat.size()) return false;
  const char state = stat[paren + 2];
  if (state == 'Z' || state == 'X') return false;
  unsigned long ppid = 0;
  long pgrp = 0;
  buffer[got] = '\0';
  if (std::sscanf(buffer + paren + 3, "%lu %ld", &ppid, &pgrp) != 2) return false;
  return pgrp == group;
}

int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

std::vector<pid_t> running_group_members(pid_t group) {
  std::vector<pid_t> members;
  if (group <= 0) return members;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) {
    // Without /proc only signal 0 can ask, and it counts zombies: the caller's deadline decides.
    if (::kill(-group, 0) == 0 || errno == EPERM) members.push_back(group);
    return members;
  }
  while (const dirent* entry = ::readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    if (running_in_group(entry->d_name, group)) members.push_back(static_cast<pid_t>(std::atol(entry->d_name)));
  }
  ::closedir(proc);
  return members;
}

struct GroupWatch::Shared {
  uv_loop_t* loop = nullptr;
  HandleCount* count = nullptr;
  pid_t group = -1;
  std::function<void()> on_empty;
  std::vector<std::pair<pid_t, Poll>> watched;
  bool closed = false;
  bool blind = false;  // a member could not be watched: only the caller's deadline is left
  std::vector<pid_t> exited;  // their pidfds said so; never watched again

  void forget(Poll& poll) {
    if (uv_poll_t* handle = poll.get()) {
      uv_poll_stop(handle);
      ::close(poll.state().fd);
      poll.state().fd = -1;
    }
    poll.close();
  }
};

GroupWatch::GroupWatch(uv_loop_t* loop, HandleCount* count, pid_t group, std::function<void()> on_empty)
    : shared_(std::make_shared<Shared>()) {
  shared_->loop = loop;
  shared_->count = count;
  shared_->group = group;
  shared_->on_empty = std::move(on_empty);
  rescan(shared_);
}

void GroupWatch::close() {
  if (!shared_ || shared_->closed) return;
  shared_->closed = true;
  for (auto& [pid, poll] : shared_->watched) shared_->forget(poll);
  shared_->watched.clear();
}

void GroupWatch::rescan(const std::shared_ptr<Shared>& shared) {
  if (shared->closed || shared->blind) return;
  const std::vector<pid_t> members = running_group_members(shared->group);
  // Watches of members that are gone go; members not watched yet get one.
  auto& watched = shared->watched;
  for (auto it = watched.begin(); it != watched.end();) {
    if (std::find(members.begin(), members.end(), it->first) != members.end()) {
      ++it;
      continue;
    }
    shared->forget(it->second);
    it = watched.erase(it);
  }
  for (pid_t pid : members) {
    if (std::find(shared->exited.begin(), shared->exited.end(), pid) != shared->exited.end()) {
      // Its pidfd said it exited, yet /proc shows it running: trust neither, nor spin on it.
      shared->blind = true;
      return;
    }
    if (std::any_of(watched.begin(), watched.end(), [pid](const auto& w) { return w.first == pid; })) continue;
    const int fd = open_pidfd(pid);
    if (fd < 0 && errno == ESRCH) continue;  // gone between the scan and now
    Poll poll;
    const int rc = fd < 0 ? -1 : poll.open(shared->count, [&](uv_poll_t* h) { return uv_poll_init(shared->loop, h, fd); });
    if (rc != 0) {
      if (fd >= 0) ::close(fd);
      shared->blind = true;
      return;
    }
    poll.state() = PollState{.shared = shared, .pid = pid, .fd = fd};
    uv_poll_start(poll.get(), UV_READABLE, [](uv_poll_t* handle, int, int) {
      // A copy: the poll's own state (which holds the shared state) goes with its close.
      const std::shared_ptr<Shared> owner = Poll::state(handle).shared;
      const pid_t pid = Poll::state(handle).pid;
      owner->exited.push_back(pid);
      auto& list = owner->watched;
      const auto it = std::find_if(list.begin(), list.end(), [pid](const auto& w) { return w.first == pid; });
      if (it != list.end()) {
        owner->forget(it->second);
        list.erase(it);
      }
      rescan(owner);
    });
    watched.emplace_back(pid, std::move(poll));
  }
  if (!watched.empty() || shared->closed) return;
  shared->closed = true;
  auto on_empty = std::move(shared->on_empty);
  if (on_empty) on_empty();
}

}  // namespace logstream
