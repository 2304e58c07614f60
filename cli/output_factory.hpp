// The front end a command shows a stream with (`run`, `attach`): the terminal display, plain
// lines or JSON Lines, chosen by the mode and by where stdout goes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <logstream/filter.hpp>

#include "options.hpp"
#include "output.hpp"

namespace logstream::cli {

struct OutputChoice {
  OutputMode mode = OutputMode::automatic;
  bool show_lines = true;     ///< false: --quiet
  std::string title;          ///< the panel's title
  std::size_t history_lines = 500;
  LineFilter filter;          ///< the lines shown (the filter flags)
};

std::unique_ptr<Output> make_output(const OutputChoice& choice);

/// "train.py" of "/home/me/train.py".
std::string base_name(const std::string& path);

}  // namespace logstream::cli
