// The records behind a LineBatch: where each line's text and each metric's key sit in the
// batch's buffers. Internal: the framer and the parser build them, the batch reads them.
#pragma once

#include <cstdint>

#include <logstream/line_batch.hpp>

namespace logstream {

// Sequence numbers are contiguous within a batch: record i is line first_seq_ + i.
struct LineBatch::Record {
  std::uint32_t offset;  // into raw_, or into joined_ when `joined` is set
  std::uint32_t length;
  Source source;
  Terminator terminator;
  bool transient;
  bool continued;
  bool joined;
  Level level = Level::none;  // set by the parser (ExtractActor)
};

struct LineBatch::MetricRecord {
  std::uint32_t key_offset;  // into metric_keys_
  std::uint32_t key_length;
  double value;
  std::uint64_t seq;
};

}  // namespace logstream
