// A run in Redis, as `run --redis` ships it (README "Redis"), read by `logs` and `attach`:
// redis://HOST[:PORT][/DB]/RUN names it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/run_store.hpp>
#include <logstream/sinks/redis_sink.hpp>

struct redisContext;
struct redisReply;

namespace logstream::cli {

/// A target of `logs`/`attach` that names a run in Redis rather than in the local store.
bool is_remote_run(std::string_view target);

/// One entry of a run's stream: its id and its one field.
struct RemoteEntry {
  std::string id;
  std::string field;
  std::string value;
};

using RedisReply = std::unique_ptr<redisReply, void (*)(void*)>;

/// A blocking connection to Redis that connects when first used, and again after it was lost.
class RedisClient {
public:
  explicit RedisClient(RedisUrl url) : url_(std::move(url)) {}
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisUrl& url() const noexcept { return url_; }
  /// The reply. Throws std::runtime_error when Redis cannot be reached or the connection was
  /// lost (the next command connects again), std::invalid_argument for an error reply.
  RedisReply command(const std::vector<std::string>& args);

private:
  redisContext* connection();
  void drop();

  RedisUrl url_;
  redisContext* context_ = nullptr;
};

/// The entries of an XRANGE reply (or of one stream of an XREAD reply).
std::vector<RemoteEntry> stream_entries(const redisReply* array);
/// A run's record from its hash; empty when Redis has none.
std::optional<RunRecord> remote_record(RedisClient& client, std::string_view prefix, std::string_view id);

/// Blocking reads of one run's stream. Not thread-safe.
class RemoteRun {
public:
  /// Throws std::invalid_argument for a target that is no redis://HOST[:PORT][/DB]/RUN.
  explicit RemoteRun(std::string_view target, std::string prefix = "logstream");

  /// The run's record (its hash); RUN may be an id or a unique id prefix. Throws
  /// RunLookupError when Redis has no such run, std::runtime_error when Redis cannot be used.
  RunRecord record();
  /// The stream's entries after the last one handed out, oldest first: those there are now,
  /// then (with `follow`) new ones as they come, until the exit entry. A lost connection is
  /// retried with backoff and the reading resumes after the last entry handed out. `caught_up`
  /// runs once, when the entries there were at the start are out.
  /// `stop` is asked between reads (at least once a second while following).
  void read(bool follow, const std::function<void(const RemoteEntry&)>& out, const std::function<void()>& caught_up = {},
            const std::function<bool()>& stop = {});

private:
  std::string prefix_;
  std::string run_;
  std::unique_ptr<RedisClient> client_;
  std::string stream_;
  std::string last_id_ = "0-0";
};

/// From a catch block: says what went wrong with a remote run and returns the exit status: 2
/// for a malformed target or an ambiguous id prefix, 1 for anything else (no such run, Redis
/// unreachable).
int remote_failure_status();

/// What read_remote_lines hands out.
struct RemoteLines {
  std::function<void(const StoredLine&)> line;
  std::function<void()> flush;  ///< after each entry: what was handed out may be shown now
  std::function<bool()> stop;
};

/// The run's lines: the last `last` of those there are now (all when empty), then, with
/// `follow`, each new one until the run's end. Returns the exit entry's object (JSON text) when
/// the reading ended there.
std::optional<std::string> read_remote_lines(RemoteRun& remote, const RunRecord& run, bool follow, std::optional<std::size_t> last, const RemoteLines& out);

}  // namespace logstream::cli
