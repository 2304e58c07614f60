// lines.idx (see line_index.hpp).
#include "store/line_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "io/write_all.hpp"
#include "store/store_error.hpp"

namespace logstream::store {
namespace {

// pread until `size` bytes or the end of the file.
std::string read_range(int fd, std::uint64_t offset, std::uint64_t size, const std::filesystem::path& path) {
  std::string out(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw os_error(errno, "cannot read", path);
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  out.resize(done);
  return out;
}

std::uint64_t file_size(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw os_error(errno, "cannot read", path);
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

LineIndexWriter::LineIndexWriter(std::filesystem::path path, std::uint64_t log_offset)
    : path_(std::move(path)), log_offset_(log_offset) {}

LineIndexWriter::~LineIndexWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void LineIndexWriter::open() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw os_error(errno, "cannot create", path_);
}

void LineIndexWriter::add(const LineBatch& batch) {
  const std::int64_t wall_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(batch.wall_time().time_since_epoch()).count();
  for (const Line line : batch) {
    if (line.transient) continue;  // not in the log
    std::uint64_t flags = line.is_stderr() ? LineIndexRecord::stderr_flag : 0;
    if (line.continued) flags |= LineIndexRecord::continued_flag;
    pending_.push_back(LineIndexRecord{line.seq << 2 | flags, LineIndexRecord::pack(log_offset_, line.level), wall_ns});
    log_offset_ += line.text.size() + (ends_with_newline(line.terminator, line.continued) ? 1 : 0);
  }
}

void LineIndexWriter::add(const StoredLine& line) {
  std::uint64_t flags = line.is_stderr ? LineIndexRecord::stderr_flag : 0;
  if (line.continued) flags |= LineIndexRecord::continued_flag;
  const std::int64_t wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(line.wall_time.time_since_epoch()).count();
  pending_.push_back(LineIndexRecord{line.seq << 2 | flags, LineIndexRecord::pack(log_offset_, line.level), wall_ns});
  log_offset_ += line.text.size() + (line.continued ? 0 : 1);
}

void LineIndexWriter::flush() {
  if (pending_.empty() || fd_ < 0) return;
  const std::string_view bytes(reinterpret_cast<const char*>(pending_.data()), pending_.size() * sizeof(LineIndexRecord));
  const io::WriteResult result = io::write_all(fd_, bytes);
  pending_.clear();
  if (!result.ok()) throw os_error(result.error, "cannot write", path_);
}

LineCursor::LineCursor(std::filesystem::path log, std::filesystem::path index, std::optional<std::size_t> last)
    : log_path_(std::move(log)), index_path_(std::move(index)), last_(last) {}

LineCursor::LineCursor(std::filesystem::path log, std::filesystem::path index, Start start)
    : log_path_(std::move(log)), index_path_(std::move(index)), last_(start.last), from_seq_(start.from_seq),
      before_seq_(start.before_seq), from_index_(start.from_index) {}

LineCursor::~LineCursor() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (index_fd_ >= 0) ::close(index_fd_);
}

std::size_t LineCursor::read(const std::function<void(StoredLine&&)>& out, bool final, std::size_t max_lines,
                             std::size_t max_bytes) {
  if (log_fd_ < 0) {
    log_fd_ = ::open(log_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (log_fd_ < 0) {
      if (errno == ENOENT && !final) return 0;  // not written yet
      throw os_error(errno, "cannot read", log_path_);
    }
    index_fd_ = ::open(index_path_.c_str(), O_RDONLY | O_CLOEXEC);
    // Without an index, a line's position is its number less one.
    if (index_fd_ < 0 && from_index_) from_seq_ = std::max(from_seq_, *from_index_ + 1);
  }
  return index_fd_ < 0 ? read_split(out, final, max_lines) : read_indexed(out, final, max_lines, max_bytes);
}

// Records are in seq order: the first whose seq is at least `seq`, by bisection.
std::uint64_t LineCursor::first_record_from(std::uint64_t records, std::uint64_t seq) const {
  std::uint64_t low = 0;
  std::uint64_t high = records;
  while (low < high) {
    const std::uint64_t mid = low + (high - low) / 2;
    LineIndexRecord record;
    const std::string raw = read_range(index_fd_, mid * sizeof record, sizeof record, index_path_);
    if (raw.size() < sizeof record) return mid;
    std::memcpy(&record, raw.data(), sizeof record);
    if ((record.seq_flags >> 2) < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

// A raw log (or one of a run without an index): lines are its text split at '\n'.
std::size_t LineCursor::read_split(const std::function<void(StoredLine&&)>& out, bool final, std::size_t max_lines) {
  const std::uint64_t size = file_size(log_fd_, log_path_);
  const std::string text = read_range(log_fd_, next_byte_, size > next_byte_ ? size - next_byte_ : 0, log_path_);
  // The first read keeps every line, to know which are the last N; later ones stop at the budget.
  const std::size_t budget = positioned_ ? max_lines : std::numeric_limits<std::size_t>::max();
  std::vector<StoredLine> lines;
  std::size_t start = 0;
  while (start < text.size() && lines.size() < budget) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos && !final) break;
    const auto end = nl == std::string::npos ? text.size() : nl;
    const std::uint64_t seq = next_seq_++;
    if (seq >= from_seq_ && (before_seq_ == 0 || seq < before_seq_)) lines.push_back(StoredLine{.seq = seq, .text = text.substr(start, end - start)});
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  if (!positioned_ && last_ && lines.size() > *last_) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(*last_));
  if (!positioned_ && lines.size() > max_lines) {
    // Hand out the first max_lines; the next read starts at the line after them.
    next_seq_ = lines[max_lines].seq;
    from_seq_ = next_seq_;
    start = 0;
    for (std::uint64_t seq = 1; seq < next_seq_; ++seq) start = text.find('\n', start) + 1;
    lines.resize(max_lines);
  }
  next_byte_ += start;
  positioned_ = true;
  if (!lines.empty()) next_split_index_ = lines.back().seq;
  for (StoredLine& line : lines) out(std::move(line));
  return lines.size();
}

std::size_t LineCursor::read_indexed(const std::function<void(StoredLine&&)>& out, bool final, std::size_t max_lines,
                                     std::size_t max_bytes) {
  const std::uint64_t records = file_size(index_fd_, index_path_) / sizeof(LineIndexRecord);
  if (!positioned_) {
    const std::uint64_t end = before_seq_ > 0 ? first_record_from(records, before_seq_) : records;
    next_record_ = last_ ? end - std::min<std::uint64_t>(end, *last_) : 0;
    if (from_seq_ > 0) next_record_ = std::max(next_record_, first_record_from(records, from_seq_));
    if (from_index_) next_record_ = std::max(next_record_, *from_index_);
    if (before_seq_ > 0) stop_record_ = end;
    positioned_ = true;
  }
  indexed_lines_ = records;
  const std::uint64_t available = std::min(records, stop_record_);
  std::size_t handed = 0;
  // A chunk of records at a time, with the log bytes they cover: memory stays bounded however
  // long the run.
  constexpr std::uint64_t chunk = 4096;
  constexpr std::uint64_t text_chunk = 4 << 20;
  // The last indexed line's end is its newline: looked for this far (beyond a line's limit).
  constexpr std::uint64_t max_tail_bytes = 16 << 20;
  std::size_t bytes = 0;
  std::vector<LineIndexRecord> batch;
  while (next_record_ < available && handed < max_lines && bytes < max_bytes) {
    const std::uint64_t want = std::min<std::uint64_t>({chunk, max_lines - handed, available - next_record_});
    const std::uint64_t n = std::min(want + 1, records - next_record_);  // one more: where the last line ends
    const std::string raw = read_range(index_fd_, next_record_ * sizeof(LineIndexRecord), n * sizeof(LineIndexRecord), index_path_);
    batch.resize(raw.size() / sizeof(LineIndexRecord));
    std::memcpy(batch.data(), raw.data(), batch.size() * sizeof(LineIndexRecord));
    if (batch.empty()) return handed;
    const std::uint64_t log_size = file_size(log_fd_, log_path_);
    const std::uint64_t from = std::min(batch.front().offset(), log_size);
    // Long lines: fewer of them per chunk, so that a chunk's text stays near text_chunk bytes
    // (beyond it, one line: at most the framing limit).
    std::size_t lines = static_cast<std::size_t>(std::min<std::uint64_t>(batch.size(), want));
    std::size_t fit = 1;
    while (fit < lines && batch[fit].offset() - batch.front().offset() <= text_chunk) ++fit;
    lines = fit;
    const std::uint64_t to = batch.size() > lines ? std::min(batch[lines].offset(), log_size)
                                                  : std::min(log_size, batch[lines - 1].offset() + max_tail_bytes);
    const std::string text = read_range(log_fd_, from, to - from, log_path_);
    const std::uint64_t text_end = from + text.size();
    for (std::size_t i = 0; i < lines; ++i) {
      const LineIndexRecord& r = batch[i];
      if (r.offset() > text_end) return handed;  // the log has not caught up with the index yet
      if ((r.seq_flags >> 2) < from_seq_) {  // written after a start past the end of the index
        ++next_record_;
        continue;
      }
      if (handed > 0 && bytes >= max_bytes) return handed;
      const bool continued = (r.seq_flags & LineIndexRecord::continued_flag) != 0;
      // The line's end: where the next one starts (the index may run ahead of the log: then
      // wait), else its newline, else, at the end of the run, the end of the log.
      std::uint64_t end = 0;
      if (i + 1 < batch.size()) {
        end = batch[i + 1].offset();
        if (end > text_end) return handed;
      } else {
        const auto nl = continued ? std::string::npos : text.find('\n', r.offset() - from);
        if (nl != std::string::npos) end = from + nl + 1;
        else if (final) end = text_end;
        else return handed;
      }
      std::uint64_t text_stop = end;
      if (!continued && text_stop > r.offset() && text[text_stop - 1 - from] == '\n') --text_stop;
      out(StoredLine{.seq = r.seq_flags >> 2,
                     .is_stderr = (r.seq_flags & LineIndexRecord::stderr_flag) != 0,
                     .continued = continued,
                     .wall_time = std::chrono::system_clock::time_point(
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(r.wall_ns))),
                     .text = text.substr(r.offset() - from, text_stop - r.offset()),
                     .level = r.level()});
      ++next_record_;
      ++handed;
      bytes += text_stop - r.offset();
    }
  }
  return handed;
}

void for_each_line(const std::filesystem::path& log, const std::filesystem::path& index,
                   std::optional<std::size_t> count, const std::function<void(StoredLine&&)>& out) {
  LineCursor cursor(log, index, count);
  cursor.read(out, /*final=*/true);
}

}  // namespace logstream::store
