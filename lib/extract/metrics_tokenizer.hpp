// The metrics tokenizer: numeric `key=value` and `key: value` tokens of a line (also quoted
// keys, as in Hugging Face's `{'loss': 0.43}` lines). Views into the line, no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include <logstream/metrics.hpp>

namespace logstream::extract {

/// A key (a view into the line or a rule) and its value: what the store records.
using MetricToken = MetricStore::Observation;

/// The tokens of one line, in order. A fixed capacity keeps the hot path allocation-free;
/// tokens past it are not kept (`overflowed` counts them).
class MetricTokens {
public:
  static constexpr std::size_t capacity = 32;

  bool push(std::string_view key, double value) noexcept {
    if (size_ == capacity) {
      ++overflowed_;
      return false;
    }
    items_[size_++] = MetricToken{key, value};
    return true;
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t overflowed() const noexcept { return overflowed_; }
  const MetricToken& operator[](std::size_t i) const noexcept { return items_[i]; }
  const MetricToken* begin() const noexcept { return items_.data(); }
  const MetricToken* end() const noexcept { return items_.data() + size_; }
  std::span<const MetricToken> span() const noexcept { return {items_.data(), size_}; }
  void clear() noexcept { size_ = overflowed_ = 0; }

private:
  std::array<MetricToken, capacity> items_{};
  std::size_t size_ = 0;
  std::size_t overflowed_ = 0;
};

/// The longest key kept; longer words before '=' are not metric names.
inline constexpr std::size_t max_metric_key_bytes = 64;

/// Whether `key` may name a metric: 1..64 bytes of [A-Za-z0-9_./-], starting with a letter or
/// '_'. Keys from user rules are checked the same way, so exports never need odd escapes.
bool is_metric_key(std::string_view key) noexcept;

/// Appends every numeric token of `text`:
///   loss=0.4312  acc: 0.8123  lr=3e-4  'loss': 0.43  "acc": 0.8  --lr=0.1 (key "lr")
/// A value must end at a blank, a separator or the end: "elapsed: 00:01", "speed=30.0it/s"
/// and "x=1/2" are not metrics. Keys start with a letter, so "12:30:00" is not one either.
void tokenize_metrics(std::string_view text, MetricTokens& out) noexcept;

}  // namespace logstream::extract
