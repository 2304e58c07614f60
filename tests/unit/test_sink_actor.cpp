// SinkActor on its own: a drop_oldest sink that falls behind gets one gap with the lines it
// missed, every event, then one close.
#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <logstream/framing.hpp>

#include "actors/detached.hpp"
#include "actors/sink_actor.hpp"
#include "actors/stream_context.hpp"
#include "framer.hpp"
#include "process_support.hpp"
#include "runtime/worker_executor.hpp"

using namespace logstream;

namespace {

/// The stream as a sink actor sees it: records reports and the actor's end.
struct FakeStream : StreamContext {
  void report(StreamEvent event) override {
    std::lock_guard lock(condition.mutex());
    reports.push_back(std::move(event));
  }
  void tell_subscribers(StreamEvent) override {}
  void release(std::size_t) override {}
  void progress_changed(const TrainingProgress&) override {}
  void actor_done() override {
    {
      std::lock_guard lock(condition.mutex());
      ++done;
    }
    condition.signal();
  }
  void every_on_loop(std::chrono::milliseconds, std::function<bool()>) override {}  // no watchdog here

  test::Condition condition;
  std::vector<StreamEvent> reports;
  int done = 0;
};

/// A drop_oldest sink whose first write waits until the test opens the gate.
struct GatedSink : Sink {
  void write(const LineBatch& batch) override {
    std::unique_lock lock(condition.mutex());
    for (const Line& line : batch) log.push_back("line " + std::to_string(line.seq));
    in_write = true;
    lock.unlock();
    condition.signal();
    lock.lock();
    condition_wait(lock);
  }
  void on_gap(const GapEvent& gap) override {
    std::lock_guard lock(condition.mutex());
    log.push_back("gap " + std::to_string(gap.first_seq) + "+" + std::to_string(gap.count));
  }
  void on_event(const StreamEvent& event) override {
    std::lock_guard lock(condition.mutex());
    log.push_back("event " + event.message);
  }
  void close() override {
    std::lock_guard lock(condition.mutex());
    log.push_back("close");
  }
  OverflowPolicy overflow() const override { return OverflowPolicy::drop_oldest; }
  std::string name() const override { return "gated"; }

  void condition_wait(std::unique_lock<std::mutex>& lock) { gate_cv.wait(lock, [this] { return open; }); }
  void open_gate() {
    {
      std::lock_guard lock(condition.mutex());
      open = true;
    }
    gate_cv.notify_all();
  }

  test::Condition condition;
  std::condition_variable gate_cv;
  std::vector<std::string> log;
  bool in_write = false;
  bool open = false;
};

/// One batch per line, numbered from 1 as the framer numbers them.
std::vector<BatchPtr> numbered_batches(int count) {
  Framer framer;
  std::vector<BatchPtr> out;
  for (int i = 1; i <= count; ++i) {
    Chunk chunk;
    chunk.bytes = ByteBuffer::copy_of("line\n");
    out.push_back(std::make_shared<const LineBatch>(framer.frame(std::move(chunk))));
  }
  return out;
}

std::shared_ptr<const StreamEvent> event(std::string message) {
  return std::make_shared<const StreamEvent>(StreamEvent{.kind = EventKind::truncated, .message = std::move(message)});
}

}  // namespace

TEST_CASE("sink actor: a drop_oldest sink behind gets one gap with the lines it missed, every event, one close",
          "[sink_actor]") {
  WorkerExecutor workers(1);
  FakeStream stream;
  auto sink = std::make_shared<GatedSink>();
  SinkActor actor(stream, workers, sink, /*drop_queue_bytes=*/1, std::chrono::seconds(60));
  REQUIRE(actor.lossy());
  // The actor outlives its run() (as a stream's actors do, held by start_actor): the test waits
  // for the coroutine's keep-alive to go before the actor does.
  test::Condition run_over;
  bool over = false;
  start_actor(workers, actor.run(), std::shared_ptr<void>(nullptr, [&](void*) {
                {
                  std::lock_guard lock(run_over.mutex());
                  over = true;
                }
                run_over.signal();
              }));

  auto batches = numbered_batches(5);
  actor.send(batches[0]);
  REQUIRE(sink->condition.wait_for(std::chrono::seconds(10), [&] { return sink->in_write; }));
  // The sink is inside write(1): with a queue of one byte only the newest batch stays, while
  // the events between the batches are never dropped.
  actor.send(batches[1]);
  actor.send_event(event("A"));
  actor.send(batches[2]);
  actor.send(batches[3]);
  actor.send_event(event("B"));
  actor.send(batches[4]);
  actor.close();
  sink->open_gate();

  REQUIRE(stream.condition.wait_for(std::chrono::seconds(10), [&] { return stream.done == 1; }));
  REQUIRE(run_over.wait_for(std::chrono::seconds(10), [&] { return over; }));
  std::lock_guard lock(sink->condition.mutex());
  CHECK(sink->log == std::vector<std::string>{"line 1", "event A", "event B", "gap 2+3", "line 5", "close"});
  CHECK(actor.stats().dropped_lines == 3);
  std::lock_guard stream_lock(stream.condition.mutex());
  REQUIRE(stream.reports.size() == 1);
  CHECK(stream.reports[0].kind == EventKind::gap);
  CHECK(stream.reports[0].first_seq == 2);
  CHECK(stream.reports[0].count == 3);
}
