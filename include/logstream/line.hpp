// One framed line of a child's output, as sinks, callbacks and the extractor see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/export.hpp>

namespace logstream {

/// Which pipe of the child a line came from.
enum class Source : std::uint8_t { out = 0, err = 1 };

/// How a line ended in the byte stream, so a raw writer can restore the exact bytes.
enum class Terminator : std::uint8_t {
  lf,    ///< "\n"
  crlf,  ///< "\r\n" (the CR is not part of the text)
  cr,    ///< a lone "\r": the line is transient, later text overwrites it
  none,  ///< end of stream without newline, a `continued` piece, or a partial overwrite
};

/// How severe a line is, as its own text says (a logging format, a traceback, an exception):
/// see lib/extract/README.md "Levels" for what is recognised. Ordered: a filter on a level
/// keeps that level and those above it.
enum class Level : std::uint8_t { none = 0, debug, info, warning, error };

/// Whether a log (a file, the console) writes '\n' after a committed line: after a line that
/// ended (LF, or CRLF stored as LF), not after a `continued` piece nor after a final line the
/// stream ended without newline, so that the log holds the bytes the child wrote.
constexpr bool ends_with_newline(Terminator terminator, bool continued) noexcept {
  return !continued && terminator != Terminator::none;
}

/// What is known of a line besides its text: one definition for the view and the owning copy.
struct LOGSTREAM_API LineMeta {
  std::uint64_t seq = 0;  ///< per stream, starts at 1, no gaps
  Source source = Source::out;
  Terminator terminator = Terminator::lf;
  bool transient = false;  ///< CR-overwritten state (tqdm); the next line of this source replaces it
  bool continued = false;  ///< a piece of a line longer than the limit; the next piece follows
  std::chrono::steady_clock::time_point arrival{};  ///< when the bytes were read
  std::chrono::system_clock::time_point wall_time{};
  Level level = Level::none;  ///< set by the stream's parser (none before it, and for raw reads)

  bool is_stderr() const noexcept { return source == Source::err; }
};

/// A view of one line. The text is only valid for the duration of the call that hands it out
/// (a sink's write, a callback); copy it (`OwnedLine`) to keep it.
struct LOGSTREAM_API Line : LineMeta {
  std::string_view text;
};

/// A line that owns its text: what get_logs' entries and the output queue hand out.
struct LOGSTREAM_API OwnedLine : LineMeta {
  std::string text;

  OwnedLine() = default;
  explicit OwnedLine(const Line& line) : LineMeta(line), text(line.text) {}

  Line view() const noexcept { return Line{{*this}, text}; }
};

LOGSTREAM_API std::string_view to_string(Source source) noexcept;
/// "error", "warning", "info", "debug"; "" for none.
LOGSTREAM_API std::string_view to_string(Level level) noexcept;
/// The level a name gives ("error", "warn", "warning", "info", "debug", any case; "none"); empty
/// for another word.
LOGSTREAM_API std::optional<Level> parse_level(std::string_view name) noexcept;

}  // namespace logstream
