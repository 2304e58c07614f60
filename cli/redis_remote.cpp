// RemoteRun (see redis_remote.hpp).
#include "redis_remote.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "json/json.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "store_access.hpp"
#include "json/run_json.hpp"
#include "json/stored_run_json.hpp"
#include "redis/redis_entries.hpp"

namespace logstream::cli {

namespace {

constexpr std::chrono::seconds connect_timeout{2};
// A blocking read waits this long on the server, the socket a little longer.
constexpr int block_ms = 1000;
constexpr std::chrono::seconds socket_timeout{5};
constexpr const char* page = "1000";
constexpr std::chrono::milliseconds max_backoff{2000};

std::string text(const redisReply* r) { return std::string(r->str, r->len); }

}  // namespace

bool is_remote_run(std::string_view target) { return target.starts_with("redis://"); }

std::vector<RemoteEntry> stream_entries(const redisReply* array) {
  std::vector<RemoteEntry> out;
  for (std::size_t i = 0; i < array->elements; ++i) {
    const redisReply* entry = array->element[i];
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2) continue;
    RemoteEntry e{.id = text(entry->element[0])};
    const redisReply* fields = entry->element[1];
    if (fields->type == REDIS_REPLY_ARRAY && fields->elements >= 2) {
      e.field = text(fields->element[0]);
      e.value = text(fields->element[1]);
    }
    out.push_back(std::move(e));
  }
  return out;
}

RedisClient::~RedisClient() { drop(); }

void RedisClient::drop() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

redisContext* RedisClient::connection() {
  if (context_ != nullptr) return context_;
  const timeval connect{.tv_sec = connect_timeout.count(), .tv_usec = 0};
  context_ = redisConnectWithTimeout(url_.host.c_str(), url_.port, connect);
  if (context_ == nullptr || context_->err != 0) {
    const std::string why = context_ != nullptr ? context_->errstr : "out of memory";
    drop();
    throw std::runtime_error(fmt::format("cannot connect to {}: {}", url_.text(), why));
  }
  const timeval socket{.tv_sec = socket_timeout.count(), .tv_usec = 0};
  redisSetTimeout(context_, socket);
  RedisReply reply(static_cast<redisReply*>(redisCommand(context_, "SELECT %d", url_.db)), &freeReplyObject);
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    const std::string why = reply ? text(reply.get()) : context_->errstr;
    drop();
    throw std::runtime_error(fmt::format("{}: {}", url_.text(), why));
  }
  return context_;
}

RedisReply RedisClient::command(const std::vector<std::string>& args) {
  redisContext* c = connection();
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  RedisReply reply(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data())),
                   &freeReplyObject);
  if (!reply) {
    const std::string why = c->errstr;
    drop();
    throw std::runtime_error(fmt::format("{}: {}", url_.text(), why));
  }
  if (reply->type == REDIS_REPLY_ERROR) throw std::invalid_argument(fmt::format("{}: {}", url_.text(), text(reply.get())));
  return reply;
}

std::optional<RunRecord> remote_record(RedisClient& client, std::string_view prefix, std::string_view id) {
  const RedisReply run = client.command({"HGET", redis::Keys(prefix, id).record, "run"});
  if (run->type != REDIS_REPLY_STRING) return std::nullopt;
  return json::run_from(json::Json::parse(text(run.get())));
}

RemoteRun::RemoteRun(std::string_view target, std::string prefix) : prefix_(std::move(prefix)) {
  const auto slash = target.rfind('/');
  if (!is_remote_run(target) || slash < std::string_view("redis://").size() || slash + 1 == target.size())
    throw std::invalid_argument(fmt::format("'{}' is not redis://HOST[:PORT][/DB]/RUN", target));
  client_ = std::make_unique<RedisClient>(parse_redis_url(target.substr(0, slash)));
  run_ = std::string(target.substr(slash + 1));
}

RunRecord RemoteRun::record() {
  const redis::Keys probe(prefix_, run_);
  std::string id = run_;
  if (client_->command({"EXISTS", probe.record})->integer == 0) {
    // A unique prefix of an id in the index.
    const RedisReply ids = client_->command({"ZRANGE", probe.index, "0", "-1"});
    std::vector<std::string> candidates;
    for (std::size_t i = 0; i < ids->elements; ++i)
      if (text(ids->element[i]).starts_with(run_)) candidates.push_back(text(ids->element[i]));
    const std::string url = client_->url().text();
    if (candidates.empty()) throw RunLookupError(fmt::format("no run '{}' in {}", run_, url), {});
    if (candidates.size() > 1) throw RunLookupError(fmt::format("'{}' names several runs in {}", run_, url), candidates);
    id = candidates.front();
  }
  std::optional<RunRecord> run = remote_record(*client_, prefix_, id);
  if (!run) throw RunLookupError(fmt::format("no run '{}' in {}", id, client_->url().text()), {});
  stream_ = redis::Keys(prefix_, id).stream;
  return std::move(*run);
}

void RemoteRun::read(bool follow, const std::function<void(const RemoteEntry&)>& out, const std::function<void()>& caught_up,
                     const std::function<bool()>& stop) {
  if (stream_.empty()) record();
  bool at_end = false;  // the entries there were at the start are out
  std::chrono::milliseconds backoff{50};
  std::vector<RemoteEntry> entries;
  while (!stop || !stop()) {
    entries.clear();
    try {
      if (!at_end) {
        entries = stream_entries(client_->command({"XRANGE", stream_, "(" + last_id_, "+", "COUNT", page}).get());
      } else {
        const RedisReply reply =
            client_->command({"XREAD", "COUNT", page, "BLOCK", std::to_string(block_ms), "STREAMS", stream_, last_id_});
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0) entries = stream_entries(reply->element[0]->element[1]);
      }
      backoff = std::chrono::milliseconds{50};
    } catch (const std::runtime_error&) {
      // Lost or unreachable: try again and resume after the last entry handed out.
      if (!follow) throw;
      std::this_thread::sleep_for(backoff);  // a server away: no hurry
      backoff = std::min(backoff * 2, max_backoff);
      continue;
    }
    for (const RemoteEntry& e : entries) {
      last_id_ = e.id;
      out(e);
      if (follow && e.field == redis::exit_field) return;
    }
    if (!at_end && entries.empty()) {
      at_end = true;
      if (caught_up) caught_up();
      if (!follow) return;
    }
  }
}

}  // namespace logstream::cli

namespace logstream::cli {

int remote_failure_status() {
  try {
    throw;
  } catch (const RunLookupError& e) {
    say(e.what());
    return e.ambiguous() ? usage_status : unknown_run_status;
  } catch (const std::invalid_argument& e) {
    say(e.what());
    return usage_status;
  } catch (const std::exception& e) {
    say(e.what());
    return unknown_run_status;
  }
}

std::optional<std::string> read_remote_lines(RemoteRun& remote, const RunRecord& run, bool follow, std::optional<std::size_t> last,
                                             const RemoteLines& out) {
  std::deque<StoredLine> recent;  // the last `last` lines of those there are at the start
  bool live = !last;
  std::optional<std::string> exit;
  remote.read(
      follow,
      [&](const RemoteEntry& e) {
        if (e.field == redis::exit_field) exit = e.value;
        if (e.field != redis::lines_field) return;
        for (const json::Json& object : json::Json::parse(e.value)) {
          StoredLine line = json::stored_line_from(run, object);
          if (live) {
            out.line(line);
            continue;
          }
          recent.push_back(std::move(line));
          if (recent.size() > *last) recent.pop_front();
        }
        if (live && out.flush) out.flush();
      },
      [&] {
        for (const StoredLine& line : recent) out.line(line);
        recent.clear();
        live = true;
        if (out.flush) out.flush();
      },
      out.stop);
  return exit;
}

}  // namespace logstream::cli
