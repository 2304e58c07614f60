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
#include <type_traits>
#include <vector>

#include <logstream/export.hpp>
#include <logstream/line.hpp>
#include <logstream/progress.hpp>

namespace logstream {

/// A metric value that extraction found in one of a batch's lines.
struct LOGSTREAM_API MetricObservation {
  std::string_view key;  ///< valid while the batch lives
  double value = 0;
  std::uint64_t seq = 0;  ///< the line it came from
};

/// A change of progress that extraction found: the whole progress just after line `seq`.
struct LOGSTREAM_API ProgressChange {
  std::uint64_t seq = 0;  ///< the line it came from (the stream's last line for its end)
  TrainingProgress progress;
};

/// A borrowed callable `void(std::string_view)`, what LineBatch::for_each_committed_span calls:
/// it refers to the caller's function object, which must outlive the call (a lambda passed in
/// place does). Copying it copies the reference.
class SpanCallback {
public:
  template <typename F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, SpanCallback> && std::is_invocable_v<F&, std::string_view>)
  SpanCallback(F&& f) noexcept  // NOLINT: implicit, so that a lambda can be passed as it is
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_(&invoke<std::remove_reference_t<F>>) {}

  void operator()(std::string_view span) const { call_(object_, span); }

private:
  template <typename F>
  static void invoke(void* object, std::string_view span) {
    (*static_cast<F*>(object))(span);
  }

  void* object_;
  void (*call_)(void*, std::string_view);
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
class LOGSTREAM_API LineBatch {
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
    std::size_t size() const noexcept;
    bool empty() const noexcept { return size() == 0; }
    MetricObservation operator[](std::size_t index) const noexcept { return batch_->metric(index); }
    iterator begin() const noexcept { return {batch_, 0}; }
    iterator end() const noexcept { return {batch_, size()}; }

  private:
    const LineBatch* batch_;
  };

  LineBatch() noexcept;
  ~LineBatch();
  LineBatch(LineBatch&&) noexcept;
  LineBatch& operator=(LineBatch&&) noexcept;

  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  Line operator[](std::size_t index) const noexcept;
  iterator begin() const noexcept { return {this, 0}; }
  iterator end() const noexcept { return {this, size()}; }
  /// What extraction found in these lines: every metric observation (also those the
  /// MetricStore's bounds refused), so a sink sees a line's metrics in the same call as the line.
  /// Empty when extraction is off, and in batches that did not come through a stream's parser.
  Metrics metrics() const noexcept { return Metrics{this}; }
  /// The progress changes these lines caused, in line order, each with the progress after it.
  /// The stream's last batch may hold no line and one change: the end (end_time set).
  std::span<const ProgressChange> progress_changes() const noexcept { return progress_changes_; }

  /// The bytes exactly as read (every CR, every partial line): what a raw writer stores.
  std::string_view raw() const noexcept { return {raw_.get(), raw_size_}; }
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
  void for_each_committed_span(SpanCallback out) const;
  std::chrono::system_clock::time_point wall_time() const noexcept { return wall_time_; }

private:
  friend class Framer;
  friend class ExtractActor;
  friend class BatchCopier;

  void add_metric(std::string_view key, double value, std::uint64_t seq);
  void set_level(std::size_t index, Level level) noexcept;
  void add_progress(std::uint64_t seq, const TrainingProgress& progress) { progress_changes_.push_back({seq, progress}); }
  MetricObservation metric(std::size_t index) const noexcept;

  // Their layout is the library's (lib/line_batch_records.hpp).
  struct Record;
  struct MetricRecord;

  std::unique_ptr<char[]> raw_;  // the chunk's buffer, taken over by the framer
  std::size_t raw_size_ = 0;
  std::size_t raw_capacity_ = 0;
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
