// `run --redis` (see redis_flags.hpp).
#include "redis_flags.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "messages.hpp"

namespace logstream::cli {

bool redis_flags_ok(const RedisFlags& flags) {
  if (flags.url.empty()) return true;
  try {
    parse_redis_url(flags.url);
  } catch (const std::invalid_argument& e) {
    say(fmt::format("--redis: {}", e.what()));
    return false;
  }
  if (flags.prefix.empty()) {
    say("--redis-prefix: the prefix must not be empty");
    return false;
  }
  return true;
}

std::shared_ptr<RedisSink> add_redis_sink(Streamer& streamer, std::shared_ptr<const RunStore> store, const RedisFlags& flags) {
  if (flags.url.empty()) return nullptr;
  RedisSinkOptions options{.url = parse_redis_url(flags.url), .prefix = flags.prefix, .maxlen = flags.maxlen};
  auto sink = std::make_shared<RedisSink>(streamer.runtime(), std::move(store), streamer.run_id(), std::move(options));
  streamer.add_sink(sink);
  return sink;
}

void finish_redis(RedisSink& sink, std::chrono::milliseconds timeout) {
  if (sink.finish(timeout)) return;
  const RedisSinkStats stats = sink.stats();
  // The sink's own error was reported as a sink_error while the run ran.
  if (!stats.error.empty()) return;
  say(fmt::format("{}: not everything reached Redis within {} s (lines up to #{} did); the run's log has it all", sink.name(),
                  std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), stats.delivered_seq));
}

}  // namespace logstream::cli
