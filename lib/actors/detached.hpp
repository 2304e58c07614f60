// start_actor: runs an actor's Task to its end on an executor, owning what it needs alive.
#pragma once

#include <coroutine>
#include <exception>
#include <memory>

#include "actors/task.hpp"
#include "runtime/executor.hpp"

namespace logstream {

namespace detail {
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    // Actors catch user errors themselves; anything escaping is a logstream bug.
    void unhandled_exception() noexcept { std::terminate(); }
  };
};
}  // namespace detail

/// Hops onto `executor` and runs `task` there to completion. `keep_alive` (by value: CP.53)
/// lives as long as the actor runs.
template <typename KeepAlive>
detail::Detached start_actor(Executor& executor, Task<> task, KeepAlive keep_alive) {
  co_await executor.hop();
  co_await std::move(task);
  (void)keep_alive;
}

}  // namespace logstream
