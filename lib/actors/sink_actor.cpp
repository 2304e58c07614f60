// The sink actor: open, write each batch in order (reporting gaps), flush when caught up, close.
#include "actors/sink_actor.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include <logstream/sinks/callback_sink.hpp>

#include "actors/stream_context.hpp"

namespace logstream {
namespace {
constexpr auto kFlushInterval = std::chrono::seconds(1);
}

/// One sink's delivery state. Shared with a drop_oldest sink's thread, which may outlive the
/// stream once abandoned: then `stream` is null and reports go nowhere.
struct SinkCore {
  SinkCore(StreamContext& context, std::shared_ptr<Sink> s)
      : stream(&context), sink(std::move(s)), policy(sink->overflow()), name(sink->name()) {}

  void report(StreamEvent event) {
    std::lock_guard lock(stream_mutex);
    if (stream) stream->report(std::move(event));
  }
  /// The stream this sink still belongs to, taken once: by the sink's own end or by the
  /// watchdog that abandons it, whichever comes first; `last_word` is said to it before.
  template <typename F>
  StreamContext* detach(F&& last_word) {
    std::lock_guard lock(stream_mutex);
    StreamContext* s = std::exchange(stream, nullptr);
    if (s) last_word(*s);
    return s;
  }
  bool attached() {
    std::lock_guard lock(stream_mutex);
    return stream != nullptr;
  }

  template <typename F>
  bool guarded(const char* what, F&& hook);
  void deliver(const LineBatch& batch);
  void deliver(const StreamEvent& event);
  void deliver(const Delivery& delivery) {
    if (delivery.event) {
      deliver(*delivery.event);
    } else {
      deliver(*delivery.batch);
    }
  }
  void flush_if(bool caught_up);

  std::mutex stream_mutex;
  StreamContext* stream;
  const std::shared_ptr<Sink> sink;
  const OverflowPolicy policy;
  const std::string name;
  // The delivering thread only.
  std::uint64_t next_seq = 1;
  bool failed = false;
  bool wrote = false;
  std::chrono::steady_clock::time_point last_flush = std::chrono::steady_clock::now();
  // Any thread.
  std::atomic<std::uint64_t> lines{0};
  std::atomic<std::uint64_t> dropped{0};  // written by the producer when it drops
  std::atomic<std::uint64_t> failed_lines{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> returns{0};  // hooks that returned: the watchdog's sign of life
  std::atomic<bool> abandoned{false};
};

/// A drop_oldest sink's queue, bounded in the bytes of its batches (events are never dropped):
/// the extract actor pushes, the sink's thread pops.
struct LossyQueue {
  /// Drops the oldest batches while over the bound, keeping the newest; returns the lines dropped.
  std::uint64_t trim();

  std::mutex mutex;
  std::condition_variable ready;
  std::deque<Delivery> entries;
  std::size_t batches = 0;
  std::size_t bytes = 0;
  std::size_t cap = 0;
  bool closed = false;
};

std::uint64_t LossyQueue::trim() {
  std::uint64_t dropped = 0;
  auto it = entries.begin();
  while (batches > 1 && bytes > cap) {
    while (it->event) ++it;  // a batch is further on: batches > 1
    dropped += it->batch->size();
    bytes -= it->batch->footprint();
    --batches;
    it = entries.erase(it);
  }
  return dropped;
}

template <typename F>
bool SinkCore::guarded(const char* what, F&& hook) {
  // A sink is user code or I/O: neither may stop the stream. A sink that throws is broken (a
  // full disk does not heal between two batches, nor does a bug): it is retired, reported
  // once, and its lines are counted as failed. The exception is CallbackError, the one a
  // CallbackSink throws for a user function that threw: every line was still offered.
  auto fail = [&](EventKind kind, std::string message, bool retire) {
    errors.fetch_add(1, std::memory_order_relaxed);
    if (retire) failed = true;
    report(StreamEvent{.kind = kind, .sink = name, .message = std::move(message)});
  };
  bool ok = false;
  try {
    hook();
    ok = true;
  } catch (const CallbackError& e) {
    fail(EventKind::callback_error, e.what(), false);
  } catch (const std::system_error& e) {
    fail(EventKind::sink_error, fmt::format("{} failed in {}: {}", name, what, e.what()), true);
  } catch (const std::exception& e) {
    fail(EventKind::sink_error, fmt::format("{} threw in {}: {}", name, what, e.what()), true);
  } catch (...) {
    fail(EventKind::sink_error, fmt::format("{} threw in {}", name, what), true);
  }
  returns.fetch_add(1, std::memory_order_relaxed);
  return ok;
}

void SinkCore::deliver(const LineBatch& batch) {
  // Every batch says where it starts, also one without lines (the end's): lines dropped
  // before the last batch are a gap too.
  if (batch.first_seq() > next_seq) {
    GapEvent gap{next_seq, batch.first_seq() - next_seq};
    guarded("on_gap", [&] { sink->on_gap(gap); });
    report(StreamEvent{.kind = EventKind::gap,
                       .sink = name,
                       .message = fmt::format("{} skipped {} line(s) from #{}", name, gap.count, gap.first_seq),
                       .first_seq = gap.first_seq,
                       .count = gap.count});
  }
  next_seq = std::max(next_seq, batch.last_seq() + 1);
  if (failed) {
    failed_lines.fetch_add(batch.size(), std::memory_order_relaxed);
    return;
  }
  wrote = true;
  if (guarded("write", [&] { sink->write(batch); }) || !failed) {
    lines.fetch_add(batch.size(), std::memory_order_relaxed);
  } else {
    failed_lines.fetch_add(batch.size(), std::memory_order_relaxed);
  }
}

void SinkCore::deliver(const StreamEvent& event) {
  if (failed) return;
  guarded("on_event", [&] { sink->on_event(event); });
}

void SinkCore::flush_if(bool caught_up) {
  // Caught up: make what was written visible now, one flush for the whole run of batches;
  // under a steady flow, at least every kFlushInterval.
  auto now = std::chrono::steady_clock::now();
  if (failed || !wrote || (!caught_up && now - last_flush < kFlushInterval)) return;
  guarded("flush", [&] { sink->flush(); });
  last_flush = now;
  wrote = false;
}

namespace {

void run_lossy(std::shared_ptr<SinkCore> core, std::shared_ptr<LossyQueue> queue) {
  core->guarded("open", [&] { core->sink->open(); });
  for (;;) {
    Delivery delivery;
    bool caught_up = false;
    {
      std::unique_lock lock(queue->mutex);
      queue->ready.wait(lock, [&] { return !queue->entries.empty() || queue->closed; });
      if (queue->entries.empty()) break;
      delivery = std::move(queue->entries.front());
      queue->entries.pop_front();
      if (delivery.batch) {
        queue->bytes -= delivery.batch->footprint();
        --queue->batches;
      }
      caught_up = queue->entries.empty();
    }
    core->deliver(delivery);
    delivery = {};
    core->flush_if(caught_up);
  }
  if (!core->failed) core->guarded("close", [&] { core->sink->close(); });
  if (StreamContext* stream = core->detach([](StreamContext&) {})) stream->actor_done();
}

}  // namespace

SinkActor::SinkActor(StreamContext& stream, Executor& executor, std::shared_ptr<Sink> sink,
                     std::size_t drop_queue_bytes, std::chrono::milliseconds abandon_after)
    : stream_(stream),
      core_(std::make_shared<SinkCore>(stream, std::move(sink))),
      abandon_after_(abandon_after),
      // A lossless sink runs on the extract actor's thread when both are idle: that actor hands it the
      // batch without a thread hop, and would wait for it at the in-flight bound anyway. While
      // chunks queue up for the extract actor, the sink runs beside it on another worker instead.
      inbox_(executor, core_->policy == OverflowPolicy::block) {
  if (core_->policy != OverflowPolicy::block) {
    lossy_ = std::make_shared<LossyQueue>();
    lossy_->cap = drop_queue_bytes;
  }
}

SinkActor::~SinkActor() {
  if (!thread_.joinable()) return;
  // Not abandoned, the thread has already handed in its actor_done: it is ending. Abandoned,
  // it may be stuck for good in the user's hook: it owns what it touches, let it be.
  if (core_->abandoned.load(std::memory_order_acquire) || thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void SinkActor::send(BatchPtr batch, bool may_run_here) {
  if (!lossy_) {
    inbox_.send(Delivery{std::move(batch), nullptr}, may_run_here);
    return;
  }
  {
    std::lock_guard lock(lossy_->mutex);
    lossy_->bytes += batch->footprint();
    ++lossy_->batches;
    lossy_->entries.push_back(Delivery{std::move(batch), nullptr});
    // The newest batch always stays: the sink gets the latest state, the gap before it reported.
    if (std::uint64_t dropped = lossy_->trim()) core_->dropped.fetch_add(dropped, std::memory_order_relaxed);
  }
  lossy_->ready.notify_one();
}

void SinkActor::send_event(std::shared_ptr<const StreamEvent> event) {
  if (!lossy_) {
    inbox_.send(Delivery{nullptr, std::move(event)});
    return;
  }
  {
    std::lock_guard lock(lossy_->mutex);
    lossy_->entries.push_back(Delivery{nullptr, std::move(event)});
  }
  lossy_->ready.notify_one();
}

void SinkActor::close() {
  if (!lossy_) {
    inbox_.close();
    return;
  }
  {
    std::lock_guard lock(lossy_->mutex);
    lossy_->closed = true;
  }
  lossy_->ready.notify_one();
  watch_lossy();
}

void SinkActor::watch_lossy() {
  // After the input ended, a lossy sink that stays inside one hook for a whole period is
  // abandoned, so that stop() and completion never wait on it for long.
  std::shared_ptr<SinkCore> core = core_;
  std::shared_ptr<LossyQueue> queue = lossy_;
  const auto period = abandon_after_;
  std::uint64_t seen = core->returns.load(std::memory_order_relaxed);
  stream_.every_on_loop(period, [core, queue, period, seen]() mutable {
    if (!core->attached()) return false;  // it finished
    const std::uint64_t now = core->returns.load(std::memory_order_relaxed);
    if (now != seen) {
      seen = now;
      return true;
    }
    std::uint64_t queued = 0;
    {
      std::lock_guard lock(queue->mutex);
      for (const auto& entry : queue->entries)
        if (entry.batch) queued += entry.batch->size();
      queue->entries.clear();
      queue->batches = 0;
      queue->bytes = 0;
    }
    StreamContext* stream = core->detach([&](StreamContext& s) {
      core->abandoned.store(true, std::memory_order_release);
      core->errors.fetch_add(1, std::memory_order_relaxed);
      core->failed_lines.fetch_add(queued, std::memory_order_relaxed);
      s.report(StreamEvent{.kind = EventKind::sink_error,
                           .sink = core->name,
                           .message = fmt::format("{} (drop_oldest) did not return for {} ms after the input "
                                                  "ended: abandoned, {} queued line(s) not written",
                                                  core->name, period.count(), queued),
                           .count = queued});
    });
    if (stream) stream->actor_done();
    return false;
  });
}

SinkStats SinkActor::stats() const {
  return SinkStats{core_->name, core_->lines.load(std::memory_order_relaxed),
                   core_->dropped.load(std::memory_order_relaxed), core_->failed_lines.load(std::memory_order_relaxed),
                   core_->errors.load(std::memory_order_relaxed)};
}

Task<> SinkActor::run() {
  if (lossy_) {
    thread_ = std::thread(run_lossy, core_, lossy_);
    co_return;
  }
  SinkCore& core = *core_;
  core.guarded("open", [&] { core.sink->open(); });
  while (co_await inbox_.wait()) {
    while (auto delivery = inbox_.try_receive()) {
      core.deliver(*delivery);
      *delivery = {};  // release now: backpressure counts what is held
      core.flush_if(false);
    }
    core.flush_if(true);
  }
  if (!core.failed) core.guarded("close", [&] { core.sink->close(); });
  stream_.actor_done();
}

}  // namespace logstream
