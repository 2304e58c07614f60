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

namespace logstream::store {
namespace {

StoreError os_error(int error, const std::string& what, const std::filesystem::path& path) {
  return StoreError(std::error_code(error, std::generic_category()),
                    fmt::format("{} {}: {}", what, path.string(), std::generic_category().message(error)));
}

class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};

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

std::vector<StoredLine> split_log(const std::string& text, std::optional<std::size_t> count) {
  std::vector<StoredLine> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    const auto end = nl == std::string::npos ? text.size() : nl;
    lines.push_back(StoredLine{.seq = lines.size() + 1, .text = text.substr(start, end - start)});
    start = end + 1;
  }
  if (count && lines.size() > *count) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(*count));
  return lines;
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
    pending_.push_back(LineIndexRecord{line.seq << 2 | flags, log_offset_, wall_ns});
    log_offset_ += line.text.size() + (ends_with_newline(line.terminator, line.continued) ? 1 : 0);
  }
}

void LineIndexWriter::flush() {
  if (pending_.empty() || fd_ < 0) return;
  const std::string_view bytes(reinterpret_cast<const char*>(pending_.data()), pending_.size() * sizeof(LineIndexRecord));
  const io::WriteResult result = io::write_all(fd_, bytes);
  pending_.clear();
  if (!result.ok()) throw os_error(result.error, "cannot write", path_);
}

void for_each_line(const std::filesystem::path& log, const std::filesystem::path& index,
                   std::optional<std::size_t> count, const std::function<void(StoredLine&&)>& out) {
  const Fd log_fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
  if (log_fd.get() < 0) throw os_error(errno, "cannot read", log);
  const std::uint64_t log_size = file_size(log_fd.get(), log);
  const Fd index_fd(::open(index.c_str(), O_RDONLY | O_CLOEXEC));
  if (index_fd.get() < 0) {
    for (StoredLine& line : split_log(read_range(log_fd.get(), 0, log_size, log), count)) out(std::move(line));
    return;
  }
  const std::uint64_t records = file_size(index_fd.get(), index) / sizeof(LineIndexRecord);
  // Records are read a chunk at a time, with the log bytes they cover: memory stays bounded
  // however long the run.
  constexpr std::uint64_t chunk = 4096;
  std::vector<LineIndexRecord> batch;
  for (std::uint64_t at = count ? records - std::min<std::uint64_t>(records, *count) : 0; at < records; at += chunk) {
    const std::uint64_t n = std::min(chunk + 1, records - at);  // one more: where the last line ends
    const std::string raw = read_range(index_fd.get(), at * sizeof(LineIndexRecord), n * sizeof(LineIndexRecord), index);
    batch.resize(raw.size() / sizeof(LineIndexRecord));
    std::memcpy(batch.data(), raw.data(), batch.size() * sizeof(LineIndexRecord));
    if (batch.empty()) return;
    const bool has_next = batch.size() > chunk;
    const std::size_t lines = has_next ? chunk : batch.size();
    const std::uint64_t from = std::min(batch.front().offset, log_size);
    const std::uint64_t to = has_next ? std::min(batch[chunk].offset, log_size) : log_size;
    const std::string text = read_range(log_fd.get(), from, to - from, log);
    for (std::size_t i = 0; i < lines; ++i) {
      const LineIndexRecord& r = batch[i];
      const bool continued = (r.seq_flags & LineIndexRecord::continued_flag) != 0;
      const std::size_t begin = std::min<std::uint64_t>(r.offset - from, text.size());
      std::size_t end = i + 1 < batch.size() ? std::min<std::uint64_t>(batch[i + 1].offset - from, text.size()) : text.size();
      if (!continued) {  // a line ends at its newline (the last one also when the log grew since)
        const auto nl = text.find('\n', begin);
        if (nl != std::string::npos && nl < end) end = nl;
      }
      out(StoredLine{.seq = r.seq_flags >> 2,
                     .is_stderr = (r.seq_flags & LineIndexRecord::stderr_flag) != 0,
                     .continued = continued,
                     .wall_time = std::chrono::system_clock::time_point(
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(r.wall_ns))),
                     .text = text.substr(begin, end - begin)});
    }
  }
}

}  // namespace logstream::store
