// The status panel's rows: model, Position and Trial bars, scores, recent metrics, the tqdm bar,
// lines/s, elapsed time and ETA. Pure layout: the display decides when and where to draw them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>

#include "styled_line.hpp"

namespace logstream::cli {

struct PanelInput {
  TrainingProgress progress;
  std::string transient;               ///< the latest CR state (terminal-safe); empty: none
  std::vector<MetricSummary> metrics;  ///< most recently updated first
  std::string title;                   ///< shown when no model name is known (the command)
  double lines_per_second = 0;
  std::uint64_t lines = 0;
  double elapsed_seconds = 0;
  bool finished = false;
};

/// Fraction of the whole job done, from positions and trials; empty when the totals do not say.
std::optional<double> overall_fraction(const TrainingProgress& progress);
/// Seconds left: from overall_fraction, else from the tqdm bar's own estimate.
std::optional<double> eta_seconds(const TrainingProgress& progress, double elapsed_seconds);

/// The panel's rows, each at most `cols` columns wide once drawn.
std::vector<StyledLine> build_panel(const PanelInput& input, std::size_t cols);

/// One process of `logstream up`: its row of the group's panel.
struct ProcessRowInput {
  std::string name;               ///< terminal-safe
  std::size_t name_columns = 0;   ///< the names' column width, so that the rows line up
  std::string_view name_style;    ///< the process's colour
  std::string state;              ///< "running", "exited 0", "failed 1", "killed SIGTERM"...
  std::string_view state_style;
  TrainingProgress progress;
  double lines_per_second = 0;
  std::uint64_t lines = 0;
};

/// "web    running   Position [###---] 2/6  Trial [#-----] 3/40  best 0.8123  1.2k lines  40 lines/s",
/// the bars shrinking to fit `cols`.
StyledLine build_process_row(const ProcessRowInput& input, std::size_t cols);

}  // namespace logstream::cli
