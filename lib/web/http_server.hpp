// HttpServer: a listening TCP socket on a libuv loop and its connections, at most max_clients
// at once (one more is answered 503 with Retry-After and closed). What a request means is the
// RequestHandler's business. Loop thread only; no thread of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include <uv.h>

#include "loop/loop_handle.hpp"
#include "web/access.hpp"
#include "web/connection.hpp"

namespace logstream::web {

using RequestHandler = std::function<void(Connection&, HttpRequest&&)>;

class HttpServer : private Connection::Handler {
public:
  HttpServer(uv_loop_t* loop, ConnectionLimits limits, std::size_t max_clients, RequestHandler handler);
  ~HttpServer() override;
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens. Throws CodedError naming the address (EADDRINUSE, EACCES, EADDRNOTAVAIL).
  void listen(const ListenAddress& address);
  /// The port it listens on (the one picked, for port 0).
  std::uint16_t port() const noexcept { return port_; }
  std::size_t clients() const noexcept { return connections_.size(); }

  /// Stops listening and closes every connection; `done` runs once every handle is closed.
  void close(std::function<void()> done);

private:
  void on_connection(int status);
  void on_request(Connection& connection, HttpRequest&& request) override;
  void on_closed(Connection& connection) override;
  void maybe_done();

  struct ListenState {
    HttpServer* owner = nullptr;
  };

  uv_loop_t* loop_;
  ConnectionLimits limits_;
  std::size_t max_clients_;
  RequestHandler handler_;
  HandleCount handles_;
  LoopHandle<uv_tcp_t, ListenState> listener_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::uint16_t port_ = 0;
  std::function<void()> on_done_;
  bool closing_ = false;
};

}  // namespace logstream::web
