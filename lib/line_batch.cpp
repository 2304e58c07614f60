// LineBatch and ByteBuffer: the shared storage of framed lines.
#include <logstream/line_batch.hpp>

#include <cstring>

namespace logstream {

ByteBuffer::ByteBuffer(std::size_t capacity)
    : data_(new char[capacity]), size_(0), capacity_(capacity) {}

ByteBuffer ByteBuffer::copy_of(std::string_view bytes) {
  ByteBuffer buffer(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer.data(), bytes.data(), bytes.size());
  buffer.resize(bytes.size());
  return buffer;
}

Line LineBatch::operator[](std::size_t index) const noexcept {
  const Record& r = records_[index];
  const char* base = r.joined ? joined_.data() : raw_.data();
  return Line{std::string_view(base + r.offset, r.length),
              first_seq_ + index,
              r.source,
              r.terminator,
              r.transient,
              r.continued,
              arrival_,
              wall_time_};
}

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
  return sizeof(LineBatch) + raw_.capacity() + joined_.capacity() + records_.capacity() * sizeof(Record) +
         metric_keys_.capacity() + metric_records_.capacity() * sizeof(MetricRecord) +
         progress_changes_.capacity() * sizeof(ProgressChange);
}

std::uint64_t LineBatch::first_seq() const noexcept { return first_seq_; }
std::uint64_t LineBatch::last_seq() const noexcept {
  return records_.empty() ? first_seq_ - 1 : first_seq_ + records_.size() - 1;
}

}  // namespace logstream
