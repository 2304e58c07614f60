// PlainDisplay: for pipes, TERM=dumb and --plain. The child's lines go to stdout as they come
// (stderr lines marked "[stderr] ", made terminal-safe), and every few seconds a one-line status
// goes to stderr. No escape sequence is ever written.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <logstream/filter.hpp>

#include "output.hpp"
#include "paced_thread.hpp"
#include "rate_meter.hpp"

namespace logstream::cli {

class PlainDisplay : public Output {
public:
  /// `show_lines` false (--quiet): only the status lines.
  /// `filter`: the lines shown, grep's `--` between groups when it has context lines.
  PlainDisplay(bool show_lines, std::chrono::milliseconds status_interval, LineFilter filter = {});
  ~PlainDisplay() override;

  void attach(Streamer& streamer) override;
  void begin() override;
  void notice(std::string_view text) override;
  void end(const RunSummary& summary) override;
  std::string failure() const override;

private:
  class LineSink;

  std::string status_line(std::chrono::steady_clock::time_point now);

  bool show_lines_;
  LineFilter filter_;
  std::chrono::milliseconds interval_;
  Streamer* streamer_ = nullptr;
  std::shared_ptr<LineSink> sink_;
  std::chrono::steady_clock::time_point started_{};
  RateMeter rate_;
  std::uint64_t last_lines_ = 0;
  std::uint64_t last_updates_ = 0;
  std::mutex mutex_;
  PacedThread status_thread_;  // last: stopped first
};

}  // namespace logstream::cli
