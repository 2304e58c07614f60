// The web dashboard as the command starts it (`serve`, `run --web`): one way to say why a server
// could not listen, and with which exit status.
#pragma once

#include <memory>
#include <string_view>

#include <logstream/run_store.hpp>
#include <logstream/runtime.hpp>
#include <logstream/web_server.hpp>

namespace logstream::cli {

/// The server, listening; or null, with "OPTION: why" said and `status` set: 2 for a malformed
/// address, 125 for one it cannot listen on.
std::unique_ptr<WebServer> start_dashboard(Runtime& runtime, const RunStore& store, const WebServerOptions& options,
                                           std::string_view option, int& status);

}  // namespace logstream::cli
