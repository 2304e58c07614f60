// MetricStore: per-key summaries and bounded series behind one mutex.
#include <logstream/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace logstream {

// A series is a ring once full: `head` is the oldest point.
struct MetricStore::Entry {
  MetricSummary summary;
  std::vector<MetricPoint> ring;
  std::size_t head = 0;

  std::vector<MetricPoint> points() const {
    std::vector<MetricPoint> out;
    out.reserve(ring.size());
    out.insert(out.end(), ring.begin() + static_cast<std::ptrdiff_t>(head), ring.end());
    out.insert(out.end(), ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(head));
    return out;
  }
};

// The key index: open addressing over a power-of-two table, probed linearly, empty until the
// first key and at most half full. Recording looks a key up per observation, so this avoids a
// node hop and a general-purpose string hash.
constexpr std::uint32_t empty_slot = ~std::uint32_t{0};

struct MetricStore::IndexSlot {
  std::uint32_t hash = 0;
  std::uint32_t entry = empty_slot;
};

MetricStore::MetricStore(MetricsOptions options) : options_(options) {}
MetricStore::~MetricStore() = default;

void MetricStore::set_start(std::chrono::steady_clock::time_point start) {
  std::lock_guard lock(mutex_);
  start_ = start;
}

std::chrono::steady_clock::time_point MetricStore::start() const {
  std::lock_guard lock(mutex_);
  return start_;
}

namespace {

// Keys are short ("loss", "grad_norm"): their first and last eight bytes and their length tell
// them apart well enough, and cost two loads and a multiply instead of a pass over the key.
std::uint32_t key_hash(std::string_view key) noexcept {
  const char* p = key.data();
  const std::size_t n = key.size();
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n >= 8) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
        (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
  }
  std::uint64_t h = (a ^ 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL;
  h ^= (b + n) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

// The first and the last Word of two n-byte strings (sizeof(Word) <= n <= 2 * sizeof(Word)),
// which overlap and so cover all n bytes.
template <typename Word>
bool same_ends(const char* p, const char* q, std::size_t n) noexcept {
  Word x0, y0, x1, y1;
  std::memcpy(&x0, p, sizeof(Word));
  std::memcpy(&y0, q, sizeof(Word));
  std::memcpy(&x1, p + n - sizeof(Word), sizeof(Word));
  std::memcpy(&y1, q + n - sizeof(Word), sizeof(Word));
  return ((x0 ^ y0) | (x1 ^ y1)) == 0;
}

// Equality for short keys without a call into memcmp: overlapping word loads cover 4..16
// bytes, which is nearly every metric name.
bool same_key(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  if (n >= 8) return same_ends<std::uint64_t>(a.data(), b.data(), n);
  if (n >= 4) return same_ends<std::uint32_t>(a.data(), b.data(), n);
  return a == b;
}

}  // namespace

std::size_t MetricStore::probe(std::string_view key, std::uint32_t hash) const noexcept {
  const std::size_t mask = index_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const IndexSlot& slot = index_[i];
    if (slot.entry == empty_slot) return i;
    if (slot.hash == hash && same_key(entries_[slot.entry].summary.key, key)) return i;
  }
}

const MetricStore::Entry* MetricStore::find(std::string_view key) const {
  if (index_.empty()) return nullptr;
  const IndexSlot& slot = index_[probe(key, key_hash(key))];
  return slot.entry == empty_slot ? nullptr : &entries_[slot.entry];
}

void MetricStore::grow_index() {
  std::vector<IndexSlot> old = std::move(index_);
  index_.assign(std::max<std::size_t>(old.size() * 2, 16), IndexSlot{});
  const std::size_t mask = index_.size() - 1;
  for (const IndexSlot& slot : old) {
    if (slot.entry == empty_slot) continue;
    std::size_t i = slot.hash & mask;
    while (index_[i].entry != empty_slot) i = (i + 1) & mask;
    index_[i] = slot;
  }
}

MetricStore::Entry* MetricStore::find_or_add(std::string_view key) {
  const std::uint32_t hash = key_hash(key);
  if (!index_.empty()) {
    const IndexSlot& slot = index_[probe(key, hash)];
    if (slot.entry != empty_slot) return &entries_[slot.entry];
  }
  if (entries_.size() >= options_.max_keys || entries_.size() >= empty_slot) return nullptr;
  if (2 * (entries_.size() + 1) > index_.size()) grow_index();
  index_[probe(key, hash)] = IndexSlot{hash, static_cast<std::uint32_t>(entries_.size())};
  Entry& entry = entries_.emplace_back();
  entry.summary.key.assign(key);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  entry.summary.min = nan;
  entry.summary.max = nan;
  entry.ring.reserve(std::min<std::size_t>(options_.series_cap, 64));
  return &entry;
}

std::size_t MetricStore::record(std::span<const Observation> observations,
                                const ObservationTime& at) {
  if (observations.empty()) return 0;
  std::lock_guard lock(mutex_);
  // Lines from before start() (or without a time) count as time zero.
  const double seconds =
      at.arrival > start_ ? std::chrono::duration<double>(at.arrival - start_).count() : 0.0;
  std::size_t kept = 0;
  for (const Observation& obs : observations) {
    Entry* entry = find_or_add(obs.key);
    if (entry == nullptr) {
      ++dropped_observations_;
      continue;
    }
    MetricSummary& s = entry->summary;
    s.latest = obs.value;
    if (!std::isnan(obs.value)) {
      if (std::isnan(s.min) || obs.value < s.min) s.min = obs.value;
      if (std::isnan(s.max) || obs.value > s.max) s.max = obs.value;
    }
    if (s.count++ == 0) s.first_seq = at.seq;
    s.last_seq = at.seq;
    const MetricPoint point{at.seq, seconds, at.wall_time, obs.value};
    if (entry->ring.size() < options_.series_cap) {
      entry->ring.push_back(point);
    } else if (options_.series_cap > 0) {
      entry->ring[entry->head] = point;
      if (++entry->head == options_.series_cap) entry->head = 0;
      ++s.series_dropped;
    } else {
      ++s.series_dropped;
    }
    ++kept;
  }
  version_.fetch_add(kept, std::memory_order_relaxed);
  return kept;
}

bool MetricStore::record(std::string_view key, double value, const ObservationTime& at) {
  const Observation obs{key, value};
  return record(std::span<const Observation>(&obs, 1), at) == 1;
}

std::optional<MetricSummary> MetricStore::summary(std::string_view key) const {
  std::lock_guard lock(mutex_);
  const Entry* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  return entry->summary;
}

std::vector<MetricSummary> MetricStore::summaries() const {
  std::lock_guard lock(mutex_);
  std::vector<MetricSummary> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.summary);
  return out;
}

std::vector<MetricPoint> MetricStore::series(std::string_view key) const {
  std::lock_guard lock(mutex_);
  const Entry* entry = find(key);
  if (entry == nullptr) return {};
  return entry->points();
}

std::vector<std::string> MetricStore::keys() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.summary.key);
  return out;
}

std::size_t MetricStore::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

MetricsSnapshot MetricStore::snapshot() const {
  std::lock_guard lock(mutex_);
  MetricsSnapshot snap;
  snap.metrics.reserve(entries_.size());
  for (const Entry& entry : entries_) snap.metrics.push_back({entry.summary, entry.points()});
  snap.dropped_observations = dropped_observations_;
  snap.version = version_.load(std::memory_order_relaxed);
  return snap;
}

std::uint64_t MetricStore::dropped_observations() const {
  std::lock_guard lock(mutex_);
  return dropped_observations_;
}

std::uint64_t MetricStore::version() const noexcept {
  return version_.load(std::memory_order_relaxed);
}

}  // namespace logstream
