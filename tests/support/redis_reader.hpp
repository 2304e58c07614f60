// RedisReader: what a test reads back from its redis-server, through hiredis's blocking API.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace logstream::test {

struct StreamEntry {
  std::string id;
  std::string field;  // logstream's entries have one field
  std::string value;
};

class RedisReader {
public:
  explicit RedisReader(std::uint16_t port) : context_(redisConnect("127.0.0.1", port), &redisFree) {
    if (!context_ || context_->err) throw std::runtime_error("cannot connect to the test's redis-server");
  }

  /// The whole stream, oldest first, read a page at a time.
  std::vector<StreamEntry> xrange(const std::string& key) {
    std::vector<StreamEntry> out;
    std::string from = "-";
    while (true) {
      Reply reply = command({"XRANGE", key, from, "+", "COUNT", "1000"});
      if (!reply || reply->type != REDIS_REPLY_ARRAY) throw std::runtime_error("XRANGE failed");
      for (std::size_t i = 0; i < reply->elements; ++i) {
        const redisReply* entry = reply->element[i];
        StreamEntry e{.id = text(entry->element[0])};
        const redisReply* fields = entry->element[1];
        if (fields->elements >= 2) {
          e.field = text(fields->element[0]);
          e.value = text(fields->element[1]);
        }
        out.push_back(std::move(e));
      }
      if (reply->elements < 1000) return out;
      from = "(" + out.back().id;
    }
  }

  /// Blocks until the stream has an entry (XREAD BLOCK), at most `timeout_ms`; true when it has.
  bool wait_for_entry(const std::string& key, int timeout_ms) {
    Reply reply = command({"XREAD", "COUNT", "1", "BLOCK", std::to_string(timeout_ms), "STREAMS", key, "0-0"});
    return reply && reply->type == REDIS_REPLY_ARRAY && reply->elements > 0;
  }

  /// A string reply (HGET ...); empty for nil.
  std::string get(const std::vector<std::string>& args) {
    Reply reply = command(args);
    if (!reply) throw std::runtime_error("command failed");
    return reply->type == REDIS_REPLY_STRING ? text(reply.get()) : std::string();
  }
  long long integer(const std::vector<std::string>& args) {
    Reply reply = command(args);
    return reply && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
  }

private:
  using Reply = std::unique_ptr<redisReply, void (*)(void*)>;
  static std::string text(const redisReply* r) { return std::string(r->str, r->len); }
  Reply command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    return Reply(static_cast<redisReply*>(redisCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())),
                 &freeReplyObject);
  }

  std::unique_ptr<redisContext, void (*)(redisContext*)> context_;
};

}  // namespace logstream::test
