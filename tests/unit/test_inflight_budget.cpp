// InflightBudget: admission at the bound, one resume per pause below half, the peak, and the
// release/pause race that must never leave a drained budget paused.
#include <catch2/catch.hpp>

#include <atomic>
#include <barrier>
#include <random>
#include <thread>

#include "actors/inflight_budget.hpp"

using namespace logstream;

TEST_CASE("inflight budget: a read is admitted up to the bound, not past it", "[inflight_budget]") {
  InflightBudget budget(100);
  CHECK(budget.admit(100));
  CHECK(budget.add(60) == 60);
  CHECK(budget.admit(40));
  CHECK_FALSE(budget.admit(41));
  CHECK(budget.add(40) == 100);
  CHECK_FALSE(budget.admit(1));
  CHECK_FALSE(budget.release(10));  // not paused: nothing to resume
  CHECK(budget.admit(10));
}

TEST_CASE("inflight budget: releases below half the bound ask for one resume, then reading resumes", "[inflight_budget]") {
  InflightBudget budget(100);
  budget.add(100);
  REQUIRE(budget.pause());
  CHECK_FALSE(budget.pause());  // already paused: nothing to do twice
  CHECK(budget.pauses() == 1);
  CHECK_FALSE(budget.try_resume());
  CHECK_FALSE(budget.release(40));  // 60 left: above half
  CHECK(budget.release(10));        // 50: half the bound, the one resume
  CHECK_FALSE(budget.release(10));  // 40: a resume is already on its way
  CHECK(budget.is_paused());
  budget.resume_arrived();
  CHECK(budget.try_resume());
  CHECK_FALSE(budget.is_paused());
  CHECK_FALSE(budget.try_resume());
  CHECK_FALSE(budget.release(10));  // not paused any more
}

TEST_CASE("inflight budget: a resume that arrives after new reads keeps the budget paused", "[inflight_budget]") {
  InflightBudget budget(100);
  budget.add(100);
  budget.pause();
  CHECK(budget.release(60));
  budget.add(30);  // 70: above half again before the loop got to the resume
  budget.resume_arrived();
  CHECK_FALSE(budget.try_resume());
  CHECK(budget.is_paused());
  CHECK(budget.release(30));  // the next release may ask again
}

TEST_CASE("inflight budget: the peak is the most ever in flight", "[inflight_budget]") {
  InflightBudget budget(1000);
  budget.add(300);
  budget.add(400);
  budget.release(600);
  budget.add(200);
  CHECK(budget.inflight() == 300);
  CHECK(budget.peak() == 700);
}

TEST_CASE("inflight budget: a release racing a pause never leaves a drained budget paused", "[inflight_budget]") {
  // Two threads meet at a barrier each round: the loop pauses (as the reader stage does: pause,
  // stop reading, try_resume), the other releases enough to reach half the bound. Random spins
  // before each side shuffle the interleavings. After both, the loop runs the resume that
  // release() asked for, if any. Then a paused budget must be above half the bound.
  constexpr std::size_t kBound = 1000;
  constexpr int kRounds = 20000;
  InflightBudget budget(kBound);
  std::barrier round(2);
  std::atomic<bool> posted{false};
  int stuck = 0;
  int resumed_by_release = 0;
  auto spin = [](std::minstd_rand& random) {
    for (int i = static_cast<int>(random() % 64); i > 0; --i) std::atomic_signal_fence(std::memory_order_seq_cst);
  };
  std::thread releaser([&] {
    std::minstd_rand random(2);
    for (int r = 0; r < kRounds; ++r) {
      round.arrive_and_wait();  // the round is set up
      spin(random);
      posted.store(budget.release(kBound / 2), std::memory_order_relaxed);
      round.arrive_and_wait();  // both sides done
      round.arrive_and_wait();  // checked
    }
  });
  std::minstd_rand random(1);
  for (int r = 0; r < kRounds; ++r) {
    budget.add(kBound);  // from 0 to the bound: its next read would be refused
    round.arrive_and_wait();
    spin(random);
    if (budget.pause()) budget.try_resume();
    round.arrive_and_wait();
    if (posted.load(std::memory_order_relaxed)) {
      ++resumed_by_release;
      budget.resume_arrived();
      budget.try_resume();
    }
    if (budget.is_paused() && budget.inflight() <= kBound / 2) ++stuck;
    // Back to empty and unpaused for the next round.
    budget.release(budget.inflight());
    budget.resume_arrived();
    budget.try_resume();
    round.arrive_and_wait();
  }
  releaser.join();
  CHECK(stuck == 0);
  CHECK_FALSE(budget.is_paused());
  INFO("rounds resumed by the release: " << resumed_by_release);
  CHECK(budget.pauses() == static_cast<std::uint64_t>(kRounds));
}
