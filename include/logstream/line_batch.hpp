// LineBatch: the lines framed from one read, sharing one buffer; what moves between actors.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/line.hpp>
#include <logstream/progress.hpp>

namespace logstream {

/// An owning byte buffer: one read from a pipe lands in one of these.
class ByteBuffer {
public:
  ByteBuffer() = default;
  explicit ByteBuffer(std::size_t capacity);
  static ByteBuffer copy_of(std::string_view bytes);

  char* data() noexcept { return data_.get(); }
  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  void resize(std::size_t size) noexcept { size_ = size <= capacity_ ? size : capacity_; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }

private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Bytes read from one source at one moment: the reader's message to the parser.
struct Chunk {
  ByteBuffer bytes;
  Source source = Source::out;
  std::chrono::steady_clock::time_point arrival{};
  std::chrono::system_clock::time_point wall_time{};
};

/// A metric value that extraction found in one of a batch's lines.
struct MetricObservation {
  std::string_view key;  ///< valid while the batch lives
  double value = 0;
  std::uint64_t seq = 0;  ///< the line it came from
};

/// A change of progress that extraction found: the whole progress just after line `seq`.
struct ProgressChange {
  std::uint64_t seq = 0;  ///< the line it came from (the stream's last line for its end)
  TrainingProgress progress;
};

class LineBatch;

namespace detail {
/// Walks a batch's records by index, making each value (a Line, an observation) on the fly.
template <typename Value, Value (*At)(const LineBatch&, std::size_t) noexcept>
class RecordIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;

  RecordIterator() = default;
  RecordIterator(const LineBatch* batch, std::size_t index) : batch_(batch), index_(index) {}
  Value operator*() const { return At(*batch_, index_); }
  RecordIterator& operator++() { ++index_; return *this; }
  RecordIterator operator++(int) { auto copy = *this; ++index_; return copy; }
  bool operator==(const RecordIterator& other) const = default;

private:
  const LineBatch* batch_ = nullptr;
  std::size_t index_ = 0;
};
}  // namespace detail

/// The lines framed from one chunk. Immutable once built and shared by every sink (fan-out
/// hands out the same batch): no allocation per line, texts are views into the batch's buffers.
/// Thread-safe for concurrent readers.
class LineBatch {
  static Line line_at(const LineBatch& batch, std::size_t index) noexcept { return batch[index]; }
  static MetricObservation metric_at(const LineBatch& batch, std::size_t index) noexcept {
    return batch.metric(index);
  }

public:
  using iterator = detail::RecordIterator<Line, &LineBatch::line_at>;

  /// The batch's metric observations, in line order: `for (MetricObservation m : batch.metrics())`.
  class Metrics {
  public:
    using iterator = detail::RecordIterator<MetricObservation, &LineBatch::metric_at>;

    explicit Metrics(const LineBatch* batch) : batch_(batch) {}
    std::size_t size() const noexcept { return batch_->metric_records_.size(); }
    bool empty() const noexcept { return batch_->metric_records_.empty(); }
    MetricObservation operator[](std::size_t index) const noexcept { return batch_->metric(index); }
    iterator begin() const noexcept { return {batch_, 0}; }
    iterator end() const noexcept { return {batch_, size()}; }

  private:
    const LineBatch* batch_;
  };

  LineBatch() = default;

  std::size_t size() const noexcept { return records_.size(); }
  bool empty() const noexcept { return records_.empty(); }
  Line operator[](std::size_t index) const noexcept;
  iterator begin() const noexcept { return {this, 0}; }
  iterator end() const noexcept { return {this, records_.size()}; }
  /// What extraction found in these lines: every metric observation (also those the
  /// MetricStore's bounds refused), so a sink sees a line's metrics in the same call as the line.
  /// Empty when extraction is off, and in batches that did not come through a stream's parser.
  Metrics metrics() const noexcept { return Metrics{this}; }
  /// The progress changes these lines caused, in line order, each with the progress after it.
  /// The stream's last batch may hold no line and one change: the end (end_time set).
  std::span<const ProgressChange> progress_changes() const noexcept { return progress_changes_; }

  /// The bytes exactly as read (every CR, every partial line): what a raw writer stores.
  std::string_view raw() const noexcept { return raw_.view(); }
  Source raw_source() const noexcept { return source_; }
  /// Bytes this batch keeps alive: what drop_queue_bytes bounds for a drop_oldest sink.
  std::size_t footprint() const noexcept;
  /// The sequence number of the first line; last_seq() is first_seq() - 1 for an empty batch.
  std::uint64_t first_seq() const noexcept;
  std::uint64_t last_seq() const noexcept;
  std::chrono::steady_clock::time_point arrival() const noexcept { return arrival_; }

  /// Hands `out(std::string_view)` the bytes of the committed lines as a log file stores them:
  /// each line ended by '\n' (CRLF becomes LF), transient lines skipped, a `continued` piece
  /// or a final unterminated line without newline. Adjacent lines come as one span, so a
  /// writer makes one call per run of lines, not one per line.
  template <typename Out>
  void for_each_committed_span(Out&& out) const {
    const char* run = nullptr;
    std::size_t run_len = 0;
    for (const Record& r : records_) {
      if (r.transient) continue;
      const char* text = (r.joined ? joined_.data() : raw_.data()) + r.offset;
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
      if (!r.continued && r.terminator != Terminator::none) out(std::string_view("\n", 1));
    }
    if (run) out(std::string_view(run, run_len));
  }
  std::chrono::system_clock::time_point wall_time() const noexcept { return wall_time_; }

private:
  friend class Framer;
  friend class ExtractActor;

  void add_metric(std::string_view key, double value, std::uint64_t seq);
  void add_progress(std::uint64_t seq, const TrainingProgress& progress) { progress_changes_.push_back({seq, progress}); }
  MetricObservation metric(std::size_t index) const noexcept;

  // Sequence numbers are contiguous within a batch: record i is line first_seq_ + i.
  struct Record {
    std::uint32_t offset;  // into raw_, or into joined_ when `joined` is set
    std::uint32_t length;
    Source source;
    Terminator terminator;
    bool transient;
    bool continued;
    bool joined;
  };

  struct MetricRecord {
    std::uint32_t key_offset;  // into metric_keys_
    std::uint32_t key_length;
    double value;
    std::uint64_t seq;
  };

  ByteBuffer raw_;
  std::string joined_;  // texts that span reads (carried over) are assembled here
  std::vector<Record> records_;
  std::string metric_keys_;
  std::vector<MetricRecord> metric_records_;
  std::vector<ProgressChange> progress_changes_;
  Source source_ = Source::out;
  std::uint64_t first_seq_ = 0;
  std::chrono::steady_clock::time_point arrival_{};
  std::chrono::system_clock::time_point wall_time_{};
};

using BatchPtr = std::shared_ptr<const LineBatch>;

}  // namespace logstream
