// WebServer: the runs of a RunStore over HTTP, for the dashboard and for scripts: a JSON API,
// Server-Sent Events of live runs, the raw logs. It runs on a Runtime's libuv loop, with no
// thread of its own (see README "Web dashboard" for the API).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <logstream/export.hpp>
#include <logstream/run_store.hpp>
#include <logstream/runtime.hpp>

namespace logstream {

struct LOGSTREAM_API WebServerOptions {
  /// HOST:PORT ([IPv6]:PORT); port 0 picks a free one (see WebServer::port()).
  std::string listen = "127.0.0.1:8411";
  /// Host names the Host header may carry besides the listening address, localhost, 127.0.0.1
  /// and [::1] (and the machine's own addresses when listening on 0.0.0.0 or ::). Any other Host
  /// is refused with 403: a page of another site cannot reach the server through DNS rebinding.
  std::vector<std::string> allowed_hosts;
  /// Needed off loopback and with allow_control; empty: one is generated (see token()).
  std::string token;
  /// Serves POST /api/runs/{id}/stop (SIGTERM to a running run of this machine), which then
  /// needs the token, also on loopback, and, from a browser, a page of this server (its Origin).
  bool allow_control = false;
  /// Connections at once; one more is answered 503 with Retry-After.
  std::size_t max_clients = 64;
  /// A request's line and headers, and its body: beyond them 431 and 413.
  std::size_t max_request_head_bytes = 16 * 1024;
  std::size_t max_request_body_bytes = 64 * 1024;
  /// A comment on every event stream this often.
  std::chrono::milliseconds heartbeat{15'000};
};

/// Serves `store` on `runtime`'s loop until destroyed. Construction binds the address (throws
/// CodedError naming it: EADDRINUSE, EACCES...; std::invalid_argument for a malformed listen
/// address) and may be called from any thread; with an own-loop runtime it waits for the loop
/// thread to bind. The destructor closes every connection and waits for the loop to let go of
/// them (from the host loop's thread for a host-loop runtime, which must keep running its loop
/// afterwards until uv_run returns).
///
/// A client is never waited for: each one's backlog is bounded, and a client that reads slower
/// than a run writes follows it from the run's files at its own pace. If SIGPIPE has its default
/// action, construction ignores it (a client that goes away mid-write would kill the process).
class LOGSTREAM_API WebServer {
public:
  WebServer(Runtime& runtime, const RunStore& store, WebServerOptions options = {});
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  /// The port listened on.
  std::uint16_t port() const noexcept;
  /// "http://HOST:PORT/", with "?token=..." when a token is needed.
  std::string url() const;
  /// The token requests need; empty when none is (loopback without control).
  const std::string& token() const noexcept;

  struct Impl;

private:
  Runtime* runtime_ = nullptr;
  std::unique_ptr<Impl> impl_;
};

}  // namespace logstream
