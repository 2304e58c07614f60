// start_dashboard (see dashboard.hpp).
#include "dashboard.hpp"

#include <stdexcept>
#include <string>

#include "exit_status.hpp"
#include "messages.hpp"
#include "options.hpp"

namespace logstream::cli {

std::unique_ptr<WebServer> start_dashboard(Runtime& runtime, const RunStore& store, const WebServerOptions& options,
                                           std::string_view option, int& status) {
  try {
    return std::make_unique<WebServer>(runtime, store, options);
  } catch (const std::invalid_argument& e) {
    say(std::string(option) + ": " + e.what());
    status = usage_status;
  } catch (const CodedError& e) {
    say(std::string(option) + ": " + e.what());
    status = internal_failure_status;
  }
  return nullptr;
}

}  // namespace logstream::cli
