// GroupWatch: learns, without polling, when the last running member of a process group is gone.
// Each member found in /proc gets a pidfd, watched by a uv_poll_t (a pidfd turns readable when
// its process exits); at each exit the group is looked at again, so members forked meanwhile
// are watched too. A zombie counts as gone: it runs nothing, and an init that does not reap
// orphans (a container's without --init) would otherwise keep a stopped group alive for ever.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <vector>

#include <uv.h>

#include "loop/loop_handle.hpp"

namespace logstream {

/// The group's members that have not exited (zombies left out), read from /proc. When /proc
/// cannot be read: {group} if kill(-group, 0) finds a member (it cannot tell a zombie), else {}.
std::vector<pid_t> running_group_members(pid_t group);

/// Loop thread only. Every handle counts in `count` until its close callback ran; close() (or
/// the destructor) must come before the loop ends.
class GroupWatch {
public:
  /// `on_empty` runs on the loop thread once no member runs: from within the constructor when
  /// none runs already, else from a poll callback. It may close this watch. When a member
  /// cannot be watched (no pidfd support), `on_empty` never runs: the caller keeps a deadline.
  GroupWatch(uv_loop_t* loop, HandleCount* count, pid_t group, std::function<void()> on_empty);
  ~GroupWatch() { close(); }
  GroupWatch(const GroupWatch&) = delete;
  GroupWatch& operator=(const GroupWatch&) = delete;

  void close();

private:
  struct Shared;
  struct PollState {
    std::shared_ptr<Shared> shared;
    pid_t pid = -1;
    int fd = -1;
  };
  using Poll = LoopHandle<uv_poll_t, PollState>;

  static void rescan(const std::shared_ptr<Shared>& shared);

  std::shared_ptr<Shared> shared_;
};

}  // namespace logstream
