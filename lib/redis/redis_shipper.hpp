// RedisShipper: the loop side of RedisSink. The sink's hooks (on its actor) hand it outgoing
// items through ShipperInbox; on the loop it sends them to Redis in order, re-sends what a lost
// connection left unanswered, and reads lines the sink had no room for back from the run's log.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <uv.h>

#include <logstream/run_store.hpp>
#include <logstream/sinks/redis_sink.hpp>

#include "loop/loop_handle.hpp"
#include "loop/timer.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_entries.hpp"
#include "store/line_index.hpp"

namespace logstream::redis {

/// Lines the sink did not queue (the queue was full): Redis gets them from the log. `progress`:
/// the latest progress among them, an entry with its id already given.
struct Skipped {
  std::uint64_t first_seq = 0;
  std::uint64_t last_committed_seq = 0;  ///< 0: none of them is in the log (all transient)
  std::optional<Entry> progress;
};

/// The run's record (run_json) for the hash and the index.
struct RecordUpdate {
  std::string json;
  std::string state;
  double started_at = 0;  ///< seconds since the epoch: the index's score
};

/// Everything was handed over: once sent, the run is delivered.
struct End {};

using Outgoing = std::variant<Entry, Skipped, RecordUpdate, End>;

/// What the sink's threads and the loop share; every member under `mutex` but `queued_bytes`.
struct ShipperInbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Outgoing> items;
  uv_async_t* wake = nullptr;  // the loop's; null before it started and once it closed
  RedisSinkStats stats;
  bool attempted = false;  ///< the first connection attempt has an outcome
  bool closed = false;     ///< the loop let go of every handle
  std::string notice;      ///< a non-fatal problem not yet reported by a hook
  /// Entries queued or unanswered: what max_queue_bytes bounds.
  std::atomic<std::size_t> queued_bytes{0};

  /// Any thread: queues `item` and wakes the loop.
  void push(Outgoing item);
};

struct ShipperConfig {
  RedisSinkOptions options;
  RunRecord run;  ///< where the log and its index are; started_at for the line objects' "t"
};

/// Loop thread only. Sends entries in transactions (MULTI ... EXEC), one at a time: Redis
/// applies a whole transaction or none of it, so the stream always holds a prefix of what was
/// sent, and after a lost connection the stream's top id says exactly what to send again.
/// Entries that wait meanwhile go in the next transaction: one round trip per batch of entries,
/// however many arrive.
class RedisShipper {
public:
  RedisShipper(uv_loop_t* loop, ShipperConfig config, std::shared_ptr<ShipperInbox> inbox);
  ~RedisShipper();

  /// Opens the wake-up handle and connects. `self` keeps the shipper until its handles closed.
  void start(std::shared_ptr<RedisShipper> self);
  /// Closes the connection and the handles; `inbox->closed` once libuv let go of them, when
  /// the shipper frees itself.
  void shutdown();

private:
  struct Sent {
    Outgoing item;
    bool counted = false;  // in queued_bytes
  };
  struct CatchUp {
    Skipped range;
    std::unique_ptr<store::LineCursor> cursor;
    std::chrono::steady_clock::time_point last_progress;
  };

  void take_inbox();
  void connect();
  void on_ready();
  void on_lost(std::string reason);
  void pump();
  std::optional<Sent> next_item();
  std::optional<Sent> read_back();
  void send_group(std::vector<Sent> group);
  void on_exec(const redisReply* reply, const std::vector<std::string>& queue_errors);
  void requeue_in_flight();
  void resend_lost(EntryId redis_top);
  void uncount(const Sent& sent);
  void fail(std::string error);
  void notice(std::string message);
  void finish_if_delivered();
  std::chrono::milliseconds next_backoff();
  template <typename F>
  void update_stats(F&& change);

  uv_loop_t* loop_;
  ShipperConfig config_;
  Keys keys_;
  std::shared_ptr<ShipperInbox> inbox_;
  std::shared_ptr<RedisShipper> self_;
  HandleCount handles_;
  LoopHandle<uv_async_t, RedisShipper*> wake_;
  LoopTimer reconnect_timer_;
  LoopTimer wait_timer_;  // backpressure, and a log that has not caught up yet
  std::unique_ptr<RedisConnection> connection_;
  std::unique_ptr<RedisConnection> lost_connection_;  // freed after its on_lost returned
  std::deque<Sent> queue_;
  std::deque<Sent> resend_;     // the transaction a lost connection left unanswered
  std::vector<Sent> in_flight_;  // the transaction sent
  std::optional<CatchUp> catch_up_;
  EntryId top_;  // the stream's last entry as far as we know
  bool synced_ = false;  // top_ was read from Redis on this connection
  bool ever_connected_ = false;
  bool outage_reported_ = false;
  bool exit_taken_ = false;  // the exit entry came: the log's last line is final
  bool end_reached_ = false;
  bool waiting_ = false;     // wait_timer_ runs
  bool failed_ = false;
  bool shut_down_ = false;
  std::chrono::milliseconds backoff_{0};
  std::minstd_rand random_;
};

}  // namespace logstream::redis
