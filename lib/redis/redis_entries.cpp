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

std::string lines_value(const RunRecord& run, const LineBatch& batch) {
  std::string out = "[";
  StoredLine stored;  // one for the batch: its text is reassigned, not allocated per line
  for (const Line line : batch) {
    if (line.transient) continue;
    stored.seq = line.seq;
    stored.is_stderr = line.is_stderr();
    stored.continued = line.continued;
    stored.wall_time = line.wall_time;
    stored.text.assign(line.text);
    stored.level = line.level;
    if (out.size() > 1) out += ',';
    json::append_stored_line_json(out, run, stored);
  }
  out += ']';
  return out;
}

}  // namespace logstream::redis
