// The JSON type of every object logstream writes (the --json schema, the store's files): keys
// keep the order they were written in, so files and output read in the documented order.
#pragma once

#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

namespace logstream::json {

using Json = nlohmann::ordered_json;

/// JSON has no NaN or infinities: they are written as null.
inline Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

template <typename T>
Json optional(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

inline Json optional_number(const std::optional<double>& value) { return value ? number(*value) : Json(nullptr); }

/// A field read back: empty when absent or null (or of another type).
template <typename T>
std::optional<T> get_optional(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

template <typename T>
T get_or(const Json& object, const char* key, T fallback) {
  return get_optional<T>(object, key).value_or(std::move(fallback));
}

/// Compact, invalid UTF-8 replaced by U+FFFD, so the output stays valid JSON.
inline std::string dump(const Json& object) { return object.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace logstream::json
