// Helpers to frame byte strings in tests: whole, or cut at chosen chunk boundaries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "framer.hpp"

namespace logstream::test {

struct FramedLine {
  std::string text;
  std::uint64_t seq;
  Source source;
  Terminator terminator;
  bool transient;
  bool continued;
  bool operator==(const FramedLine&) const = default;
};

inline void collect(const LineBatch& batch, std::vector<FramedLine>& out) {
  for (const Line& l : batch)
    out.push_back(FramedLine{std::string(l.text), l.seq, l.source, l.terminator, l.transient, l.continued});
}

/// A chunk holding a copy of `bytes`, as one read from `source` would.
inline Chunk chunk_of(std::string_view bytes, Source source = Source::out) {
  Chunk c;
  c.bytes = ByteBuffer::copy_of(bytes);
  c.source = source;
  return c;
}

/// Frames `bytes` from one source, cut into chunks of at most `chunk` bytes, then EOF.
/// The batches a stream would hand its sinks for `bytes` read in one piece, stdout then EOF.
inline std::vector<LineBatch> batches_of(std::string_view bytes, FramingOptions options = {}) {
  Framer framer(options);
  std::vector<LineBatch> batches;
  batches.push_back(framer.frame(chunk_of(bytes)));
  batches.push_back(framer.finish(Source::out));
  return batches;
}

inline std::vector<FramedLine> frame_all(std::string_view bytes, std::size_t chunk = 0, FramingOptions options = {},
                                         Source source = Source::out) {
  Framer framer(options);
  std::vector<FramedLine> out;
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    collect(framer.frame(chunk_of(bytes.substr(at, chunk), source)), out);
  }
  collect(framer.finish(source), out);
  return out;
}

/// Only the committed (non-transient) texts, with continued pieces joined: what a log file keeps.
inline std::vector<std::string> committed(const std::vector<FramedLine>& lines) {
  std::vector<std::string> out;
  std::string pending;
  for (const auto& l : lines) {
    if (l.transient) continue;
    pending += l.text;
    if (l.continued) continue;
    out.push_back(pending);
    pending.clear();
  }
  return out;
}

}  // namespace logstream::test
