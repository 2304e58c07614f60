// RedisSink: ships a recorded run to a Redis stream, for viewers and collectors elsewhere.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/export.hpp>
#include <logstream/run_store.hpp>
#include <logstream/runtime.hpp>
#include <logstream/sink.hpp>

namespace logstream {

/// Where a Redis server is: `redis://HOST[:PORT][/DB]`.
struct LOGSTREAM_API RedisUrl {
  std::string host;
  std::uint16_t port = 6379;
  int db = 0;
  std::string text() const;  ///< "redis://HOST:PORT/DB"
};

/// Parses `redis://HOST[:PORT][/DB]` (an IPv6 host in brackets). Throws std::invalid_argument
/// saying what is wrong.
LOGSTREAM_API RedisUrl parse_redis_url(std::string_view url);

struct LOGSTREAM_API RedisSinkOptions {
  RedisUrl url;
  /// Keys: PREFIX:run:<id> (the stream), PREFIX:runs:<id> (the record), PREFIX:runs (the index).
  std::string prefix = "logstream";
  /// XADD ... MAXLEN ~ N: Redis keeps about the newest N entries of the stream.
  std::optional<std::size_t> maxlen;
  /// Bytes of entries waiting for Redis (queued or unacknowledged). Beyond it the sink stops
  /// queueing and later reads what Redis missed back from the run's log file.
  std::size_t max_queue_bytes = 32 << 20;
  std::chrono::milliseconds connect_timeout{2000};
  /// A command without a reply this long counts as a lost connection (a hung server).
  std::chrono::milliseconds command_timeout{5000};
  /// Reconnection waits this, doubled at each failure up to the maximum, with jitter.
  std::chrono::milliseconds min_backoff{50};
  std::chrono::milliseconds max_backoff{2000};
};

/// What has reached Redis so far.
struct LOGSTREAM_API RedisSinkStats {
  std::uint64_t entries = 0;          ///< entries Redis accepted (a resend it refused counts once)
  std::uint64_t delivered_seq = 0;    ///< every line up to this seq is in the stream
  std::uint64_t caught_up_lines = 0;  ///< lines read back from the log file (the queue was full)
  std::uint64_t reconnects = 0;
  std::uint64_t backpressure_replies = 0;  ///< OOM replies: the entry was retried later
  bool connected = false;
  bool delivered = false;  ///< the whole run is in Redis
  std::string error;       ///< why the sink gave up, if it did
};

/// Ships the run `run_id` of `store` to Redis Streams (README "Redis"): one stream entry per
/// batch of lines (the `line` objects of `run --json`, as a JSON array) and one per progress
/// change, metric observation, alert and exit, with ids derived from the seq so that a resend
/// is refused by Redis as already there; the run's record in a hash and an index of runs.
///
/// It never holds the run back: the hooks (on the sink's actor) only hand entries to the
/// runtime's loop, where hiredis talks to Redis. When Redis is slow or away beyond
/// max_queue_bytes, the sink records from which line Redis missed out and, once Redis is back,
/// reads those lines from the run's log (the store writes it), so no line is lost; the metric
/// observations of those lines are not resent (the record carries the metric summaries).
///
/// Errors: a server that cannot be reached at the first attempt, refuses the password or the
/// database, or answers a command with an error other than a duplicate id or OOM ends the
/// shipping: the next hook throws, which the stream reports as a `sink_error` event. A
/// connection lost later is retried with exponential backoff and jitter; an OOM reply is
/// backpressure, retried the same way and reported once as a `callback_error` event (the sink
/// goes on).
class LOGSTREAM_API RedisSink : public Sink {
public:
  /// `store` must record `run_id` (Streamer::run_id()); nothing connects before open().
  RedisSink(Runtime& runtime, std::shared_ptr<const RunStore> store, std::string run_id, RedisSinkOptions options);
  /// Closes the connection (waits for the loop to let go of it, unless on the loop's thread).
  ~RedisSink() override;
  RedisSink(const RedisSink&) = delete;
  RedisSink& operator=(const RedisSink&) = delete;

  void open() override;
  void write(const LineBatch& batch) override;
  void flush() override;
  void close() override;
  void on_event(const StreamEvent& event) override;
  std::string name() const override;

  /// Hands the run's final record to Redis (call once the stream completed, when the store has
  /// ended the run), waits until everything is in Redis, at most `timeout`, then closes the
  /// connection. False on timeout or when the sink gave up (see stats().error). Never waits on
  /// the loop's thread. Call it (or destroy the sink) before the Runtime goes: the runtime's
  /// loop runs until the connection is closed.
  bool finish(std::chrono::milliseconds timeout);
  RedisSinkStats stats() const;
  /// Waits until `condition(stats())` holds (checked at each change), at most `timeout`.
  bool wait_until(const std::function<bool(const RedisSinkStats&)>& condition, std::chrono::milliseconds timeout) const;

  class Impl;

private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace logstream
