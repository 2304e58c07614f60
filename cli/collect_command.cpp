// `logstream collect redis://HOST[:PORT]` (see store_commands.hpp): every run shipped to Redis
// with `run --redis`, written into the local store as it arrives (RunImport), so that `ls`,
// `show`, `logs`, `search` and `serve` work on them as on local runs.
#include <hiredis/hiredis.h>

#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include <logstream/run_import.hpp>

#include "exit_status.hpp"
#include "json/json.hpp"
#include "json/stored_run_json.hpp"
#include "messages.hpp"
#include "redis/redis_entries.hpp"
#include "redis_remote.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"

namespace logstream::cli {
namespace {

constexpr std::chrono::seconds snapshot_interval{1};
constexpr std::chrono::milliseconds max_backoff{2000};

struct Collected {
  RunRecord run;  // as it started: the line objects' times count from its start
  std::unique_ptr<RunImport> import;
  std::string last_id;  // the last entry taken from its stream
  std::chrono::steady_clock::time_point updated{};
  bool exit_seen = false;
};

// A run is taken (again) unless the store has it ended: one a collector killed earlier left
// behind shows `lost` (its lock is gone) and is resumed.
bool ended_here(const RunStore& store, const std::string& id) {
  const std::optional<RunRecord> local = store.get(id);
  return local && local->state != RunState::running && local->state != RunState::lost;
}

class Collector {
public:
  Collector(RedisUrl url, std::string prefix, std::shared_ptr<RunStore> store)
      : client_(std::move(url)), prefix_(std::move(prefix)), index_(redis::Keys(prefix_, "").index), store_(std::move(store)) {}

  // One round: new runs from the index, new entries of the runs being collected (waiting up to
  // a second for some), their snapshots.
  void round() {
    discover();
    if (active_.empty()) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // nothing to block on until a run appears
      return;
    }
    std::vector<std::string> args = {"XREAD", "COUNT", "1000", "BLOCK", "1000", "STREAMS"};
    for (const auto& [stream, run] : active_) args.push_back(stream);
    for (const auto& [stream, run] : active_) args.push_back(run.last_id);
    const RedisReply reply = client_.command(args);
    if (reply->type == REDIS_REPLY_ARRAY)
      for (std::size_t i = 0; i < reply->elements; ++i) take(*reply->element[i]);
    snapshots();
  }

private:
  void discover() {
    const RedisReply ids = client_.command({"ZRANGE", index_, "0", "-1"});
    for (std::size_t i = 0; i < ids->elements; ++i) {
      const std::string id(ids->element[i]->str, ids->element[i]->len);
      const std::string stream = redis::Keys(prefix_, id).stream;
      if (done_.contains(id) || active_.contains(stream)) continue;
      if (ended_here(*store_, id)) {
        done_.insert(id);
        continue;
      }
      const std::optional<RunRecord> record = remote_record(client_, prefix_, id);
      if (!record) continue;
      auto import = std::make_unique<RunImport>(store_, *record);
      // Entries up to the last whole line the store has hold no line it lacks.
      const std::string after = fmt::format("{}-0", import->last_seq());
      active_.emplace(stream, Collected{.run = *record, .import = std::move(import), .last_id = after});
      say(fmt::format("collecting run {} ({} on {})", id, record->name, record->host));
    }
  }

  void take(const redisReply& stream) {
    const auto it = active_.find(std::string(stream.element[0]->str, stream.element[0]->len));
    if (it == active_.end()) return;
    Collected& run = it->second;
    for (const RemoteEntry& e : stream_entries(stream.element[1])) {
      run.last_id = e.id;
      if (e.field == redis::exit_field) run.exit_seen = true;
      if (e.field != redis::lines_field) continue;
      for (const json::Json& object : json::Json::parse(e.value)) run.import->append(json::stored_line_from(run.run, object));
    }
  }

  // The record at most once a second; a run whose exit came ends once its record says so.
  void snapshots() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = active_.begin(); it != active_.end();) {
      Collected& run = it->second;
      if (!run.exit_seen && now - run.updated < snapshot_interval) {
        ++it;
        continue;
      }
      run.updated = now;
      const std::string id = it->first.substr(redis::Keys(prefix_, "").stream.size());
      const std::optional<RunRecord> record = remote_record(client_, prefix_, id);
      if (record) run.import->update(*record);
      if (record && record->state != RunState::running) {
        done_.insert(id);
        it = active_.erase(it);
      } else {
        ++it;
      }
    }
  }

  RedisClient client_;
  std::string prefix_;
  std::string index_;
  std::shared_ptr<RunStore> store_;
  std::map<std::string, Collected> active_;  // by stream key
  std::set<std::string> done_;
};

}  // namespace

int collect_command(const CollectOptions& o) {
  RedisUrl url;
  try {
    url = parse_redis_url(o.url);
  } catch (const std::invalid_argument& e) {
    say(e.what());
    return usage_status;
  }
  std::shared_ptr<RunStore> store = open_store();
  if (!store) return internal_failure_status;
  say(fmt::format("collecting the runs of {} into {}; Ctrl-C ends", url.text(), store->root().string()));
  Collector collector(url, o.prefix, store);
  std::chrono::milliseconds backoff{50};
  std::string last_error;
  for (;;) {
    try {
      collector.round();
      backoff = std::chrono::milliseconds{50};
      last_error.clear();
    } catch (const std::exception& e) {
      // Redis away, or a run that cannot be written: said once, tried again.
      if (e.what() != last_error) say(e.what());
      last_error = e.what();
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, max_backoff);
    }
  }
}

}  // namespace logstream::cli
