// `logstream serve` (see store_commands.hpp): the store's web dashboard until a stop signal.
#include <signal.h>

#include <stdexcept>

#include <logstream/runtime.hpp>
#include <logstream/web_server.hpp>

#include "dashboard.hpp"
#include "exit_status.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"

namespace logstream::cli {

int serve_command(const ServeOptions& o) {
  const auto store = open_store();
  if (!store) return internal_failure_status;
  // The server lives on the loop thread: no worker is needed.
  Runtime runtime(RuntimeOptions{.worker_threads = 0});
  int status = 0;
  const auto server = start_dashboard(runtime, *store,
                                      WebServerOptions{.listen = o.listen,
                                                       .allowed_hosts = o.allowed_hosts,
                                                       .token = o.token,
                                                       .allow_control = o.allow_control},
                                      "--listen", status);
  if (!server) return status;
  say("dashboard at " + server->url());
  // block_handled_signals() blocked these in every thread: they wait here, nowhere else.
  sigset_t stop;
  sigemptyset(&stop);
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop, signo);
  int signo = 0;
  while (sigwait(&stop, &signo) != 0) {
  }
  return 0;
}

}  // namespace logstream::cli
