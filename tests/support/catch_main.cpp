// The one Catch2 main shared by every test executable. A test never touches the user's run
// store: LOGSTREAM_HOME points into a temporary directory for the whole run (tests of the store
// give each test its own), removed at the end.
//
// A watchdog names a test case that hangs: the suite's report is written only at its end, so a
// suite killed by meson's timeout would say nothing of where it stopped. After
// LOGSTREAM_TEST_CASE_TIMEOUT seconds (default 300) in one test case, it prints the case's name
// on stderr and aborts the suite (a core and a failed suite, named by tools/count_tests.py).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <stdio.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "temp_dir.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LOGSTREAM_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LOGSTREAM_TEST_SANITIZED 1
#endif
#endif
#ifdef LOGSTREAM_TEST_SANITIZED
#include <sanitizer/common_interface_defs.h>
#endif

namespace {

// A sanitizer symbolizes stacks with a helper process of its own (clang's runtimes run
// llvm-symbolizer over two pipes), started the first time it symbolizes, for a suppressed report
// too. Tests that count this process's children and descriptors before and after their work
// would see it appear in between: it starts here, before any test.
void start_symbolizer() {
#ifdef LOGSTREAM_TEST_SANITIZED
  char text[256];
  __sanitizer_symbolize_pc(__builtin_return_address(0), "%p %F %L", text, sizeof text);
#endif
}

class Watchdog {
public:
  static Watchdog& instance() {
    static Watchdog watchdog;
    return watchdog;
  }

  void started(const std::string& name) {
    std::lock_guard lock(mutex_);
    name_ = name;
    deadline_ = std::chrono::steady_clock::now() + limit_;
    ++generation_;
    wake_.notify_all();
  }
  void ended() {
    std::lock_guard lock(mutex_);
    name_.clear();
    ++generation_;
    wake_.notify_all();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

private:
  Watchdog() {
    if (const char* text = std::getenv("LOGSTREAM_TEST_CASE_TIMEOUT"); text && *text) limit_ = std::chrono::seconds(std::atoi(text));
    thread_ = std::thread([this] { run(); });
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (name_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto generation = generation_;
      const auto deadline = deadline_;
      if (wake_.wait_until(lock, deadline, [&] { return stopping_ || generation_ != generation; })) continue;
      std::fprintf(stderr, "\ntest watchdog: '%s' still runs after %lld s: aborting the suite\n", name_.c_str(),
                   static_cast<long long>(limit_.count()));
      std::fflush(stderr);
      std::abort();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string name_;
  std::chrono::steady_clock::time_point deadline_{};
  std::chrono::seconds limit_{300};
  unsigned long generation_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

struct WatchdogListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo& info) override { Watchdog::instance().started(info.name); }
  void testCaseEnded(const Catch::TestCaseStats&) override { Watchdog::instance().ended(); }
};

}  // namespace

CATCH_REGISTER_LISTENER(WatchdogListener)

int main(int argc, char** argv) {
  start_symbolizer();
  const logstream::test::TempDir home;
  ::setenv("LOGSTREAM_HOME", home.file("store").c_str(), 1);
  const int status = Catch::Session().run(argc, argv);
  Watchdog::instance().stop();
  return status;
}
