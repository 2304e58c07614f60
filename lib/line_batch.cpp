// LineBatch and ByteBuffer: the shared storage of framed lines.
#include <logstream/line_batch.hpp>

#include <cstring>

#include "chunk.hpp"
#include "line_batch_records.hpp"

namespace logstream {

ByteBuffer::ByteBuffer(std::size_t capacity)
    : data_(new char[capacity]), size_(0), capacity_(capacity) {}

ByteBuffer ByteBuffer::copy_of(std::string_view bytes) {
  ByteBuffer buffer(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer.data(), bytes.data(), bytes.size());
  buffer.resize(bytes.size());
  return buffer;
}

LineBatch::LineBatch() noexcept = default;
LineBatch::~LineBatch() = default;
LineBatch::LineBatch(LineBatch&&) noexcept = default;
LineBatch& LineBatch::operator=(LineBatch&&) noexcept = default;

std::size_t LineBatch::size() const noexcept { return records_.size(); }
std::size_t LineBatch::Metrics::size() const noexcept { return batch_->metric_records_.size(); }

Line LineBatch::operator[](std::size_t index) const noexcept {
  const Record& r = records_[index];
  const char* base = r.joined ? joined_.data() : raw_.get();
  return Line{{.seq = first_seq_ + index,
               .source = r.source,
               .terminator = r.terminator,
               .transient = r.transient,
               .continued = r.continued,
               .arrival = arrival_,
               .wall_time = wall_time_,
               .level = r.level},
              std::string_view(base + r.offset, r.length)};
}

void LineBatch::set_level(std::size_t index, Level level) noexcept { records_[index].level = level; }

void LineBatch::add_metric(std::string_view key, double value, std::uint64_t seq) {
  metric_records_.push_back(MetricRecord{static_cast<std::uint32_t>(metric_keys_.size()),
                                         static_cast<std::uint32_t>(key.size()), value, seq});
  metric_keys_.append(key);
}

MetricObservation LineBatch::metric(std::size_t index) const noexcept {
  const MetricRecord& r = metric_records_[index];
  return MetricObservation{std::string_view(metric_keys_.data() + r.key_offset, r.key_length), r.value, r.seq};
}

std::size_t LineBatch::footprint() const noexcept {
  return sizeof(LineBatch) + raw_capacity_ + joined_.capacity() + records_.capacity() * sizeof(Record) +
         metric_keys_.capacity() + metric_records_.capacity() * sizeof(MetricRecord) +
         progress_changes_.capacity() * sizeof(ProgressChange);
}

std::uint64_t LineBatch::first_seq() const noexcept { return first_seq_; }
std::uint64_t LineBatch::last_seq() const noexcept {
  return records_.empty() ? first_seq_ - 1 : first_seq_ + records_.size() - 1;
}

void LineBatch::for_each_committed_span(SpanCallback out) const {
  const char* run = nullptr;
  std::size_t run_len = 0;
  for (const Record& r : records_) {
    if (r.transient) continue;
    const char* text = (r.joined ? joined_.data() : raw_.get()) + r.offset;
    // A raw LF line is followed by its own '\n' in the buffer: extend the run over it.
    if (!r.joined && r.terminator == Terminator::lf) {
      if (run && run + run_len == text) {
        run_len += r.length + 1;
      } else {
        if (run) out(std::string_view(run, run_len));
        run = text;
        run_len = r.length + 1;
      }
      continue;
    }
    if (run) out(std::string_view(run, run_len));
    run = nullptr;
    run_len = 0;
    out(std::string_view(text, r.length));
    if (ends_with_newline(r.terminator, r.continued)) out(std::string_view("\n", 1));
  }
  if (run) out(std::string_view(run, run_len));
}

}  // namespace logstream
