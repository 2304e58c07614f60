// BatchCopier: makes new batches out of lines that already went by (what a filter hands on).
// Internal: LineBatch has no public constructor but the empty one.
#pragma once

#include <cstdint>
#include <span>

#include <logstream/line_batch.hpp>

namespace logstream {

class BatchCopier {
public:
  /// A batch holding copies of `lines`, whose seqs must be consecutive: its raw() is their
  /// bytes with their terminators, its time the first line's. Without lines, an empty batch
  /// at `next_seq` with `like`'s times.
  static LineBatch copy_lines(std::span<const Line> lines, std::uint64_t next_seq, const LineBatch& like);
  /// Appends `from`'s metric observations and progress changes to `to`'s.
  static void copy_extraction(const LineBatch& from, LineBatch& to);
};

}  // namespace logstream
