// The child's environment: ours, plus ProcessSpec::env, plus PYTHONUNBUFFERED=1 unless either
// already sets it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

std::string child_sees(const std::string& name, std::map<std::string, std::string> env = {}) {
  ProcessSpec spec = child({"env", name});
  spec.env = std::move(env);
  Streamer s(spec);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  const auto logs = s.get_logs();
  return logs.empty() ? std::string("<none>") : logs[0];
}

/// Sets a variable of our environment for one scope, then restores it.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("environment: PYTHONUNBUFFERED set by the user is kept, inherited or in env", "[environment]") {
  {
    ScopedEnv unset("PYTHONUNBUFFERED", "");
    ::unsetenv("PYTHONUNBUFFERED");
    CHECK(child_sees("PYTHONUNBUFFERED") == "1");  // the default, when nobody set it
  }
  {
    ScopedEnv inherited("PYTHONUNBUFFERED", "0");
    CHECK(child_sees("PYTHONUNBUFFERED") == "0");
    CHECK(child_sees("PYTHONUNBUFFERED", {{"PYTHONUNBUFFERED", "2"}}) == "2");  // env still wins
  }
  CHECK(child_sees("PYTHONUNBUFFERED", {{"PYTHONUNBUFFERED", "0"}}) == "0");
}
