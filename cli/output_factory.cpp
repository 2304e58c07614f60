// The front end of a stream (see output_factory.hpp).
#include "output_factory.hpp"

#include <unistd.h>

#include "display.hpp"
#include "json_output.hpp"
#include "plain_display.hpp"
#include "terminal.hpp"

namespace logstream::cli {
namespace {

constexpr std::chrono::seconds plain_status_interval{5};

}  // namespace

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::unique_ptr<Output> make_output(const OutputChoice& c) {
  if (c.mode == OutputMode::json) return std::make_unique<JsonOutput>(c.show_lines, c.filter);
  if (c.mode == OutputMode::plain || !is_terminal(STDOUT_FILENO) || is_dumb_terminal())
    return std::make_unique<PlainDisplay>(c.show_lines, plain_status_interval, c.filter);
  return std::make_unique<TtyDisplay>(TtyDisplayOptions{.show_lines = c.show_lines,
                                                        .color = color_wanted(STDOUT_FILENO),
                                                        .title = c.title,
                                                        .history_lines = c.history_lines,
                                                        .filter = c.filter});
}

}  // namespace logstream::cli
