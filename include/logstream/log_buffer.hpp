// LogBuffer: the bounded history of a stream (the seed's 500-line circular buffer).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <logstream/export.hpp>
#include <logstream/sink.hpp>

namespace logstream {

namespace detail {
struct SinkAccess;  // the stream's way to feed a consumer end: lib/sink_access.hpp
}  // namespace detail

struct LOGSTREAM_API LogBufferOptions {
  std::size_t max_lines = 500;
  /// Text bytes kept at most: the oldest lines go first when a few huge lines would exceed it.
  std::size_t max_bytes = 8 << 20;
};

/// Keeps the last `max_lines` lines. A transient line (CR progress) is kept only in its latest
/// state: the next line of the same source replaces it. Storage is reused, so a full buffer
/// allocates nothing for lines that fit the slots' capacity.
///
/// The stream feeds it as a (lossless) sink, a private base: users only query it.
/// Thread-safe: queries may run while it is written.
class LOGSTREAM_API LogBuffer final : private Sink {
public:
  explicit LogBuffer(LogBufferOptions options = {});

  /// The last `n` lines (all when empty), oldest first.
  std::vector<std::string> texts(std::optional<std::size_t> n = std::nullopt) const;
  std::vector<OwnedLine> lines(std::optional<std::size_t> n = std::nullopt) const;
  /// The last `n` lines joined with '\n'.
  std::string joined(std::optional<std::size_t> n = std::nullopt) const;
  std::size_t size() const;
  std::size_t capacity() const noexcept { return options_.max_lines; }

private:
  friend struct detail::SinkAccess;

  // The Sink hooks (a private base: not even a Sink& reaches them from outside).
  void write(const LineBatch& batch) override;
  std::string name() const override { return "buffer"; }

  void push(const Line& line);
  std::size_t first_kept(const LineBatch& batch) const noexcept;
  void evict_oldest();
  std::size_t index_of(std::size_t nth) const noexcept { return (head_ + nth) % slots_.size(); }
  template <typename F>
  void for_last(std::optional<std::size_t> n, F&& visit) const;

  LogBufferOptions options_;
  mutable std::mutex mutex_;
  std::vector<OwnedLine> slots_;
  std::size_t head_ = 0;   // oldest
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
  // Slot holding each source's transient line, while it is still the latest of its source.
  std::array<std::optional<std::uint64_t>, 2> transient_seq_{};
  std::array<std::size_t, 2> transient_slot_{};
};

}  // namespace logstream
