// Connection: one HTTP/1.1 client on the loop. It reads and parses requests one at a time,
// hands each to the server's handler, writes the answer, and keeps the connection for the next
// (keep-alive) or hands it to a ResponseStream (Server-Sent Events, a download) that writes as
// fast as the client reads: write_queue_bytes() is the client's backlog, on_drained() says it
// has room again. Loop thread only.
//
// Lifetime: close() (or the client leaving, an error, a timeout) closes the connection's handles;
// the server frees it in on_closed(), after libuv called back every write and close.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <uv.h>

#include "loop/loop_handle.hpp"
#include "web/http_request.hpp"
#include "web/http_response.hpp"

namespace logstream::web {

class Connection;

/// A response body produced while the client reads it. Its handles count in the connection's
/// handles() so that the connection outlives them.
class ResponseStream {
public:
  virtual ~ResponseStream() = default;
  /// The head was queued: begin writing.
  virtual void start(Connection& connection) = 0;
  /// The client's backlog went below the low-water mark.
  virtual void on_drained(Connection& connection) = 0;
  /// The connection is closing: close every handle (their callbacks still come).
  virtual void stop() = 0;
};

struct ConnectionLimits {
  RequestLimits request;
  std::chrono::milliseconds head_timeout{10'000};  ///< a request begun must be whole by then (408)
  std::chrono::milliseconds idle_timeout{60'000};  ///< a kept-alive connection with no request
  std::size_t low_water_bytes = 256 * 1024;        ///< on_drained() below this backlog
};

class Connection {
public:
  struct Handler {
    virtual ~Handler() = default;
    virtual void on_request(Connection& connection, HttpRequest&& request) = 0;
    virtual void on_closed(Connection& connection) = 0;
  };

  Connection(uv_loop_t* loop, ConnectionLimits limits, Handler& handler);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Accepts the pending client of `server` and starts reading; false (and closing) on failure.
  bool accept(uv_stream_t* server);

  /// Answers the request being handled; the next request is read after it (or the connection
  /// closes after it when the request or `close_after` says so).
  void respond(const HttpResponse& response, bool head_only = false, bool close_after = false);
  /// Writes `head` and gives the connection to `stream` until it closes.
  void stream(std::string head, std::unique_ptr<ResponseStream> stream);
  /// For a ResponseStream: queues bytes.
  void write(std::string bytes);
  /// Bytes queued to the client and not yet taken by the kernel.
  std::size_t write_queue_bytes() const noexcept { return queued_bytes_; }
  /// Closes after what is queued was written.
  void close_after_writes();
  /// Closes now (queued writes are cancelled).
  void close();

  bool closing() const noexcept { return closing_; }
  uv_loop_t* loop() const noexcept { return loop_; }
  /// Where a ResponseStream counts its handles.
  HandleCount* handles() noexcept { return &handles_; }
  /// The peer's address, for messages.
  const std::string& peer() const noexcept { return peer_; }

private:
  struct TcpState {
    Connection* owner = nullptr;
  };
  struct TimerState {
    Connection* owner = nullptr;
  };
  struct WriteRequest;

  void start_reading();
  void stop_reading();
  void on_read(ssize_t nread, const uv_buf_t* buf);
  void on_written(std::size_t bytes, int status);
  void parse_buffered();
  void arm_timer();
  void on_timeout();
  void fail_request(int status, std::string_view reason);

  uv_loop_t* loop_;
  ConnectionLimits limits_;
  Handler& handler_;
  HandleCount handles_;
  LoopHandle<uv_tcp_t, TcpState> tcp_;
  LoopHandle<uv_timer_t, TimerState> timer_;
  RequestParser parser_;
  std::string buffered_;  // read and not parsed yet (a pipelined request)
  std::unique_ptr<ResponseStream> stream_;
  std::string peer_;
  std::size_t queued_bytes_ = 0;
  bool handling_ = false;  // a request is with the handler or its answer is being written
  bool parsing_ = false;   // within parse_buffered(): answers do not recurse into it
  bool close_when_written_ = false;
  bool closing_ = false;
  bool reading_ = false;
};

}  // namespace logstream::web
