// The sink actor: open, write each batch in order (reporting gaps), flush when caught up, close.
#include "actors/sink_actor.hpp"

#include <chrono>
#include <exception>
#include <system_error>

#include <fmt/format.h>

#include <logstream/sinks/callback_sink.hpp>

#include "actors/stream_context.hpp"

namespace logstream {
namespace {
constexpr auto kFlushInterval = std::chrono::seconds(1);
}

SinkActor::SinkActor(StreamContext& stream, Executor& executor, std::shared_ptr<Sink> sink,
                     std::size_t drop_queue_batches)
    : stream_(stream),
      sink_(std::move(sink)),
      policy_(sink_->overflow()),
      drop_queue_batches_(drop_queue_batches < 1 ? 1 : drop_queue_batches),
      // A lossless sink runs on the parser's thread when both are idle: the parser hands it the
      // batch without a thread hop, and would wait for it at the in-flight bound anyway. While
      // chunks queue up for the parser, the sink runs beside it on another worker instead. A
      // drop_oldest sink must never slow the parser, so it always runs on its own.
      inbox_(executor, policy_ == OverflowPolicy::block),
      name_(sink_->name()) {}

void SinkActor::send(BatchPtr batch, bool may_run_here) {
  if (policy_ == OverflowPolicy::block) {
    inbox_.send(std::move(batch), may_run_here);
    return;
  }
  inbox_.send_dropping(std::move(batch), drop_queue_batches_,
                       [this](const BatchPtr& old) { dropped_.fetch_add(old->size(), std::memory_order_relaxed); });
}

void SinkActor::close() { inbox_.close(); }

SinkStats SinkActor::stats() const {
  return SinkStats{name_, lines_.load(std::memory_order_relaxed), dropped_.load(std::memory_order_relaxed),
                   failed_lines_.load(std::memory_order_relaxed), errors_.load(std::memory_order_relaxed)};
}

template <typename F>
bool SinkActor::guarded(const char* what, F&& hook) {
  // A sink is user code or I/O: neither may stop the stream. An I/O failure retires the sink
  // (a full disk does not heal between two batches); a throwing callback does not.
  auto fail = [&](EventKind kind, std::string message, bool retire) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    if (retire) failed_ = true;
    stream_.report(StreamEvent{.kind = kind, .sink = name_, .message = std::move(message)});
  };
  try {
    hook();
    return true;
  } catch (const CallbackError& e) {
    fail(EventKind::callback_error, e.what(), false);
  } catch (const std::system_error& e) {
    fail(EventKind::sink_error, fmt::format("{} failed in {}: {}", name_, what, e.what()), true);
  } catch (const std::exception& e) {
    fail(EventKind::sink_error, fmt::format("{} threw in {}: {}", name_, what, e.what()), false);
  } catch (...) {
    fail(EventKind::sink_error, fmt::format("{} threw in {}", name_, what), false);
  }
  return false;
}

void SinkActor::deliver(const LineBatch& batch) {
  if (!batch.empty()) {
    if (batch.first_seq() > next_seq_) {
      GapEvent gap{next_seq_, batch.first_seq() - next_seq_};
      guarded("on_gap", [&] { sink_->on_gap(gap); });
      stream_.report(StreamEvent{.kind = EventKind::gap,
                                 .sink = name_,
                                 .message = fmt::format("{} skipped {} line(s) from #{}", name_, gap.count, gap.first_seq),
                                 .first_seq = gap.first_seq,
                                 .count = gap.count});
    }
    next_seq_ = batch.last_seq() + 1;
  }
  if (failed_) {
    failed_lines_.fetch_add(batch.size(), std::memory_order_relaxed);
    return;
  }
  if (guarded("write", [&] { sink_->write(batch); })) {
    lines_.fetch_add(batch.size(), std::memory_order_relaxed);
  } else if (failed_) {
    failed_lines_.fetch_add(batch.size(), std::memory_order_relaxed);
  } else {
    lines_.fetch_add(batch.size(), std::memory_order_relaxed);
  }
}

Task<> SinkActor::run() {
  guarded("open", [&] { sink_->open(); });
  auto last_flush = std::chrono::steady_clock::now();
  while (co_await inbox_.wait()) {
    bool wrote = false;
    while (auto batch = inbox_.try_receive()) {
      deliver(**batch);
      batch->reset();  // release now: backpressure counts what is held
      wrote = true;
      auto now = std::chrono::steady_clock::now();
      if (now - last_flush >= kFlushInterval && !failed_) {
        guarded("flush", [&] { sink_->flush(); });
        last_flush = now;
      }
    }
    // Caught up: make what was written visible now, one write for the whole run of batches.
    if (wrote && !failed_) {
      guarded("flush", [&] { sink_->flush(); });
      last_flush = std::chrono::steady_clock::now();
    }
  }
  if (!failed_) guarded("close", [&] { sink_->close(); });
  stream_.actor_done();
}

}  // namespace logstream
