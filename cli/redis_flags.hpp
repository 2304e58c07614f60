// `run --redis`: the Redis flags (options.hpp RedisFlags) as a RedisSink of the run.
#pragma once

#include <chrono>
#include <memory>

#include <logstream/run_store.hpp>
#include <logstream/sinks/redis_sink.hpp>
#include <logstream/streamer.hpp>

#include "options.hpp"

namespace logstream::cli {

/// False after saying what is wrong with --redis (the command then exits with usage_status
/// before the child runs).
bool redis_flags_ok(const RedisFlags& flags);
/// The sink shipping the streamer's run, added to it; null without --redis.
std::shared_ptr<RedisSink> add_redis_sink(Streamer& streamer, std::shared_ptr<const RunStore> store, const RedisFlags& flags);
/// After the run: the final record to Redis, and a wait of at most `timeout` for the rest to
/// get there; says what did not.
void finish_redis(RedisSink& sink, std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace logstream::cli
