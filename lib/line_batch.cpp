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

std::size_t LineBatch::footprint() const noexcept {
  return sizeof(LineBatch) + raw_.capacity() + joined_.capacity() +
         records_.capacity() * sizeof(Record);
}

std::uint64_t LineBatch::first_seq() const noexcept { return first_seq_; }
std::uint64_t LineBatch::last_seq() const noexcept {
  return records_.empty() ? first_seq_ - 1 : first_seq_ + records_.size() - 1;
}

}  // namespace logstream
