#include "web/http_response.hpp"

#include <fmt/format.h>

#include "json/json.hpp"

namespace logstream::web {
namespace {

void append_common_headers(std::string& out) {
  out += "Server: logstream\r\n"
         "Content-Security-Policy: default-src 'self'; img-src 'self' data:; frame-ancestors 'none'\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "Referrer-Policy: no-referrer\r\n";
}

void append_headers(std::string& out, const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) fmt::format_to(std::back_inserter(out), "{}: {}\r\n", name, value);
}

}  // namespace

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

HttpResponse error_response(int status, std::string_view message) {
  return HttpResponse{.status = status, .body = json::dump(json::Json{{"error", message}}) + "\n"};
}

HttpResponse json_response(std::string body, int status) {
  HttpResponse response{.status = status, .body = std::move(body)};
  response.body += '\n';
  return response;
}

std::string serialize(const HttpResponse& response, bool keep_alive, bool head_only) {
  std::string out;
  out.reserve(256 + (head_only ? 0 : response.body.size()));
  fmt::format_to(std::back_inserter(out), "HTTP/1.1 {} {}\r\n", response.status, reason_phrase(response.status));
  append_common_headers(out);
  if (!response.content_type.empty()) fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\n", response.content_type);
  // A 304 has no body, and a length would be the unsent representation's.
  if (response.status != 304) fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", response.body.size());
  append_headers(out, response.headers);
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head_only) out += response.body;
  return out;
}

std::string streaming_head(int status, std::string_view content_type,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\n", status, reason_phrase(status));
  append_common_headers(out);
  fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\n", content_type);
  append_headers(out, headers);
  out += "Connection: close\r\n\r\n";
  return out;
}

}  // namespace logstream::web
