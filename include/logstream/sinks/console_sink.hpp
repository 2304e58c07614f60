// ConsoleSink: prints lines to a terminal or any fd, stderr lines marked (and coloured).
#pragma once

#include <optional>
#include <string>

#include <logstream/export.hpp>
#include <logstream/sink.hpp>

namespace logstream {

struct LOGSTREAM_API ConsoleSinkOptions {
  int fd = 1;
  /// Colour stderr lines: empty means when `fd` is a terminal and NO_COLOR is unset.
  std::optional<bool> color;
  /// Replace control bytes (escape sequences that could move the cursor or retitle the
  /// terminal) with '?': empty means when `fd` is a terminal.
  std::optional<bool> sanitize;
  std::string stderr_marker = "[stderr] ";
  OverflowPolicy overflow = OverflowPolicy::block;
};

/// Writes committed lines, one write(2) per batch, each ended as a FileSink ends it
/// (ends_with_newline). Not the live display: the CLI draws that.
/// On a non-blocking fd that is full (EAGAIN) it waits for the fd to drain (poll) and goes on,
/// like a blocking write: nothing is lost, and a block sink pauses the pipes meanwhile.
class LOGSTREAM_API ConsoleSink : public Sink {
public:
  explicit ConsoleSink(ConsoleSinkOptions options = {});

  void write(const LineBatch& batch) override;
  OverflowPolicy overflow() const override { return options_.overflow; }
  std::string name() const override { return "console"; }

  bool colored() const noexcept { return color_; }

private:
  void append_text(std::string_view text);

  ConsoleSinkOptions options_;
  bool color_ = false;
  bool sanitize_ = false;
  std::string out_;
};

}  // namespace logstream
