// Entry ids, keys and values (see redis_entries.hpp).
#include "redis/redis_entries.hpp"

#include <charconv>

#include <fmt/format.h>

#include "json/stored_run_json.hpp"

namespace logstream::redis {

std::string EntryId::text() const { return fmt::format("{}-{}", seq, k); }

std::optional<EntryId> EntryId::parse(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  EntryId id;
  const char* end = text.data() + text.size();
  const auto [seq_end, seq_ec] = std::from_chars(text.data(), text.data() + dash, id.seq);
  const auto [k_end, k_ec] = std::from_chars(text.data() + dash + 1, end, id.k);
  if (seq_ec != std::errc{} || seq_end != text.data() + dash || k_ec != std::errc{} || k_end != end) return std::nullopt;
  return id;
}

Keys::Keys(std::string_view prefix, std::string_view run_id)
    : stream(fmt::format("{}:run:{}", prefix, run_id)),
      record(fmt::format("{}:runs:{}", prefix, run_id)),
      index(fmt::format("{}:runs", prefix)) {}

std::string lines_value(const RunRecord& run, std::span<const StoredLine> lines) {
  std::string out = "[";
  for (const StoredLine& line : lines) {
    if (out.size() > 1) out += ',';
    json::append_stored_line_json(out, run, line);
  }
  out += ']';
  return out;
}

std::vector<StoredLine> committed_lines(const LineBatch& batch) {
  std::vector<StoredLine> out;
  out.reserve(batch.size());
  for (const Line line : batch) {
    if (line.transient) continue;
    out.push_back(StoredLine{.seq = line.seq,
                             .is_stderr = line.is_stderr(),
                             .continued = line.continued,
                             .wall_time = line.wall_time,
                             .text = std::string(line.text),
                             .level = line.level});
  }
  return out;
}

}  // namespace logstream::redis
