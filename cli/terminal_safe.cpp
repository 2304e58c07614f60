// One-line messages made safe (see terminal_safe.hpp).
#include "terminal_safe.hpp"

#include <algorithm>

#include "text.hpp"

namespace logstream::cli {

std::string terminal_safe_line(std::string_view text, std::size_t max_columns) {
  // Cut the input first: a message may echo a line of any length, and only its start is shown.
  const std::size_t max_input = max_columns * 8;
  std::string safe = terminal_safe(text.substr(0, max_input));
  std::replace(safe.begin(), safe.end(), '\t', ' ');
  if (text.size() <= max_input && columns(safe) <= max_columns) return safe;
  std::string cut(truncate_columns(safe, max_columns > 3 ? max_columns - 3 : 0));
  cut += "...";
  return cut;
}

}  // namespace logstream::cli
