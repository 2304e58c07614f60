// The stream entries of a run in Redis (README "Redis"): their ids, keys and JSON fields. The one
// definition both the sink and the readers follow.
//
// An entry's id is `S-K`: S is the seq of the last line shipped when the entry was made, K
// counts from 0 the entries made at that seq. A lines entry of lines up to seq S is `S-0`; the
// metric, progress, alert and exit entries that follow it are `S-1`, `S-2`, ... So ids only
// grow, a reader resumes after the last id it has, and a resend after a reconnect is refused
// by Redis (an id not above the stream's top) instead of being stored twice.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <logstream/line_batch.hpp>
#include <logstream/run_store.hpp>

namespace logstream::redis {

struct EntryId {
  std::uint64_t seq = 0;
  std::uint64_t k = 0;

  auto operator<=>(const EntryId&) const = default;
  std::string text() const;
  /// "S-K"; empty for anything else.
  static std::optional<EntryId> parse(std::string_view text);
};

/// An entry's one field: its name says what the value (JSON) holds.
inline constexpr std::string_view lines_field = "lines";     ///< an array of line objects
inline constexpr std::string_view progress_field = "progress";
inline constexpr std::string_view metric_field = "metric";
inline constexpr std::string_view alert_field = "alert";
inline constexpr std::string_view exit_field = "exit";

struct Entry {
  EntryId id;
  std::string field;
  std::string value;
  std::size_t bytes() const noexcept { return field.size() + value.size() + 32; }
};

struct Keys {
  std::string stream;  ///< PREFIX:run:<id>
  std::string record;  ///< PREFIX:runs:<id>, a hash
  std::string index;   ///< PREFIX:runs, a sorted set of ids by start time

  Keys(std::string_view prefix, std::string_view run_id);
};

/// The value of a lines entry: the JSON array of the line objects of `run --json` (as the store
/// hands them out, so a line read back from the log ships as the same object).
std::string lines_value(const RunRecord& run, std::span<const StoredLine> lines);
/// The same for a batch's committed lines (transient states are not in the log, so not in Redis
/// either); "[]" when it has none.
std::string lines_value(const RunRecord& run, const LineBatch& batch);

}  // namespace logstream::redis
