// LevelClassifier: how severe a line is, from the formats logs are written in (README
// "Levels" lists them): Python logging, glog/absl, Optuna, logfmt and JSON `level` fields,
// bracketed levels, Python tracebacks (the whole traceback is one error), exception and
// warning lines, the shell's "Killed". Thread-bound, like the extractor that owns it; a
// traceback is followed per source, so stdout lines between its lines do not end it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include <logstream/line.hpp>

namespace logstream::extract {

class LevelClassifier {
public:
  /// The level of the next line of `source`. Allocates nothing; looks at most at the first
  /// `scan_bytes` bytes of a line for a level word or field (a level further in is not one).
  Level classify(std::string_view text, Source source) noexcept;

  static constexpr std::size_t scan_bytes = 80;

private:
  enum class Traceback : std::uint8_t {
    none,
    body,   // after "Traceback (most recent call last):": indented frames, then the exception
    after,  // after the exception: a blank line or a chaining sentence keeps the traceback going
  };
  std::array<Traceback, 2> traceback_{};
};

/// Whether `word` is a level word written as a logger writes it ("WARNING", "Error", not
/// "error"): never a metric's key, whatever number follows it ("WARNING: 3 features ...").
bool is_capitalised_level_word(std::string_view word) noexcept;

/// The level a line's format states, without a traceback's context (what classify() adds).
/// A warning after a source location ("x.py:3: UserWarning: ...") is looked for on stderr only.
Level level_of_line(std::string_view text, Source source) noexcept;

}  // namespace logstream::extract
