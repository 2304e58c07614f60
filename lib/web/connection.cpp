// Connection (see connection.hpp): reading and parsing, answers in order, the write backlog.
#include "web/connection.hpp"

#include <array>

namespace logstream::web {
namespace {

// Beyond this backlog of answers (a client that pipelines requests and reads nothing), the
// connection stops reading requests until the client took its answers.
constexpr std::size_t high_water_bytes = 1024 * 1024;
// A streamed response does not read requests: what a client sends then is discarded, up to this.
constexpr std::size_t read_size = 64 * 1024;

thread_local std::array<char, read_size> read_buffer;

}  // namespace

struct Connection::WriteRequest {
  uv_write_t request;
  std::string bytes;
  Connection* owner;
};

Connection::Connection(uv_loop_t* loop, ConnectionLimits limits, Handler& handler)
    : loop_(loop), limits_(limits), handler_(handler), handles_([this] { handler_.on_closed(*this); }),
      parser_(limits.request) {}

Connection::~Connection() = default;

bool Connection::accept(uv_stream_t* server) {
  if (tcp_.open(&handles_, [&](uv_tcp_t* h) { return uv_tcp_init(loop_, h); }) != 0) return false;
  tcp_.state().owner = this;
  if (timer_.open(&handles_, [&](uv_timer_t* h) { return uv_timer_init(loop_, h); }) != 0) {
    close();
    return false;
  }
  timer_.state().owner = this;
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(tcp_.get())) != 0) {
    close();
    return false;
  }
  uv_tcp_nodelay(tcp_.get(), 1);
  sockaddr_storage address{};
  int length = sizeof address;
  if (uv_tcp_getpeername(tcp_.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    char name[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET6)
      uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&address), name, sizeof name);
    else
      uv_ip4_name(reinterpret_cast<sockaddr_in*>(&address), name, sizeof name);
    peer_ = name;
  }
  start_reading();
  arm_timer();
  return true;
}

void Connection::start_reading() {
  if (reading_ || closing_) return;
  reading_ = true;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(tcp_.get()),
      [](uv_handle_t*, std::size_t, uv_buf_t* buf) { *buf = uv_buf_init(read_buffer.data(), read_buffer.size()); },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        if (Connection* self = decltype(tcp_)::state(reinterpret_cast<uv_tcp_t*>(stream)).owner) self->on_read(nread, buf);
      });
}

void Connection::stop_reading() {
  if (!reading_) return;
  reading_ = false;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(tcp_.get()));
}

void Connection::on_read(ssize_t nread, const uv_buf_t* buf) {
  if (nread == 0 || closing_) return;
  if (nread < 0) {  // the client left (EOF) or the connection broke
    close();
    return;
  }
  if (stream_) return;  // a streamed response reads nothing more
  buffered_.append(buf->base, static_cast<std::size_t>(nread));
  parse_buffered();
}

// One request at a time: the handler answers it (respond() or stream()) before the next is
// parsed, so answers go out in the order of the requests.
void Connection::parse_buffered() {
  parsing_ = true;
  // A client that pipelines and reads no answers: parsing waits until they were taken.
  while (!handling_ && !closing_ && !stream_ && queued_bytes_ <= high_water_bytes) {
    std::size_t consumed = 0;
    const RequestParser::Status status = parser_.feed(buffered_, consumed);
    if (status == RequestParser::Status::error) {
      parsing_ = false;
      fail_request(parser_.error_status(), parser_.error_reason());
      return;
    }
    if (status == RequestParser::Status::incomplete) {
      buffered_.clear();  // llhttp copied out what it needs
      parsing_ = false;
      arm_timer();
      return;
    }
    buffered_.erase(0, consumed);
    HttpRequest request = parser_.take();
    handling_ = true;
    close_when_written_ = !request.keep_alive;
    uv_timer_stop(timer_.get());
    handler_.on_request(*this, std::move(request));
    if (handling_) break;  // the handler answers later
  }
  parsing_ = false;
}

void Connection::respond(const HttpResponse& response, bool head_only, bool close_after) {
  if (closing_) return;
  if (close_after) close_when_written_ = true;
  write(serialize(response, !close_when_written_, head_only));
  handling_ = false;
  if (close_when_written_) {
    stop_reading();
    return;
  }
  if (queued_bytes_ > high_water_bytes) stop_reading();
  // Answered from within parse_buffered(), its loop goes on to the next pipelined request;
  // answered later, the next one is parsed here.
  if (!parsing_ && !buffered_.empty()) parse_buffered();
  arm_timer();
}

void Connection::stream(std::string head, std::unique_ptr<ResponseStream> stream) {
  if (closing_) return;
  handling_ = false;
  buffered_.clear();
  uv_timer_stop(timer_.get());
  stream_ = std::move(stream);
  write(std::move(head));
  stream_->start(*this);
}

void Connection::write(std::string bytes) {
  if (closing_ || bytes.empty()) return;
  auto* request = new WriteRequest{.request = {}, .bytes = std::move(bytes), .owner = this};
  const uv_buf_t buf = uv_buf_init(request->bytes.data(), static_cast<unsigned>(request->bytes.size()));
  const std::size_t size = request->bytes.size();
  const int rc = uv_write(&request->request, reinterpret_cast<uv_stream_t*>(tcp_.get()), &buf, 1, [](uv_write_t* req, int status) {
    auto* write = reinterpret_cast<WriteRequest*>(req);
    Connection* owner = write->owner;
    const std::size_t bytes = write->bytes.size();
    delete write;
    owner->on_written(bytes, status);
  });
  if (rc != 0) {
    delete request;
    close();
    return;
  }
  queued_bytes_ += size;
}

void Connection::on_written(std::size_t bytes, int status) {
  queued_bytes_ -= bytes;
  if (closing_) return;
  if (status < 0) {
    close();
    return;
  }
  if (close_when_written_ && !handling_ && queued_bytes_ == 0) {
    close();
    return;
  }
  if (queued_bytes_ >= limits_.low_water_bytes) return;
  if (stream_) {
    stream_->on_drained(*this);
  } else if (!close_when_written_) {
    start_reading();
    if (!parsing_ && !handling_ && !buffered_.empty()) parse_buffered();
  }
}

void Connection::close_after_writes() {
  if (closing_) return;
  if (queued_bytes_ == 0) {
    close();
    return;
  }
  close_when_written_ = true;
  handling_ = false;
}

void Connection::close() {
  if (closing_) return;
  closing_ = true;
  if (stream_) stream_->stop();
  if (tcp_.is_open()) tcp_.state().owner = nullptr;
  if (timer_.is_open()) timer_.state().owner = nullptr;
  tcp_.close();
  timer_.close();
}

void Connection::arm_timer() {
  if (closing_ || stream_ || !timer_.is_open()) return;
  const auto timeout = parser_.in_request() ? limits_.head_timeout : limits_.idle_timeout;
  uv_timer_start(
      timer_.get(),
      [](uv_timer_t* timer) {
        if (Connection* self = decltype(timer_)::state(timer).owner) self->on_timeout();
      },
      static_cast<std::uint64_t>(timeout.count()), 0);
}

void Connection::on_timeout() {
  if (handling_) return;
  if (parser_.in_request()) {
    fail_request(408, "the request did not arrive in time");
  } else {
    close();  // an idle kept-alive connection
  }
}

void Connection::fail_request(int status, std::string_view reason) {
  handling_ = false;
  close_when_written_ = true;
  stop_reading();
  write(serialize(error_response(status, reason), false));
  if (queued_bytes_ == 0) close();
}

}  // namespace logstream::web
