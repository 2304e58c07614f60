#include "web/http_server.hpp"

#include <fmt/format.h>

#include <logstream/error.hpp>

namespace logstream::web {
namespace {

CodedError listen_error(int rc, const ListenAddress& address) {
  return CodedError(std::error_code(-rc, std::generic_category()),
                    fmt::format("cannot listen on {}:{}: {}", url_host(address.host), address.port, uv_strerror(rc)));
}

}  // namespace

HttpServer::HttpServer(uv_loop_t* loop, ConnectionLimits limits, std::size_t max_clients, RequestHandler handler)
    : loop_(loop), limits_(limits), max_clients_(max_clients), handler_(std::move(handler)),
      handles_([this] { maybe_done(); }) {}

HttpServer::~HttpServer() {
  // Connections still open would call back into a destroyed server: close() first.
  for (auto& [raw, connection] : connections_) connection.release();
}

void HttpServer::listen(const ListenAddress& address) {
  const std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
  sockaddr_storage storage{};
  if (uv_ip4_addr(host.c_str(), address.port, reinterpret_cast<sockaddr_in*>(&storage)) != 0 &&
      uv_ip6_addr(host.c_str(), address.port, reinterpret_cast<sockaddr_in6*>(&storage)) != 0)
    throw CodedError(std::make_error_code(std::errc::invalid_argument),
                     fmt::format("cannot listen on {}: not an IP address (use 127.0.0.1, ::1, 0.0.0.0...)", address.host));
  if (int rc = listener_.open(&handles_, [&](uv_tcp_t* h) { return uv_tcp_init(loop_, h); }); rc != 0)
    throw listen_error(rc, address);
  listener_.state().owner = this;
  if (int rc = uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&storage), 0); rc != 0) {
    listener_.close();
    throw listen_error(rc, address);
  }
  const int rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 128, [](uv_stream_t* server, int status) {
    if (HttpServer* self = decltype(listener_)::state(reinterpret_cast<uv_tcp_t*>(server)).owner) self->on_connection(status);
  });
  if (rc != 0) {
    listener_.close();
    throw listen_error(rc, address);
  }
  sockaddr_storage bound{};
  int length = sizeof bound;
  uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

void HttpServer::on_connection(int status) {
  if (status < 0 || closing_) return;
  auto connection = std::make_unique<Connection>(loop_, limits_, static_cast<Connection::Handler&>(*this));
  Connection* raw = connection.get();
  connections_.emplace(raw, std::move(connection));
  if (!raw->accept(reinterpret_cast<uv_stream_t*>(listener_.get()))) return;  // closing; on_closed frees it
  if (connections_.size() > max_clients_) {
    HttpResponse busy = error_response(503, "too many clients: try again later");
    busy.header("Retry-After", "5");
    raw->respond(busy, false, /*close_after=*/true);
  }
}

void HttpServer::on_request(Connection& connection, HttpRequest&& request) { handler_(connection, std::move(request)); }

void HttpServer::on_closed(Connection& connection) {
  connections_.erase(&connection);
  maybe_done();
}

void HttpServer::close(std::function<void()> done) {
  closing_ = true;
  on_done_ = std::move(done);
  listener_.close();
  // close() of a connection only starts closing it: on_closed erases it later.
  for (auto& [raw, connection] : connections_) connection->close();
  maybe_done();
}

void HttpServer::maybe_done() {
  if (!closing_ || handles_.open() > 0 || !connections_.empty() || !on_done_) return;
  auto done = std::move(on_done_);
  on_done_ = nullptr;
  done();
}

}  // namespace logstream::web
