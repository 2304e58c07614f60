// The progress object (see progress_json.hpp).
#include "json/progress_json.hpp"

#include "extract/progress_update.hpp"

namespace logstream::json {
namespace {

Json field_json(const std::optional<double>& value) { return optional_number(value); }
template <typename T>
Json field_json(const std::optional<T>& value) {
  return optional(value);
}

Json bar_json(const BarProgress& bar) {
  return Json{{"description", bar.description},
              {"current", number(bar.current)},
              {"total", optional_number(bar.total)},
              {"fraction", number(bar.fraction())},
              {"rate", optional_number(bar.rate)},
              {"rate_unit", bar.rate_unit},
              {"elapsed_s", optional_number(bar.elapsed_seconds)},
              {"remaining_s", optional_number(bar.remaining_seconds)}};
}

BarProgress bar_from(const Json& j) {
  BarProgress bar;
  bar.description = get_or<std::string>(j, "description", "");
  bar.current = get_or<double>(j, "current", 0);
  bar.total = get_optional<double>(j, "total");
  bar.rate = get_optional<double>(j, "rate");
  bar.rate_unit = get_or<std::string>(j, "rate_unit", "");
  bar.elapsed_seconds = get_optional<double>(j, "elapsed_s");
  bar.remaining_seconds = get_optional<double>(j, "remaining_s");
  return bar;
}

}  // namespace

Json progress_fields(const TrainingProgress& p) {
  Json out = Json::object();
  extract::for_each_progress_field([&](const auto& field) { out[field.name] = field_json(p.*field.stored); });
  out["is_best"] = p.is_best;
  out["bar"] = p.bar ? bar_json(*p.bar) : Json(nullptr);
  return out;
}

TrainingProgress progress_from(const Json& j) {
  TrainingProgress p;
  if (!j.is_object()) return p;
  extract::for_each_progress_field([&](const auto& field) {
    auto& stored = p.*field.stored;
    stored = get_optional<typename std::remove_reference_t<decltype(stored)>::value_type>(j, field.name);
  });
  p.is_best = get_or<bool>(j, "is_best", false);
  if (const auto it = j.find("bar"); it != j.end() && it->is_object()) p.bar = bar_from(*it);
  return p;
}

Json progress_event_json(const TrainingProgress& p) {
  Json out{{"type", "progress"}};
  out.update(progress_fields(p));
  out["t"] = p.last_update ? std::chrono::duration<double>(*p.last_update - p.start_time).count() : 0.0;
  return out;
}

}  // namespace logstream::json
