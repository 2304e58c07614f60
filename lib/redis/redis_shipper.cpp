// RedisShipper (see redis_shipper.hpp).
#include "redis/redis_shipper.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "store/run_directory.hpp"

namespace logstream::redis {

namespace {

// A transaction holds at most this much: a reply's array stays small, and a lost connection
// costs one bounded resend.
constexpr std::size_t group_items = 512;
constexpr std::size_t group_bytes = 8 << 20;
// A catch-up reads the log this much at a time.
constexpr std::size_t catch_up_lines = 4096;
constexpr std::size_t catch_up_bytes = 2 << 20;
// The store writes its line index at least once a second while lines flow: a catch-up that
// finds its lines missing waits this long between looks, and gives up after the patience.
constexpr std::chrono::milliseconds log_wait{100};
constexpr std::chrono::seconds log_patience{30};

std::string error_text(const redisReply* reply) { return std::string(reply->str, reply->len); }

}  // namespace

void ShipperInbox::push(Outgoing item) {
  std::lock_guard lock(mutex);
  items.push_back(std::move(item));
  if (wake != nullptr) uv_async_send(wake);
}

RedisShipper::RedisShipper(uv_loop_t* loop, ShipperConfig config, std::shared_ptr<ShipperInbox> inbox)
    : loop_(loop),
      config_(std::move(config)),
      keys_(config_.options.prefix, config_.run.id),
      inbox_(std::move(inbox)),
      handles_([this] {
        // The last handle closed: nothing of libuv refers to us any more.
        std::shared_ptr<RedisShipper> self = std::move(self_);
        std::shared_ptr<ShipperInbox> inbox = inbox_;
        {
          std::lock_guard lock(inbox->mutex);
          inbox->closed = true;
        }
        inbox->changed.notify_all();
      }),
      reconnect_timer_(loop, &handles_),
      wait_timer_(loop, &handles_),
      random_(std::random_device{}()) {}

RedisShipper::~RedisShipper() = default;

template <typename F>
void RedisShipper::update_stats(F&& change) {
  {
    std::lock_guard lock(inbox_->mutex);
    change(inbox_->stats);
  }
  inbox_->changed.notify_all();
}

void RedisShipper::start(std::shared_ptr<RedisShipper> self) {
  self_ = std::move(self);
  wake_.open(&handles_, [this](uv_async_t* handle) {
    return uv_async_init(loop_, handle, [](uv_async_t* h) { LoopHandle<uv_async_t, RedisShipper*>::state(h)->take_inbox(); });
  });
  if (wake_.is_open()) {
    wake_.state() = this;
    std::lock_guard lock(inbox_->mutex);
    inbox_->wake = wake_.get();
  }
  connect();
  take_inbox();
}

void RedisShipper::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  {
    std::lock_guard lock(inbox_->mutex);
    inbox_->wake = nullptr;
  }
  // The connection first: its socket's handle then closes before ours, and the last of ours
  // to close says the shipper is done.
  connection_.reset();
  lost_connection_.reset();
  reconnect_timer_.close();
  wait_timer_.close();
  wake_.close();
}

void RedisShipper::take_inbox() {
  std::deque<Outgoing> items;
  {
    std::lock_guard lock(inbox_->mutex);
    items.swap(inbox_->items);
  }
  for (Outgoing& item : items) {
    const auto* entry = std::get_if<Entry>(&item);
    if (entry && entry->field == exit_field) exit_taken_ = true;
    const bool counted = entry != nullptr || std::holds_alternative<Skipped>(item);
    queue_.push_back(Sent{std::move(item), counted});
  }
  if (failed_) {
    while (!queue_.empty()) {
      uncount(queue_.front());
      queue_.pop_front();
    }
    return;
  }
  pump();
}

void RedisShipper::connect() {
  connection_ = std::make_unique<RedisConnection>(
      loop_, &handles_, config_.options.url, config_.options.connect_timeout, config_.options.command_timeout,
      RedisConnection::Handlers{.on_ready = [this] { on_ready(); }, .on_lost = [this](std::string reason) { on_lost(std::move(reason)); }});
  connection_->connect();
}

void RedisShipper::on_ready() {
  const bool reconnect = ever_connected_;
  ever_connected_ = true;
  outage_reported_ = false;
  backoff_ = std::chrono::milliseconds{0};
  update_stats([&](RedisSinkStats& stats) {
    stats.connected = true;
    if (reconnect) ++stats.reconnects;
  });
  {
    std::lock_guard lock(inbox_->mutex);
    inbox_->attempted = true;
  }
  inbox_->changed.notify_all();
  // Where the stream ends now: what a lost transaction left there is not sent again.
  connection_->command({"XREVRANGE", keys_.stream, "+", "-", "COUNT", "1"}, [this](const redisReply* reply, std::string_view) {
    if (reply == nullptr) return;
    if (reply->type == REDIS_REPLY_ERROR) return fail(fmt::format("{} refused XREVRANGE {}: {}", config_.options.url.text(), keys_.stream, error_text(reply)));
    EntryId redis_top;
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0) {
      const redisReply* entry = reply->element[0];
      if (entry->type == REDIS_REPLY_ARRAY && entry->elements > 0 && entry->element[0]->type == REDIS_REPLY_STRING) {
        if (auto id = EntryId::parse(std::string_view(entry->element[0]->str, entry->element[0]->len))) redis_top = *id;
      }
    }
    if (redis_top < top_) {
      resend_lost(redis_top);
    } else {
      top_ = redis_top;
    }
    synced_ = true;
    pump();
  });
}

void RedisShipper::on_lost(std::string reason) {
  lost_connection_ = std::move(connection_);  // we are inside its callback
  synced_ = false;
  update_stats([](RedisSinkStats& stats) { stats.connected = false; });
  if (shut_down_ || failed_) return;
  if (!ever_connected_) return fail(fmt::format("cannot connect to {}: {}", config_.options.url.text(), reason));
  requeue_in_flight();
  // Said once an outage, not at each attempt that fails while the server is away.
  if (!outage_reported_) notice(fmt::format("lost the connection to {} ({}): reconnecting, nothing is lost", config_.options.url.text(), reason));
  outage_reported_ = true;
  reconnect_timer_.start(next_backoff(), [this] {
    lost_connection_.reset();
    connect();
  });
}

void RedisShipper::resend_lost(EntryId redis_top) {
  // The server lost entries it had accepted (restarted without persistence, flushed): the
  // lines go again, read from the log, up to the last one Redis had or is to get from a
  // catch-up under way. The other entries of that span are not made again.
  std::uint64_t last = top_.seq;
  std::optional<Entry> progress;
  if (catch_up_) {
    last = std::max(last, catch_up_->range.last_committed_seq);
    progress = std::move(catch_up_->range.progress);
    catch_up_.reset();
  }
  for (auto it = resend_.rbegin(); it != resend_.rend(); ++it) {
    const auto* entry = std::get_if<Entry>(&it->item);
    if (entry && entry->field == lines_field && entry->id.seq <= last) {
      uncount(*it);
    } else {
      queue_.push_front(std::move(*it));
    }
  }
  resend_.clear();
  queue_.push_front(Sent{Skipped{.first_seq = redis_top.seq + 1, .last_committed_seq = last, .progress = std::move(progress)}, false});
  notice(fmt::format("{} lost the entries after {} of {}: they are sent again from the log", config_.options.url.text(),
                     redis_top.text(), keys_.stream));
  top_ = redis_top;
}

void RedisShipper::requeue_in_flight() {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) resend_.push_front(std::move(*it));
  in_flight_.clear();
}

std::chrono::milliseconds RedisShipper::next_backoff() {
  const auto& o = config_.options;
  backoff_ = std::clamp(backoff_ * 2, o.min_backoff, o.max_backoff);
  // Jitter: many senders that lost one server do not all come back at the same instant.
  std::uniform_int_distribution<long> half(backoff_.count() / 2, backoff_.count());
  return std::chrono::milliseconds{half(random_)};
}

void RedisShipper::uncount(const Sent& sent) {
  if (!sent.counted) return;
  std::size_t bytes = 0;
  if (const auto* entry = std::get_if<Entry>(&sent.item)) bytes = entry->bytes();
  if (const auto* skipped = std::get_if<Skipped>(&sent.item); skipped && skipped->progress) bytes = skipped->progress->bytes();
  inbox_->queued_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}

std::optional<RedisShipper::Sent> RedisShipper::next_item() {
  while (true) {
    if (!resend_.empty()) {
      Sent sent = std::move(resend_.front());
      resend_.pop_front();
      return sent;
    }
    if (catch_up_) {
      std::optional<Sent> chunk = read_back();
      if (chunk || catch_up_) return chunk;
      continue;  // the catch-up is over: its last entry went to resend_
    }
    if (queue_.empty()) return std::nullopt;
    Sent sent = std::move(queue_.front());
    queue_.pop_front();
    auto* skipped = std::get_if<Skipped>(&sent.item);
    if (skipped == nullptr) return sent;
    uncount(sent);
    // The latest progress of the skipped lines goes after them (its id is above theirs).
    if (skipped->last_committed_seq == 0 || skipped->last_committed_seq <= top_.seq) {
      if (skipped->progress) resend_.push_back(Sent{std::move(*skipped->progress), false});
      continue;
    }
    const store::RunDirectory dir{config_.run.directory};
    const std::uint64_t from = std::max(skipped->first_seq, top_.seq + 1);
    try {
      catch_up_ = CatchUp{.range = std::move(*skipped),
                          .cursor = std::make_unique<store::LineCursor>(config_.run.log, dir.line_index(),
                                                                        store::LineCursor::Start{.from_seq = from}),
                          .last_progress = std::chrono::steady_clock::now()};
    } catch (const std::exception& e) {
      notice(fmt::format("lines from #{} cannot be read back from the log for Redis: {}", from, e.what()));
      if (skipped->progress) resend_.push_back(Sent{std::move(*skipped->progress), false});
    }
  }
}

std::optional<RedisShipper::Sent> RedisShipper::read_back() {
  CatchUp& c = *catch_up_;
  const std::uint64_t last = c.range.last_committed_seq;
  std::vector<StoredLine> lines;
  bool done = false;
  try {
    c.cursor->read(
        [&](StoredLine&& line) {
          if (line.seq >= last) done = true;
          if (line.seq > last || line.seq <= top_.seq) return;
          lines.push_back(std::move(line));
        },
        exit_taken_, catch_up_lines, catch_up_bytes);
  } catch (const std::exception& e) {
    notice(fmt::format("lines up to #{} cannot be read back from the log for Redis: {}", last, e.what()));
    done = true;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!lines.empty()) c.last_progress = now;
  if (!done && lines.empty()) {
    if (now - c.last_progress > log_patience) {
      notice(fmt::format("lines up to #{} never reached the log: Redis misses them", last));
      done = true;
    } else {
      if (!waiting_) {
        waiting_ = true;
        wait_timer_.start(log_wait, [this] {
          waiting_ = false;
          pump();
        });
      }
      return std::nullopt;
    }
  }
  std::optional<Sent> out;
  if (!lines.empty()) {
    update_stats([&](RedisSinkStats& stats) { stats.caught_up_lines += lines.size(); });
    Entry entry{.id = EntryId{lines.back().seq, 0}, .field = std::string(lines_field), .value = lines_value(config_.run, lines)};
    out = Sent{std::move(entry), false};
  }
  if (done) {
    if (c.range.progress) resend_.push_back(Sent{std::move(*c.range.progress), false});
    catch_up_.reset();
  }
  return out;
}

void RedisShipper::pump() {
  if (failed_ || shut_down_ || !connection_ || !connection_->ready() || !synced_ || !in_flight_.empty() || waiting_) {
    finish_if_delivered();
    return;
  }
  std::vector<Sent> group;
  std::size_t bytes = 0;
  while (group.size() < group_items && bytes < group_bytes) {
    std::optional<Sent> sent = next_item();
    if (!sent) break;
    if (std::holds_alternative<End>(sent->item)) {
      end_reached_ = true;
      continue;
    }
    if (const auto* entry = std::get_if<Entry>(&sent->item)) {
      if (entry->id <= top_) {  // Redis has it already
        uncount(*sent);
        continue;
      }
      bytes += entry->bytes();
    }
    group.push_back(std::move(*sent));
  }
  if (group.empty()) {
    finish_if_delivered();
    return;
  }
  send_group(std::move(group));
}

void RedisShipper::send_group(std::vector<Sent> group) {
  in_flight_ = std::move(group);
  auto queue_errors = std::make_shared<std::vector<std::string>>();
  // A command refused while queued (OOM) aborts the transaction: remember why.
  const auto queued = [queue_errors](const redisReply* reply, std::string_view) {
    if (reply != nullptr && reply->type == REDIS_REPLY_ERROR) queue_errors->push_back(error_text(reply));
  };
  connection_->command({"MULTI"}, queued);
  std::vector<std::string> args;
  for (const Sent& sent : in_flight_) {
    if (const auto* entry = std::get_if<Entry>(&sent.item)) {
      args = {"XADD", keys_.stream};
      if (config_.options.maxlen) {
        args.insert(args.end(), {"MAXLEN", "~", std::to_string(*config_.options.maxlen)});
      }
      args.insert(args.end(), {entry->id.text(), entry->field, entry->value});
      connection_->command(args, queued);
    } else if (const auto* record = std::get_if<RecordUpdate>(&sent.item)) {
      connection_->command({"HSET", keys_.record, "run", record->json, "state", record->state}, queued);
      connection_->command({"ZADD", keys_.index, fmt::format("{:.6f}", record->started_at), config_.run.id}, queued);
    }
  }
  connection_->command({"EXEC"}, [this, queue_errors](const redisReply* reply, std::string_view) {
    if (reply == nullptr) return;  // lost: on_lost sends the transaction again
    on_exec(reply, *queue_errors);
  });
}

void RedisShipper::on_exec(const redisReply* reply, const std::vector<std::string>& queue_errors) {
  if (reply->type == REDIS_REPLY_ERROR || reply->type == REDIS_REPLY_NIL) {
    const std::string why = queue_errors.empty() ? (reply->type == REDIS_REPLY_NIL ? "aborted" : error_text(reply)) : queue_errors.front();
    if (!is_out_of_memory(why)) return fail(fmt::format("{} refused the entries of {}: {}", config_.options.url.text(), keys_.stream, why));
    // Backpressure: nothing of the transaction was applied; the same one goes again later.
    update_stats([](RedisSinkStats& stats) { ++stats.backpressure_replies; });
    notice(fmt::format("{} is out of memory ({}): the entries wait and are sent again", config_.options.url.text(), why));
    requeue_in_flight();
    waiting_ = true;
    wait_timer_.start(next_backoff(), [this] {
      waiting_ = false;
      pump();
    });
    return;
  }
  std::uint64_t accepted = 0;
  std::optional<std::uint64_t> lines_seq;
  std::size_t result = 0;
  for (const Sent& sent : in_flight_) {
    const std::size_t results = std::holds_alternative<RecordUpdate>(sent.item) ? 2 : 1;
    for (std::size_t i = 0; i < results && result < reply->elements; ++i, ++result) {
      const redisReply* r = reply->element[result];
      if (r->type == REDIS_REPLY_ERROR && !is_duplicate_id(error_text(r)))
        return fail(fmt::format("{} refused a command on {}: {}", config_.options.url.text(), keys_.stream, error_text(r)));
    }
    if (const auto* entry = std::get_if<Entry>(&sent.item)) {
      top_ = std::max(top_, entry->id);
      ++accepted;
      if (entry->field == lines_field) lines_seq = entry->id.seq;
    }
    uncount(sent);
  }
  in_flight_.clear();
  backoff_ = std::chrono::milliseconds{0};
  update_stats([&](RedisSinkStats& stats) {
    stats.entries += accepted;
    if (lines_seq) stats.delivered_seq = std::max(stats.delivered_seq, *lines_seq);
  });
  pump();
}

void RedisShipper::fail(std::string error) {
  if (failed_) return;
  failed_ = true;
  for (const Sent& sent : in_flight_) uncount(sent);
  for (const Sent& sent : resend_) uncount(sent);
  for (const Sent& sent : queue_) uncount(sent);
  in_flight_.clear();
  resend_.clear();
  queue_.clear();
  catch_up_.reset();
  if (connection_) {
    connection_->close();
    lost_connection_ = std::move(connection_);  // we may be inside its callback
  }
  {
    std::lock_guard lock(inbox_->mutex);
    inbox_->stats.error = std::move(error);
    inbox_->stats.connected = false;
    inbox_->attempted = true;
  }
  inbox_->changed.notify_all();
}

void RedisShipper::notice(std::string message) {
  std::lock_guard lock(inbox_->mutex);
  inbox_->notice = std::move(message);
}

void RedisShipper::finish_if_delivered() {
  if (!end_reached_ || failed_ || !queue_.empty() || !resend_.empty() || catch_up_ || !in_flight_.empty()) return;
  update_stats([](RedisSinkStats& stats) { stats.delivered = true; });
}

}  // namespace logstream::redis
