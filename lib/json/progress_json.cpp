// The progress object (see progress_json.hpp).
#include "json/progress_json.hpp"

namespace logstream::json {
namespace {

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
  return Json{{"position", optional(p.position)},
              {"total_positions", optional(p.total_positions)},
              {"model", optional(p.model_name)},
              {"trial", optional(p.trial)},
              {"total_trials", optional(p.total_trials)},
              {"score", optional_number(p.score)},
              {"best_score", optional_number(p.best_score)},
              {"is_best", p.is_best},
              {"bar", p.bar ? bar_json(*p.bar) : Json(nullptr)}};
}

TrainingProgress progress_from(const Json& j) {
  TrainingProgress p;
  if (!j.is_object()) return p;
  p.position = get_optional<std::int64_t>(j, "position");
  p.total_positions = get_optional<std::int64_t>(j, "total_positions");
  p.model_name = get_optional<std::string>(j, "model");
  p.trial = get_optional<std::int64_t>(j, "trial");
  p.total_trials = get_optional<std::int64_t>(j, "total_trials");
  p.score = get_optional<double>(j, "score");
  p.best_score = get_optional<double>(j, "best_score");
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
