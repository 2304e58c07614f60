// BatchCopier (batch_copier.hpp).
#include "batch_copier.hpp"

#include <algorithm>
#include <cassert>
#include <memory>

#include "line_batch_records.hpp"

namespace logstream {
namespace {

std::string_view terminator_bytes(Terminator terminator) {
  switch (terminator) {
    case Terminator::lf: return "\n";
    case Terminator::crlf: return "\r\n";
    case Terminator::cr: return "\r";
    case Terminator::none: break;
  }
  return {};
}

}  // namespace

LineBatch BatchCopier::copy_lines(std::span<const Line> lines, std::uint64_t next_seq, const LineBatch& like) {
  LineBatch batch;
  if (lines.empty()) {
    batch.first_seq_ = next_seq;
    batch.arrival_ = like.arrival();
    batch.wall_time_ = like.wall_time();
    batch.source_ = like.raw_source();
    return batch;
  }
  std::size_t bytes = 0;
  for (const Line& line : lines) bytes += line.text.size() + terminator_bytes(line.terminator).size();
  batch.raw_ = std::make_unique<char[]>(bytes);
  batch.raw_capacity_ = bytes;
  batch.records_.reserve(lines.size());
  char* out = batch.raw_.get();
  for (const Line& line : lines) {
    assert(line.seq == lines.front().seq + batch.records_.size());
    const auto offset = static_cast<std::uint32_t>(out - batch.raw_.get());
    const std::string_view ending = terminator_bytes(line.terminator);
    out = std::copy(line.text.begin(), line.text.end(), out);
    out = std::copy(ending.begin(), ending.end(), out);
    batch.records_.push_back(LineBatch::Record{offset, static_cast<std::uint32_t>(line.text.size()), line.source,
                                               line.terminator, line.transient, line.continued, false, line.level});
  }
  batch.raw_size_ = bytes;
  batch.first_seq_ = lines.front().seq;
  batch.arrival_ = lines.front().arrival;
  batch.wall_time_ = lines.front().wall_time;
  batch.source_ = lines.front().source;
  return batch;
}

void BatchCopier::copy_extraction(const LineBatch& from, LineBatch& to) {
  for (const MetricObservation m : from.metrics()) to.add_metric(m.key, m.value, m.seq);
  for (const ProgressChange& change : from.progress_changes()) to.add_progress(change.seq, change.progress);
}

}  // namespace logstream
