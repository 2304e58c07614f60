// The progress object of the --json schema and of the store: one definition of its fields.
#pragma once

#include <logstream/progress.hpp>

#include "json/json.hpp"

namespace logstream::json {

/// {"position","total_positions","model","trial","total_trials","score","best_score","is_best","bar"}.
Json progress_fields(const TrainingProgress& progress);
/// The progress object of `run --json`: {"type":"progress", ...progress_fields, "t"}; t: seconds
/// from the progress's start to its last update.
Json progress_event_json(const TrainingProgress& progress);
/// The fields read back (times are left at their defaults); absent fields stay empty.
TrainingProgress progress_from(const Json& fields);

}  // namespace logstream::json
