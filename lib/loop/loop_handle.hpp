// LoopHandle: the one owner of a libuv handle. It allocates the handle, closes it with uv_close
// and frees it in the close callback, where the owner's HandleCount is told.
#pragma once

#include <functional>
#include <utility>

#include <uv.h>

namespace logstream {

/// The open handles of one owner, counted from their initialisation to their close callback, so
/// that the owner knows when libuv is done with all of them. Thread-bound: loop thread only.
class HandleCount {
public:
  /// `on_all_closed` runs in the close callback that brings the count to zero. It may destroy
  /// this count (and its owner).
  explicit HandleCount(std::function<void()> on_all_closed = {}) : on_all_closed_(std::move(on_all_closed)) {}
  HandleCount(const HandleCount&) = delete;
  HandleCount& operator=(const HandleCount&) = delete;

  int open() const noexcept { return open_; }
  void opened() noexcept { ++open_; }
  void closed() {
    if (--open_ > 0 || !on_all_closed_) return;
    auto call = on_all_closed_;  // a copy: the callback may destroy this count
    call();
  }

private:
  std::function<void()> on_all_closed_;
  int open_ = 0;
};

struct NoHandleState {};

/// Owns one libuv handle `H` (uv_timer_t, uv_pipe_t, uv_idle_t, uv_process_t) and a `State` that
/// lives beside it up to its close callback: libuv callbacks reach the state through
/// state(handle), also after the object that opened the handle is gone (then the state says so).
/// The handle's `data` belongs to LoopHandle. Thread-bound: loop thread only.
///
/// Closing (close(), the destructor) is asynchronous: the handle and its state are freed, and
/// the count is told, in the close callback, the next time the loop runs.
template <typename H, typename State = NoHandleState>
class LoopHandle {
public:
  LoopHandle() noexcept = default;
  ~LoopHandle() { close(); }
  LoopHandle(LoopHandle&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  LoopHandle& operator=(LoopHandle&& other) noexcept {
    if (this != &other) {
      close();
      block_ = std::exchange(other.block_, nullptr);
    }
    return *this;
  }
  LoopHandle(const LoopHandle&) = delete;
  LoopHandle& operator=(const LoopHandle&) = delete;

  /// Allocates the handle and calls `init(H*)`, which initialises it and returns libuv's status
  /// (uv_timer_init, uv_pipe_init then uv_pipe_open, uv_spawn). `init` must leave the handle
  /// initialised even when it fails, as these all do. On success the handle counts in `count`
  /// (when given) until its close callback ran, and 0 is returned. On failure the handle is
  /// closed at once, uncounted, and this stays empty. Only on an empty LoopHandle.
  template <typename Init>
  int open(HandleCount* count, Init&& init) {
    auto* block = new Block{};
    block->handle.data = block;
    if (int rc = std::forward<Init>(init)(&block->handle); rc != 0) {
      close(&block->handle);
      return rc;
    }
    block->count = count;
    if (count) count->opened();
    block_ = block;
    return 0;
  }

  bool is_open() const noexcept { return block_ != nullptr; }
  H* get() const noexcept { return block_ ? &block_->handle : nullptr; }
  uv_handle_t* raw() const noexcept { return block_ ? reinterpret_cast<uv_handle_t*>(&block_->handle) : nullptr; }
  State& state() const noexcept { return block_->state; }
  /// The state of a handle this type opened, from within one of its libuv callbacks.
  static State& state(H* handle) noexcept { return static_cast<Block*>(handle->data)->state; }
  static State& state(uv_handle_t* handle) noexcept { return static_cast<Block*>(handle->data)->state; }

  /// Closes the handle (a no-op when empty); the close callback frees it.
  void close() noexcept {
    if (block_) close(&std::exchange(block_, nullptr)->handle);
  }
  /// Lets go of the handle without closing it: whoever holds the pointer closes it later with
  /// close(H*), from a libuv callback (a process is closed after its exit, a ticker by itself).
  H* release() noexcept { return block_ ? &std::exchange(block_, nullptr)->handle : nullptr; }
  /// Closes a handle this type opened and that was released.
  static void close(H* handle) noexcept {
    uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) {
      auto* block = static_cast<Block*>(h->data);
      HandleCount* count = block->count;
      delete block;
      if (count) count->closed();
    });
  }

private:
  struct Block {
    H handle;
    State state;
    HandleCount* count = nullptr;
  };
  Block* block_ = nullptr;
};

}  // namespace logstream
