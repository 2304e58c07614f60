// HttpResponse: what a handler answers, and its bytes on the wire. Every response carries the
// same safety headers (one definition): a Content-Security-Policy of 'self', no sniffing, no
// referrer, and never a CORS header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logstream::web {

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  ///< beside the standard ones
  std::string body;

  HttpResponse& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

std::string_view reason_phrase(int status) noexcept;

/// {"error": message} with that status.
HttpResponse error_response(int status, std::string_view message);
HttpResponse json_response(std::string body, int status = 200);

/// The status line and headers, Content-Length from the body, then the body (unless `head_only`,
/// for HEAD). `keep_alive` false adds `Connection: close`.
std::string serialize(const HttpResponse& response, bool keep_alive, bool head_only = false);

/// The head of a response whose body is streamed until the connection closes (Server-Sent
/// Events, a log download): no Content-Length, `Connection: close`.
std::string streaming_head(int status, std::string_view content_type,
                           const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace logstream::web
