// RedisSink: the sink's side, on its actor: entries made from batches and events, handed to the
// shipper on the loop (redis_shipper.hpp), whose problems come back as the hooks' exceptions.
#include <logstream/sinks/redis_sink.hpp>

#include <atomic>

#include <fmt/format.h>

#include <logstream/sinks/callback_sink.hpp>

#include "json/event_json.hpp"
#include "json/metric_json.hpp"
#include "json/progress_json.hpp"
#include "json/run_json.hpp"
#include "json/stored_run_json.hpp"
#include "redis/redis_shipper.hpp"
#include "store/run_recorder.hpp"
#include "text/time_format.hpp"

namespace logstream {

namespace {

using redis::Entry;
using redis::EntryId;

constexpr std::chrono::seconds record_interval{1};
// What the loop may still need to let go of the connection when the sink goes.
constexpr std::chrono::seconds shutdown_wait{10};

double epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

redis::RecordUpdate record_update(const RunRecord& run) {
  return redis::RecordUpdate{.json = json::dump(json::run_json(run, false)),
                             .state = std::string(to_string(run.state)),
                             .started_at = epoch_seconds(run.started_at)};
}

}  // namespace

// The loop-thread side of the shipper's life: created by open()'s post, shut down by the
// destructor's, in whichever order the loop runs them.
struct ShipperSlot {
  std::weak_ptr<redis::RedisShipper> shipper;
  bool shut_down = false;
};

// Hidden: a nested class of an exported one would export the typeinfo of its lambdas.
class __attribute__((visibility("hidden"))) RedisSink::Impl {
public:
  Impl(Runtime& runtime, std::shared_ptr<const RunStore> store, std::string run_id, RedisSinkOptions options)
      : runtime_(runtime), store_(std::move(store)), options_(std::move(options)) {
    std::optional<RunRecord> run = store_ ? store_->get(run_id) : std::nullopt;
    if (!run) throw std::invalid_argument(fmt::format("RedisSink: the store has no run '{}'", run_id));
    run_ = std::move(*run);
  }

  std::string name() const { return "redis:" + options_.url.text(); }

  void open() {
    redis::ShipperConfig config{.options = options_, .run = run_};
    runtime_.post([loop = runtime_.loop(), config = std::move(config), inbox = inbox_, slot = slot_]() mutable {
      if (slot->shut_down) {
        {
          std::lock_guard lock(inbox->mutex);
          inbox->closed = true;
        }
        inbox->changed.notify_all();
        return;
      }
      auto shipper = std::make_shared<redis::RedisShipper>(loop, std::move(config), inbox);
      slot->shipper = shipper;
      shipper->start(shipper);
    });
    // The record first: a viewer finds the run as soon as its stream has entries.
    inbox_->push(record_update(run_));
    opened_ = true;
  }

  void write(const LineBatch& batch) {
    advance(batch.last_seq());
    std::uint64_t err = 0;
    for (const Line line : batch) err += line.is_stderr() ? 1 : 0;
    lines_ += batch.size();
    stderr_lines_ += err;
    const std::span<const ProgressChange> changes = batch.progress_changes();
    const LineBatch::Metrics metrics = batch.metrics();
    // Decided before any JSON is made: a batch that will not be queued costs no formatting.
    const std::size_t estimate = batch.raw().size() * 2 + 256 * (metrics.size() + changes.size() + 1);
    if (full(estimate)) return skip(batch, changes);
    flush_skip();
    if (std::string lines = redis::lines_value(run_, batch); lines != "[]") {
      push(Entry{.id = EntryId{batch.last_seq(), 0}, .field = std::string(redis::lines_field), .value = std::move(lines)});
    }
    const double t = std::chrono::duration<double>(batch.wall_time() - run_.started_at).count();
    for (const MetricObservation m : metrics)
      push(Entry{.id = next_id(), .field = std::string(redis::metric_field), .value = json::dump(json::metric_event_json(m.key, m.value, m.seq, t))});
    for (const ProgressChange& change : changes) push(progress_entry(change.progress));
  }

  void on_event(const StreamEvent& event) {
    if (event.kind == EventKind::exited) {
      flush_skip();
      RunRecord ended = run_;
      ended.exit_code = event.exit_code;
      ended.signal = event.term_signal;
      ended.lines = lines_;
      ended.stderr_lines = stderr_lines_;
      ended.stdout_lines = lines_ - stderr_lines_;
      ended.ended_at = std::chrono::system_clock::now();
      ended.state = store::final_state(ended);
      push(Entry{.id = next_id(), .field = std::string(redis::exit_field), .value = json::dump(json::stored_exit_json(ended))});
    } else if (event.kind == EventKind::alert && event.alert) {
      flush_skip();
      push(Entry{.id = next_id(), .field = std::string(redis::alert_field), .value = json::dump(json::alert_json(*event.alert))});
    }
  }

  void flush() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_record_ < record_interval) return;
    last_record_ = now;
    if (std::optional<RunRecord> run = store_->get(run_.id)) inbox_->push(record_update(*run));
  }

  void close() {
    flush_skip();
    if (runtime_.on_loop_thread()) return;
    // A server that cannot be reached at all should say so as this sink's error, not only
    // after the run: wait for the first attempt's outcome (the run's lines are all read).
    std::unique_lock lock(inbox_->mutex);
    inbox_->changed.wait_for(lock, options_.connect_timeout + std::chrono::milliseconds{500}, [&] { return inbox_->attempted; });
  }

  /// Throws what the shipper ran into since the last hook: its fatal error once (the stream
  /// retires the sink), or a notice (a callback_error event; the sink goes on).
  void report() {
    std::string notice;
    {
      std::lock_guard lock(inbox_->mutex);
      if (!inbox_->stats.error.empty() && !fatal_reported_) {
        fatal_reported_ = true;
        throw std::runtime_error(inbox_->stats.error);
      }
      notice.swap(inbox_->notice);
    }
    if (!notice.empty()) throw CallbackError(fmt::format("{}: {}", name(), notice));
  }

  bool finish(std::chrono::milliseconds timeout) {
    if (!opened_) return false;
    if (std::optional<RunRecord> run = store_->get(run_.id)) inbox_->push(record_update(*run));
    inbox_->push(redis::End{});
    if (runtime_.on_loop_thread()) return stats().delivered;
    bool delivered = false;
    {
      std::unique_lock lock(inbox_->mutex);
      delivered = inbox_->changed.wait_for(lock, timeout, [&] { return inbox_->stats.delivered || !inbox_->stats.error.empty(); }) &&
                  inbox_->stats.delivered;
    }
    // Done with the loop: the sink may now outlive its runtime (a stream can hold its sinks
    // until the runtime goes, which waits for the loop's handles).
    shut_down();
    return delivered;
  }

  RedisSinkStats stats() const {
    std::lock_guard lock(inbox_->mutex);
    return inbox_->stats;
  }

  bool wait_until(const std::function<bool(const RedisSinkStats&)>& condition, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(inbox_->mutex);
    return inbox_->changed.wait_for(lock, timeout, [&] { return condition(inbox_->stats); });
  }

  void shut_down() {
    if (!opened_ || shut_down_.exchange(true)) return;
    runtime_.post([slot = slot_] {
      slot->shut_down = true;
      if (auto shipper = slot->shipper.lock()) shipper->shutdown();
    });
    if (runtime_.on_loop_thread()) return;
    std::unique_lock lock(inbox_->mutex);
    inbox_->changed.wait_for(lock, shutdown_wait, [&] { return inbox_->closed; });
  }

private:
  // Ids: see redis_entries.hpp.
  void advance(std::uint64_t seq) {
    if (seq > last_.seq) last_ = EntryId{seq, 0};
  }
  EntryId next_id() {
    ++last_.k;
    return last_;
  }

  Entry progress_entry(const TrainingProgress& progress) {
    return Entry{.id = next_id(), .field = std::string(redis::progress_field), .value = json::dump(json::progress_event_json(progress))};
  }

  bool full(std::size_t bytes) const {
    const std::size_t queued = inbox_->queued_bytes.load(std::memory_order_relaxed);
    // Once skipping, queue again only when half the room is back: no flapping per batch.
    // An empty queue takes any batch, however large.
    return skipping_ ? queued > options_.max_queue_bytes / 2 : queued > 0 && queued + bytes > options_.max_queue_bytes;
  }

  void skip(const LineBatch& batch, std::span<const ProgressChange> changes) {
    if (!skipping_) {
      skipping_ = true;
      skipped_ = redis::Skipped{.first_seq = batch.first_seq()};
    }
    for (const Line line : batch)
      if (!line.transient) skipped_.last_committed_seq = line.seq;
    // Their metric entries are not made (the ids they would have had stay unused).
    for (std::size_t i = 0; i < batch.metrics().size(); ++i) next_id();
    if (!changes.empty()) skipped_.progress = progress_entry(changes.back().progress);
  }

  void flush_skip() {
    if (!skipping_) return;
    skipping_ = false;
    if (skipped_.progress) inbox_->queued_bytes.fetch_add(skipped_.progress->bytes(), std::memory_order_relaxed);
    inbox_->push(std::move(skipped_));
    skipped_ = {};
  }

  void push(Entry entry) {
    inbox_->queued_bytes.fetch_add(entry.bytes(), std::memory_order_relaxed);
    inbox_->push(std::move(entry));
  }

  Runtime& runtime_;
  std::shared_ptr<const RunStore> store_;
  RedisSinkOptions options_;
  RunRecord run_;
  std::shared_ptr<redis::ShipperInbox> inbox_ = std::make_shared<redis::ShipperInbox>();
  std::shared_ptr<ShipperSlot> slot_ = std::make_shared<ShipperSlot>();
  std::atomic<bool> opened_{false};
  std::atomic<bool> shut_down_{false};
  bool fatal_reported_ = false;
  // The actor's: ids, counts, the lines not queued.
  EntryId last_;
  std::uint64_t lines_ = 0;
  std::uint64_t stderr_lines_ = 0;
  bool skipping_ = false;
  redis::Skipped skipped_;
  std::chrono::steady_clock::time_point last_record_{};
};

RedisSink::RedisSink(Runtime& runtime, std::shared_ptr<const RunStore> store, std::string run_id, RedisSinkOptions options)
    : impl_(std::make_shared<Impl>(runtime, std::move(store), std::move(run_id), std::move(options))) {}

RedisSink::~RedisSink() { impl_->shut_down(); }

void RedisSink::open() { impl_->open(); }

void RedisSink::write(const LineBatch& batch) {
  impl_->write(batch);
  impl_->report();
}

void RedisSink::flush() {
  impl_->flush();
  impl_->report();
}

void RedisSink::close() {
  impl_->close();
  impl_->report();
}

void RedisSink::on_event(const StreamEvent& event) {
  impl_->on_event(event);
  impl_->report();
}

std::string RedisSink::name() const { return impl_->name(); }

bool RedisSink::finish(std::chrono::milliseconds timeout) { return impl_->finish(timeout); }

RedisSinkStats RedisSink::stats() const { return impl_->stats(); }

bool RedisSink::wait_until(const std::function<bool(const RedisSinkStats&)>& condition, std::chrono::milliseconds timeout) const {
  return impl_->wait_until(condition, timeout);
}

}  // namespace logstream
