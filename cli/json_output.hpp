// JsonOutput: `logstream run --json`, JSON Lines on stdout instead of the display. Lines and
// their metrics come from a lossless sink, so a slow reader of stdout slows the child instead of
// losing events; progress, gaps and errors come from the stream's callbacks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

#include <logstream/filter.hpp>

#include "output.hpp"

namespace logstream::cli {

class JsonOutput : public Output {
public:
  /// Without `include_lines` (--quiet) no "line" objects are written.
  /// `filter`: the line objects written (metrics and progress are, whatever it keeps).
  explicit JsonOutput(bool include_lines, LineFilter filter = {});

  void attach(Streamer& streamer) override;
  /// Notices go to stderr: stdout carries JSON only.
  void notice(std::string_view text) override;
  void end(const RunSummary& summary) override;
  std::string failure() const override;

private:
  class LineSink;

  /// Writes whole objects to stdout. Thread-safe; after a write error everything is discarded.
  void emit(std::string_view json_lines);

  bool include_lines_;
  LineFilter filter_;
  Streamer* streamer_ = nullptr;
  std::shared_ptr<LineSink> sink_;
  std::mutex mutex_;  // one writer at a time; held while a write blocks
  // The errno of the first failed write. Atomic, not under mutex_: failure() is asked while a
  // write may be blocked holding it (the signal thread giving up on a stdout nobody reads).
  std::atomic<int> write_error_{0};
};

}  // namespace logstream::cli
