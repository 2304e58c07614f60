// Task<T>: lazy until awaited; a value or an exception reaches the awaiting coroutine, through
// nested tasks too.
#include <catch2/catch.hpp>

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "actors/detached.hpp"
#include "actors/task.hpp"

using namespace logstream;

namespace {

/// A coroutine that runs eagerly on this thread, to its end, and frees itself: start_actor's
/// own kind, enough to await tasks that never suspend on an executor.
using Eager = detail::Detached;

struct Outcome {
  std::optional<int> value;
  std::string error;
  bool ran = false;
};

Task<int> answer(bool& started) {
  started = true;
  co_return 42;
}

Task<int> failing() {
  throw std::runtime_error("task failed");
  co_return 0;
}

Task<int> forwards() {
  int v = co_await failing();  // rethrown here, and out of this task
  co_return v + 1;
}

Task<> failing_void() {
  throw std::logic_error("void task failed");
  co_return;
}

Eager await_int(Task<int> task, Outcome& out) {
  try {
    out.value = co_await std::move(task);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  out.ran = true;
}

Eager await_void(Task<> task, Outcome& out) {
  try {
    co_await std::move(task);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  out.ran = true;
}

}  // namespace

TEST_CASE("task: runs only when awaited, and yields its value", "[task]") {
  bool started = false;
  Task<int> task = answer(started);
  CHECK_FALSE(started);
  Outcome out;
  await_int(std::move(task), out);
  CHECK(started);
  CHECK(out.ran);
  CHECK(out.value == 42);
}

TEST_CASE("task: an exception is rethrown in the awaiting coroutine", "[task]") {
  Outcome out;
  await_int(failing(), out);
  CHECK(out.ran);
  CHECK_FALSE(out.value);
  CHECK(out.error == "task failed");
}

TEST_CASE("task: an exception crosses nested tasks", "[task]") {
  Outcome out;
  await_int(forwards(), out);
  CHECK_FALSE(out.value);
  CHECK(out.error == "task failed");
}

TEST_CASE("task: a void task's exception is rethrown too", "[task]") {
  Outcome out;
  await_void(failing_void(), out);
  CHECK(out.ran);
  CHECK(out.error == "void task failed");
}

TEST_CASE("task: a task never awaited is destroyed without running", "[task]") {
  bool started = false;
  { Task<int> task = answer(started); }
  CHECK_FALSE(started);
}
