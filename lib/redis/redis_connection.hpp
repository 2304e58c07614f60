// RedisConnection: one hiredis async connection on a libuv loop, with connect and command
// timeouts (hiredis 0.14 has neither).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include <logstream/sinks/redis_sink.hpp>

#include "loop/loop_handle.hpp"
#include "loop/timer.hpp"

struct redisAsyncContext;
struct redisReply;

namespace logstream::redis {

/// A reply, or (reply null) why there is none: the connection went away before it came.
using ReplyHandler = std::function<void(const redisReply* reply, std::string_view error)>;

/// Loop thread only. connect() once; `on_ready` runs when the connection is usable (the
/// database selected), `on_lost` once when it failed or ended (never after close()), with the
/// reason: the commands still pending then got no reply (their handlers may have run with
/// none, or never run). on_lost is the last thing the connection does (it may destroy the
/// connection). After close() no handler runs. A connection is not reused after it was lost: make a new one.
class RedisConnection {
public:
  struct Handlers {
    std::function<void()> on_ready;
    std::function<void(std::string reason)> on_lost;
  };

  RedisConnection(uv_loop_t* loop, HandleCount* handles, RedisUrl url, std::chrono::milliseconds connect_timeout,
                  std::chrono::milliseconds command_timeout, Handlers handlers);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  void connect();
  bool ready() const noexcept { return ready_; }
  /// Sends a command (binary-safe arguments). Only while ready().
  void command(const std::vector<std::string>& args, ReplyHandler done);
  std::size_t pending() const noexcept { return pending_; }
  /// Drops the connection; no handler runs any more.
  void close();

private:
  struct Pending;
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_reply(redisAsyncContext* context, void* reply, void* data);
  void drop(std::string reason);
  void lost(std::string reason);
  void arm_timer();

  uv_loop_t* loop_;
  RedisUrl url_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds command_timeout_;
  Handlers handlers_;
  redisAsyncContext* context_ = nullptr;
  LoopTimer timer_;
  bool ready_ = false;
  bool dropping_ = false;
  std::size_t pending_ = 0;
  std::chrono::steady_clock::time_point last_reply_{};
};

/// "ERR ... ID specified in XADD is equal or smaller ...": the entry is there already.
bool is_duplicate_id(std::string_view error) noexcept;
/// OOM or noeviction: Redis refuses writes until memory frees up.
bool is_out_of_memory(std::string_view error) noexcept;

}  // namespace logstream::redis
