// HttpRequest and RequestParser: one HTTP/1.1 request read from a connection's bytes by llhttp,
// within limits, so that a client can neither grow the server's memory nor hold it with a
// request that never ends.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logstream::web {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as sent: path and query
  std::string path;    ///< percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;    ///< decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  ///< names in lower case, in order
  std::string body;
  bool keep_alive = true;

  /// The first header of that (lower-case) name.
  const std::string* header(std::string_view name) const;
  /// The first query parameter of that name.
  const std::string* param(std::string_view name) const;
  /// The value of cookie `name` of the Cookie header.
  std::optional<std::string> cookie(std::string_view name) const;
};

struct RequestLimits {
  std::size_t max_head_bytes = 16 * 1024;  ///< request line and headers; beyond: 431
  std::size_t max_body_bytes = 64 * 1024;  ///< beyond: 413
};

/// Feeds a connection's bytes to llhttp, one request at a time. Not thread-safe.
class RequestParser {
public:
  enum class Status { incomplete, complete, error };

  explicit RequestParser(RequestLimits limits = {});
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  /// Parses what it can of `data`. `complete`: a request is ready (take() it); the bytes after
  /// it, `consumed` onwards, belong to the next request (pipelining): feed them again after
  /// take(). `error`: error_status() says which response ends the connection.
  Status feed(std::string_view data, std::size_t& consumed);
  HttpRequest take();

  /// 400 (malformed), 413 (body too large), 431 (head too large); 0 while there is no error.
  int error_status() const noexcept { return error_status_; }
  const std::string& error_reason() const noexcept { return error_reason_; }
  /// True between a request's first byte and its end: a timeout here is the client's fault.
  bool in_request() const noexcept { return in_request_; }

  struct Callbacks;  // llhttp's callbacks (http_request.cpp)

private:
  friend struct Callbacks;
  void fail(int status, std::string reason);

  struct Llhttp;
  std::unique_ptr<Llhttp> llhttp_;
  RequestLimits limits_;
  HttpRequest current_;
  std::string header_field_;
  bool reading_value_ = false;
  std::size_t head_bytes_ = 0;
  bool in_request_ = false;
  bool ready_ = false;
  int error_status_ = 0;
  std::string error_reason_;
};

/// %XX and (in a query) '+' decoded; an invalid escape is kept as it is.
std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace logstream::web
