// The bounded history: a ring of reused slots, with CR progress collapsed to its latest state.
#include <logstream/log_buffer.hpp>

#include <algorithm>

namespace logstream {
namespace {

constexpr std::size_t initial_slots = 64;

// The ring grows as it fills instead of holding max_lines slots from the start (a million-line
// buffer would otherwise cost ~100 MB before the first line): unrolled so that the oldest line
// is in slot 0, then doubled, up to `max_lines`.
void grow_ring(std::vector<OwnedLine>& slots, std::size_t& head, std::array<std::size_t, 2>& transient_slot, std::size_t max_lines) {
  const std::size_t size = slots.size();
  std::rotate(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(head), slots.end());
  for (std::size_t& slot : transient_slot) slot = (slot + size - head) % size;
  head = 0;
  slots.resize(std::min(max_lines, size * 2));
}

}  // namespace

LogBuffer::LogBuffer(LogBufferOptions options) : options_(options) {
  options_.max_lines = std::max<std::size_t>(options_.max_lines, 1);
  slots_.resize(std::min(options_.max_lines, initial_slots));
}

void LogBuffer::write(const LineBatch& batch) {
  const std::size_t first = first_kept(batch);
  std::lock_guard lock(mutex_);
  for (std::size_t i = first; i < batch.size(); ++i) push(batch[i]);
}

// A batch often holds more lines than the buffer: only its tail can survive, so copying the rest
// is wasted work. Walking back, a line opens a slot of its own when the previous line of its
// source was committed (not transient). Once the tail opens max_lines slots, everything before
// it would be evicted by count however it was pushed. The first line of each source in the tail
// is not counted: whether it opens a slot depends on lines the tail leaves out.
std::size_t LogBuffer::first_kept(const LineBatch& batch) const noexcept {
  const std::size_t n = batch.size();
  if (n <= options_.max_lines) return 0;
  std::size_t slots = 0;
  std::array<bool, 2> later_line{};  // a later line of the source has been seen
  for (std::size_t i = n; i-- > 0;) {
    const Line line = batch[i];
    const auto s = static_cast<std::size_t>(line.source);
    if (later_line[s] && !line.transient && ++slots == options_.max_lines) return i;
    later_line[s] = true;
  }
  return 0;
}

void LogBuffer::push(const Line& line) {
  auto s = static_cast<std::size_t>(line.source);
  OwnedLine* slot = nullptr;
  if (transient_seq_[s]) {
    slot = &slots_[transient_slot_[s]];
  } else {
    if (count_ == slots_.size() && slots_.size() < options_.max_lines) grow_ring(slots_, head_, transient_slot_, options_.max_lines);
    if (count_ == slots_.size()) evict_oldest();
    transient_slot_[s] = index_of(count_);
    slot = &slots_[transient_slot_[s]];
    ++count_;
  }
  bytes_ -= slot->text.size();
  slot->text.assign(line.text);  // reuses the slot's capacity: no allocation once warm
  bytes_ += slot->text.size();
  slot->seq = line.seq;
  slot->source = line.source;
  slot->terminator = line.terminator;
  slot->transient = line.transient;
  slot->continued = line.continued;
  slot->arrival = line.arrival;
  slot->wall_time = line.wall_time;
  if (line.transient) {
    transient_seq_[s] = line.seq;
  } else {
    transient_seq_[s].reset();
  }
  while (bytes_ > options_.max_bytes && count_ > 1) evict_oldest();
}

void LogBuffer::evict_oldest() {
  OwnedLine& oldest = slots_[head_];
  for (std::size_t s = 0; s < transient_seq_.size(); ++s) {
    if (transient_seq_[s] && transient_slot_[s] == head_) transient_seq_[s].reset();
  }
  bytes_ -= oldest.text.size();
  // A huge line's storage is given back rather than kept for the slot's next line.
  if (oldest.text.capacity() > 4096) std::string().swap(oldest.text);
  else oldest.text.clear();
  head_ = (head_ + 1) % slots_.size();
  --count_;
}

template <typename F>
void LogBuffer::for_last(std::optional<std::size_t> n, F&& visit) const {
  std::size_t take = n ? std::min(*n, count_) : count_;
  for (std::size_t i = count_ - take; i < count_; ++i) visit(slots_[index_of(i)]);
}

std::vector<std::string> LogBuffer::texts(std::optional<std::size_t> n) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(n ? std::min(*n, count_) : count_);
  for_last(n, [&](const OwnedLine& line) { out.push_back(line.text); });
  return out;
}

std::vector<OwnedLine> LogBuffer::lines(std::optional<std::size_t> n) const {
  std::lock_guard lock(mutex_);
  std::vector<OwnedLine> out;
  out.reserve(n ? std::min(*n, count_) : count_);
  for_last(n, [&](const OwnedLine& line) { out.push_back(line); });
  return out;
}

std::string LogBuffer::joined(std::optional<std::size_t> n) const {
  std::lock_guard lock(mutex_);
  std::string out;
  bool first = true;
  for_last(n, [&](const OwnedLine& line) {
    if (!first) out += '\n';
    out += line.text;
    first = false;
  });
  return out;
}

std::size_t LogBuffer::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

}  // namespace logstream
