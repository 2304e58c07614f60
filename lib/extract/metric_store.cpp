// MetricStore: per-key summaries and bounded series behind one mutex.
#include <logstream/metrics.hpp>

#include <algorithm>
#include <cmath>
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

MetricStore::MetricStore(MetricsOptions options) : options_(options) {}
MetricStore::~MetricStore() = default;

void MetricStore::set_start(std::chrono::steady_clock::time_point start) {
  std::lock_guard lock(mutex_);
  start_ = start;
}

MetricStore::Entry* MetricStore::find_or_add(std::string_view key) {
  // Heterogeneous lookup: a known key costs a hash and a compare, no std::string.
  if (auto it = index_.find(key); it != index_.end()) return &entries_[it->second];
  if (entries_.size() >= options_.max_keys) return nullptr;
  index_.emplace(std::string(key), entries_.size());
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
      entry->head = (entry->head + 1) % options_.series_cap;
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
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return entries_[it->second].summary;
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
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  return entries_[it->second].points();
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
