// HttpServer and Connection on a real loop with short timeouts: a request that never completes
// is answered 408, an idle kept-alive connection is closed, pipelined requests are answered in
// order, and a client that reads no answers stops being read.
#include <catch2/catch.hpp>

#include <fcntl.h>

#include <future>
#include <memory>
#include <string>

#include <logstream/runtime.hpp>

#include "http_client.hpp"
#include "web/http_server.hpp"

using namespace std::chrono_literals;
using logstream::test::HttpClient;
namespace web = logstream::web;

namespace {

// An HttpServer on a runtime's loop that answers every request with its path.
class EchoServer {
public:
  explicit EchoServer(web::ConnectionLimits limits) {
    std::promise<std::uint16_t> port;
    runtime_.post([&] {
      server_ = std::make_unique<web::HttpServer>(runtime_.loop(), limits, 8, [](web::Connection& c, web::HttpRequest&& r) {
        c.respond(web::HttpResponse{.content_type = "text/plain", .body = r.path});
      });
      server_->listen(web::ListenAddress{.host = "127.0.0.1", .port = 0});
      port.set_value(server_->port());
    });
    port_ = port.get_future().get();
  }
  ~EchoServer() {
    std::promise<void> closed;
    runtime_.post([&] { server_->close([&] { closed.set_value(); }); });
    closed.get_future().get();
    std::promise<void> freed;  // on the loop thread, where it lived
    runtime_.post([&] {
      server_.reset();
      freed.set_value();
    });
    freed.get_future().get();
  }
  std::uint16_t port() const { return port_; }

private:
  logstream::Runtime runtime_;
  std::unique_ptr<web::HttpServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace

TEST_CASE("http server: a request that never completes is 408, an idle connection is closed", "[web]") {
  EchoServer server(web::ConnectionLimits{.head_timeout = 200ms, .idle_timeout = 300ms});
  {
    HttpClient slow(server.port());
    slow.send("GET /partial HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    const auto reply = slow.read_reply(10s);
    REQUIRE(reply);
    CHECK(reply->status == 408);
    CHECK(reply->header("connection") == "close");
  }
  {
    HttpClient idle(server.port());
    CHECK(idle.get("/one").body == "/one");
    // Nothing more is asked: the server closes the connection (read sees the end).
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    bool open = true;
    while (open) open = idle.fill(deadline);
    CHECK_FALSE(open);
  }
}

TEST_CASE("http server: pipelined requests are answered in order; one that reads no answers is not read", "[web]") {
  EchoServer server(web::ConnectionLimits{});
  HttpClient client(server.port());
  std::string burst;
  // Thousands in one read: answered one after the other (no recursion per request).
  for (int i = 0; i < 3000; ++i) burst += "GET /r" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  client.send(burst);
  for (int i = 0; i < 3000; ++i) {
    const auto reply = client.read_reply(10s);
    REQUIRE(reply);
    CHECK(reply->body == "/r" + std::to_string(i));
  }
  // A client that sends requests without reading: the server's backlog stops growing (it stops
  // reading the socket), so sending blocks; the test sees that as a send that cannot finish.
  HttpClient greedy(server.port());
  // Small buffers on our side, so that what the kernel holds for us is little beside the server's.
  int small = 4096;
  ::setsockopt(greedy.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  ::setsockopt(greedy.fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  ::fcntl(greedy.fd(), F_SETFL, O_NONBLOCK);
  const std::string request = "GET /" + std::string(8000, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  std::size_t sent = 0;
  // Generous: on a loaded machine the server reads (and its socket buffers grow) slowly until
  // its backlog is full.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  bool blocked = false;
  while (!blocked && std::chrono::steady_clock::now() < deadline) {
    const ssize_t n = ::send(greedy.fd(), request.data(), request.size(), MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno != EAGAIN) break;
    pollfd p{greedy.fd(), POLLOUT, 0};
    blocked = ::poll(&p, 1, 500) == 0;  // the server has stopped reading: no room comes
  }
  INFO(sent << " bytes sent before the server stopped reading");
  CHECK(blocked);
  CHECK(sent < 64u * 1024 * 1024);
}
