// CSV and JSON exports of the metric store. Files are streamed through a 64 KiB buffer, so a
// large store is never rendered into one string, and replaced atomically by a rename.
#include "extract/metrics_export.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <queue>
#include <system_error>

#include <fmt/format.h>

#include "text/time_format.hpp"

namespace logstream {
namespace extract {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

// Appends to a buffer, spilling into a file (when there is one) as it grows.
class TextOut {
public:
  explicit TextOut(std::FILE* file = nullptr, std::string path = {})
      : file_(file), path_(std::move(path)) {}

  template <typename... Args>
  void print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), format, std::forward<Args>(args)...);
    if (file_ != nullptr && buf_.size() >= flush_bytes) flush();
  }
  void flush() {
    if (file_ == nullptr || buf_.size() == 0) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("cannot write metrics file '{}'", path_));
    }
    buf_.clear();
  }
  std::string str() const { return fmt::to_string(buf_); }

private:
  std::FILE* file_;
  std::string path_;
  fmt::memory_buffer buf_;
};

// JSON has no NaN or infinity.
std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void render_csv(const MetricsSnapshot& snap, TextOut& out) {
  out.print("{}", metrics_csv_header());
  // Merge the per-key series by line number: the file reads in the log's order.
  struct Cursor {
    std::uint64_t seq;
    std::size_t metric;
    std::size_t point;
    bool operator>(const Cursor& o) const {
      return seq != o.seq ? seq > o.seq : metric > o.metric;
    }
  };
  std::priority_queue<Cursor, std::vector<Cursor>, std::greater<>> heap;
  for (std::size_t m = 0; m < snap.metrics.size(); ++m) {
    if (!snap.metrics[m].points.empty()) heap.push({snap.metrics[m].points[0].seq, m, 0});
  }
  while (!heap.empty()) {
    const Cursor c = heap.top();
    heap.pop();
    const MetricSeries& series = snap.metrics[c.metric];
    const MetricPoint& p = series.points[c.point];
    std::string row;
    append_metrics_csv_row(row, metrics_csv_when(p.wall_time, p.seconds), p.seq, series.summary.key, p.value);
    out.print("{}", row);
    if (c.point + 1 < series.points.size()) {
      heap.push({series.points[c.point + 1].seq, c.metric, c.point + 1});
    }
  }
}

void render_json(const MetricsSnapshot& snap, TextOut& out) {
  out.print("{{\n  \"metrics\": {{");
  const char* separator = "\n";
  for (const MetricSeries& series : snap.metrics) {
    const MetricSummary& s = series.summary;
    out.print("{}    {}: {{\"latest\": {}, \"min\": {}, \"max\": {}, \"count\": {}, "
              "\"first_seq\": {}, \"last_seq\": {}, \"series_dropped\": {},\n      \"series\": [",
              separator, json_string(s.key), json_number(s.latest), json_number(s.min),
              json_number(s.max), s.count, s.first_seq, s.last_seq, s.series_dropped);
    const char* point_separator = "";
    for (const MetricPoint& p : series.points) {
      out.print("{}{{\"seq\": {}, \"elapsed_s\": {:.6f}, \"time\": \"{}\", \"value\": {}}}",
                point_separator, p.seq, p.seconds, text::format_iso8601_utc(p.wall_time), json_number(p.value));
      point_separator = ", ";
    }
    out.print("]}}");
    separator = ",\n";
  }
  out.print("\n  }},\n  \"dropped_observations\": {}\n}}\n", snap.dropped_observations);
}

[[noreturn]] void throw_write_error(int error, const std::filesystem::path& path) {
  throw std::system_error(error, std::generic_category(),
                          fmt::format("cannot write metrics file '{}'", path.string()));
}

template <typename Render>
void write_atomically(const MetricsSnapshot& snap, const std::filesystem::path& path,
                      Render render) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (file == nullptr) throw_write_error(errno, path);
  try {
    TextOut out(file, path.string());
    render(snap, out);
    out.flush();
  } catch (...) {
    std::fclose(file);
    std::remove(tmp.c_str());
    throw;
  }
  if (std::fclose(file) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp.c_str());
    throw_write_error(error, path);
  }
}

}  // namespace

std::string_view metrics_csv_header() { return "time,elapsed_s,seq,key,value\n"; }

std::string metrics_csv_when(std::chrono::system_clock::time_point wall_time, double seconds) {
  return fmt::format("{},{:.6f}", text::format_iso8601_utc(wall_time), seconds);
}

void append_metrics_csv_row(std::string& out, std::string_view when, std::uint64_t seq, std::string_view key, double value) {
  // Into a fixed buffer, then one append: formatting straight into the string grows it piece by piece.
  char number[64];
  out += when;
  out += ',';
  const fmt::format_int seq_text(seq);
  out.append(seq_text.data(), seq_text.size());
  out += ',';
  if (key.find_first_of(",\"\r\n") == std::string_view::npos) out += key;
  else out += csv_field(key);
  out += ',';
  out.append(number, fmt::format_to_n(number, sizeof number, "{}", value).size);
  out += '\n';
}

namespace {

// Splits off the next field of a row: a plain one up to its comma, a quoted one with its ""
// escapes undone. False when the row is malformed.
bool next_csv_field(std::string_view& row, std::string& field) {
  field.clear();
  if (!row.empty() && row.front() == '"') {
    std::size_t i = 1;
    for (;;) {
      const auto quote = row.find('"', i);
      if (quote == std::string_view::npos) return false;
      field.append(row.substr(i, quote - i));
      if (quote + 1 < row.size() && row[quote + 1] == '"') {
        field += '"';
        i = quote + 2;
        continue;
      }
      row.remove_prefix(quote + 1);
      break;
    }
    if (!row.empty() && row.front() != ',') return false;
    if (!row.empty()) row.remove_prefix(1);
    return true;
  }
  const auto comma = row.find(',');
  field.assign(row.substr(0, comma));
  row = comma == std::string_view::npos ? std::string_view{} : row.substr(comma + 1);
  return true;
}

template <typename T>
bool parse_number(const std::string& text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::optional<MetricsCsvRow> parse_metrics_csv_row(std::string_view row) {
  MetricsCsvRow out;
  std::string elapsed, seq, value;
  if (!next_csv_field(row, out.time) || !next_csv_field(row, elapsed) || !next_csv_field(row, seq) ||
      !next_csv_field(row, out.key) || !next_csv_field(row, value) || !row.empty())
    return std::nullopt;
  if (!parse_number(elapsed, out.elapsed_s) || !parse_number(seq, out.seq) || !parse_number(value, out.value))
    return std::nullopt;  // the header, or a row cut short
  return out;
}

void append_metrics_csv_rows(std::string& out, const LineBatch& batch, std::chrono::steady_clock::time_point start) {
  if (batch.metrics().empty()) return;
  const double seconds = batch.arrival() > start ? std::chrono::duration<double>(batch.arrival() - start).count() : 0.0;
  const std::string when = metrics_csv_when(batch.wall_time(), seconds);
  for (const MetricObservation m : batch.metrics()) append_metrics_csv_row(out, when, m.seq, m.key, m.value);
}

std::string metrics_csv(const MetricsSnapshot& snapshot) {
  TextOut out;
  render_csv(snapshot, out);
  return out.str();
}

std::string metrics_json(const MetricsSnapshot& snapshot) {
  TextOut out;
  render_json(snapshot, out);
  return out.str();
}

void write_metrics_csv(const MetricsSnapshot& snapshot, const std::filesystem::path& path) {
  write_atomically(snapshot, path, render_csv);
}

void write_metrics_json(const MetricsSnapshot& snapshot, const std::filesystem::path& path) {
  write_atomically(snapshot, path, render_json);
}

}  // namespace extract

std::string MetricStore::to_csv() const { return extract::metrics_csv(snapshot()); }
std::string MetricStore::to_json() const { return extract::metrics_json(snapshot()); }

void MetricStore::write_csv(const std::filesystem::path& path) const {
  extract::write_metrics_csv(snapshot(), path);
}

void MetricStore::write_json(const std::filesystem::path& path) const {
  extract::write_metrics_json(snapshot(), path);
}

}  // namespace logstream
