// lines.idx: where each committed line of a run's log starts, with its seq, source and time, so
// that the store can hand out the line objects of `run --json` (and any seq range) from the log.
// Fixed 24-byte records in host byte order, one per line written to the log, in log order. The
// line's level sits in the offset's top byte (zero, none, in the records of older versions).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <logstream/line_batch.hpp>
#include <logstream/run_store.hpp>

namespace logstream::store {

struct LineIndexRecord {
  static constexpr std::uint64_t stderr_flag = 1;
  static constexpr std::uint64_t continued_flag = 2;

  static constexpr int level_shift = 56;
  static constexpr std::uint64_t offset_mask = (std::uint64_t{1} << level_shift) - 1;

  std::uint64_t seq_flags = 0;     ///< seq << 2 | flags
  std::uint64_t offset_level = 0;  ///< pack(offset of the line's first byte in the log, level)
  std::int64_t wall_ns = 0;        ///< since the epoch

  static std::uint64_t pack(std::uint64_t offset, Level level) noexcept {
    return offset | std::uint64_t{static_cast<std::uint8_t>(level)} << level_shift;
  }
  std::uint64_t offset() const noexcept { return offset_level & offset_mask; }
  Level level() const noexcept { return static_cast<Level>(offset_level >> level_shift); }
};
static_assert(sizeof(LineIndexRecord) == 24);

/// Appends a batch's committed lines (as LineBatch::for_each_committed_span lays them out in the
/// log) to a buffer written out by flush(). Not thread-safe: one sink's actor drives it.
class LineIndexWriter {
public:
  /// `log_offset`: the log's size before the run's first line (an appended-to log).
  LineIndexWriter(std::filesystem::path path, std::uint64_t log_offset);
  ~LineIndexWriter();
  LineIndexWriter(const LineIndexWriter&) = delete;
  LineIndexWriter& operator=(const LineIndexWriter&) = delete;

  /// Throws StoreError naming the file.
  void open();
  void add(const LineBatch& batch);
  /// A line as the log gets it: its text, then '\n' unless `continued`.
  void add(const StoredLine& line);
  /// Writes what add() buffered; throws StoreError.
  void flush();
  std::size_t pending_bytes() const noexcept { return pending_.size() * sizeof(LineIndexRecord); }

private:
  std::filesystem::path path_;
  std::uint64_t log_offset_;
  int fd_ = -1;
  std::vector<LineIndexRecord> pending_;
};

/// Reads a log's committed lines as they are written: each read() hands out the lines completed
/// since the last one, oldest first. Not thread-safe. Throws StoreError when a file cannot be read.
class LineCursor {
public:
  /// Where the first read() begins: the last N lines there are then (all when empty), or the
  /// first line whose seq is at least `from_seq` (a client resuming after the seq it had).
  /// With `before_seq`, the last N lines before that seq (the page before one a client has).
  /// With `from_index`, the line at that position (0-based) among the log's committed lines
  /// (a page of a viewer that counts rows, not seqs: transient states leave seqs out).
  struct Start {
    std::optional<std::size_t> last;
    std::uint64_t from_seq = 0;
    std::uint64_t before_seq = 0;
    std::optional<std::uint64_t> from_index;
  };

  /// `last`: start with the last N lines there are at the first read (all when empty).
  LineCursor(std::filesystem::path log, std::filesystem::path index, std::optional<std::size_t> last = std::nullopt);
  LineCursor(std::filesystem::path log, std::filesystem::path index, Start start);
  ~LineCursor();
  LineCursor(const LineCursor&) = delete;
  LineCursor& operator=(const LineCursor&) = delete;

  /// `final`: the run ended, so a last line without its end is handed out too. At most
  /// `max_lines` lines, and (with an index) no line more once `max_bytes` of text were handed
  /// out; the rest comes at the next read. Returns how many lines were handed out. Memory stays
  /// near 4 MiB of text plus one line, however long the lines.
  std::size_t read(const std::function<void(StoredLine&&)>& out, bool final,
                   std::size_t max_lines = std::numeric_limits<std::size_t>::max(),
                   std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

  /// The position (0-based, among the log's committed lines) of the line after the last one
  /// handed out; so a read's first line is at next_index() less the lines it handed out.
  std::uint64_t next_index() const noexcept { return index_fd_ >= 0 ? next_record_ : next_split_index_; }
  /// How many committed lines the index held at the last read (none for a log without one).
  std::optional<std::uint64_t> indexed_lines() const noexcept { return indexed_lines_; }

private:
  std::size_t read_indexed(const std::function<void(StoredLine&&)>& out, bool final, std::size_t max_lines,
                           std::size_t max_bytes);
  std::size_t read_split(const std::function<void(StoredLine&&)>& out, bool final, std::size_t max_lines);
  std::uint64_t first_record_from(std::uint64_t records, std::uint64_t seq) const;

  std::filesystem::path log_path_;
  std::filesystem::path index_path_;
  std::optional<std::size_t> last_;
  std::uint64_t from_seq_ = 0;
  std::uint64_t before_seq_ = 0;
  std::optional<std::uint64_t> from_index_;
  std::uint64_t next_split_index_ = 0;
  std::optional<std::uint64_t> indexed_lines_;
  std::uint64_t stop_record_ = std::numeric_limits<std::uint64_t>::max();  // with before_seq
  int log_fd_ = -1;
  int index_fd_ = -1;  // none: a raw log, split at '\n'
  bool positioned_ = false;
  std::uint64_t next_record_ = 0;
  std::uint64_t next_byte_ = 0;
  std::uint64_t next_seq_ = 1;
};

/// The committed lines of a log, oldest first: the last `count` (all when empty). With an index, each line
/// has its seq, source and time; without one (a raw log, a run of an older logstream), lines are
/// the log's text split at '\n', numbered from 1. Throws StoreError when the log cannot be read.
/// Lines are handed out one by one, reading a bounded chunk of the files at a time.
void for_each_line(const std::filesystem::path& log, const std::filesystem::path& index,
                   std::optional<std::size_t> count, const std::function<void(StoredLine&&)>& out);

}  // namespace logstream::store
