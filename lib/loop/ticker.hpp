// Ticker: calls a function on the loop thread every period until it says stop; owns itself.
#pragma once

#include <chrono>
#include <functional>

#include <uv.h>

namespace logstream {

/// Loop thread only. `tick` returns false to stop; the handle then closes and frees itself.
/// For watchdogs whose owner may be gone by the time they fire: the state `tick` needs is
/// captured in it.
void start_ticker(uv_loop_t* loop, std::chrono::milliseconds period, std::function<bool()> tick);

}  // namespace logstream
