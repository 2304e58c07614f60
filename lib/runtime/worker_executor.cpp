// Worker threads: each parks on a condition variable while idle, so idle costs no CPU.
#include "runtime/worker_executor.hpp"

#include <chrono>

#include "runtime/thread_role.hpp"

namespace logstream {
namespace {
// Work that comes back within this long after a worker ran dry is a steady stream (a child
// writing 100,000 lines/s, whose writes arrive about ten microseconds apart): waiting for it
// on-CPU saves a futex wake-up, which on a busy machine costs more than the spin. Work that
// comes back later is an idle stream, or a flood's sink worker between two 64 KiB batches,
// where every spin would take a core from the extract actor or the child: a worker whose last wait
// was longer than this goes straight to sleep.
constexpr auto kSpinWindow = std::chrono::microseconds(30);
constexpr int kSpinsPerClockRead = 64;
}  // namespace

WorkerExecutor::WorkerExecutor(unsigned threads) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerExecutor::~WorkerExecutor() {
  for (std::size_t i = 0; i < threads_.size(); ++i) post(std::function<void()>{});
  for (auto& thread : threads_) thread.join();
}

void WorkerExecutor::post(std::function<void()> fn) {
  queue_.enqueue(std::move(fn));
  unclaimed_.fetch_add(1, std::memory_order_seq_cst);
  // A spinning worker takes it. If that worker is just giving up, it looks once more after
  // leaving spinning_ (seq_cst on both sides), so it sees this item.
  if (spinning_.load(std::memory_order_seq_cst) == 0) wake_one();
}

bool WorkerExecutor::in_executor_thread() const noexcept {
  return thread_role::current_worker() == this;
}

bool WorkerExecutor::claim() noexcept {
  std::ptrdiff_t n = unclaimed_.load(std::memory_order_seq_cst);
  while (n > 0) {
    if (unclaimed_.compare_exchange_weak(n, n - 1, std::memory_order_seq_cst)) return true;
  }
  return false;
}

void WorkerExecutor::wake_one() {
  if (sleepers_.load(std::memory_order_seq_cst) == 0) return;
  // Taking the mutex orders this after a sleeper's last look, which it makes under the mutex
  // before it waits.
  { std::lock_guard lock(mutex_); }
  wake_.notify_one();
}

bool WorkerExecutor::spin_for_work() {
  int idle = 0;
  if (!spinning_.compare_exchange_strong(idle, 1, std::memory_order_seq_cst)) return false;  // one spinner is enough
  const auto start = std::chrono::steady_clock::now();
  bool found = false;
  while (!found && std::chrono::steady_clock::now() - start < kSpinWindow) {
    for (int i = 0; i < kSpinsPerClockRead && !found; ++i) found = claim();
  }
  spinning_.store(0, std::memory_order_seq_cst);
  return found || claim();
}

void WorkerExecutor::acquire(bool& spin) {
  if (claim()) return;
  if (spin && spin_for_work()) return;  // still a steady stream: spin next time too
  const auto start = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(mutex_);
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    wake_.wait(lock, [this] { return claim(); });
    sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  }
  spin = std::chrono::steady_clock::now() - start < kSpinWindow;
}

void WorkerExecutor::run() {
  thread_role::set_worker(this);
  bool spin = false;
  std::function<void()> fn;
  for (;;) {
    acquire(spin);
    // More work than this worker can take: a backlog (many streams) gets a second worker.
    if (unclaimed_.load(std::memory_order_seq_cst) > 0 && spinning_.load(std::memory_order_seq_cst) == 0) wake_one();
    // The item is counted, so it is there: a failed dequeue only means the producer's
    // enqueue is not yet visible to this thread, for a moment.
    while (!queue_.try_dequeue(fn)) {
    }
    if (!fn) return;
    // Work posted here is library code that reports its own errors; an escape is a bug.
    fn();
    fn = nullptr;
  }
}

}  // namespace logstream
