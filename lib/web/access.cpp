#include "web/access.hpp"

#include <sys/random.h>
#include <uv.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "text/ascii.hpp"

namespace logstream::web {
namespace {

std::string random_token() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cannot generate the dashboard's token");
    }
    got += static_cast<std::size_t>(n);
  }
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// The host of a Host header value, without its port, in lower case ("[::1]:8411" -> "::1").
std::string host_of(std::string_view value, std::string_view& port) {
  port = {};
  if (!value.empty() && value.front() == '[') {
    const auto close = value.find(']');
    if (close == std::string_view::npos) return {};
    if (close + 1 < value.size() && value[close + 1] == ':') port = value.substr(close + 2);
    return text::ascii_lower(value.substr(1, close - 1));
  }
  const auto colon = value.rfind(':');
  if (colon != std::string_view::npos) {
    port = value.substr(colon + 1);
    value = value.substr(0, colon);
  }
  return text::ascii_lower(value);
}

std::vector<std::string> own_addresses() {
  std::vector<std::string> out;
  uv_interface_address_t* interfaces = nullptr;
  int count = 0;
  if (uv_interface_addresses(&interfaces, &count) != 0) return out;
  for (int i = 0; i < count; ++i) {
    char name[INET6_ADDRSTRLEN] = {};
    if (interfaces[i].address.address4.sin_family == AF_INET)
      uv_ip4_name(&interfaces[i].address.address4, name, sizeof name);
    else
      uv_ip6_name(&interfaces[i].address.address6, name, sizeof name);
    out.push_back(text::ascii_lower(name));
  }
  uv_free_interface_addresses(interfaces, count);
  char host[256] = {};
  std::size_t size = sizeof host;
  if (uv_os_gethostname(host, &size) == 0) out.push_back(text::ascii_lower(host));
  return out;
}

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw std::invalid_argument(fmt::format("'{}' is not HOST:PORT ([IPv6]:PORT for an IPv6 address)", text));
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) throw std::invalid_argument(fmt::format("'{}' is not HOST:PORT", text));
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      throw std::invalid_argument(fmt::format("'{}': write an IPv6 address in brackets, [ADDRESS]:PORT", text));
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535)
    throw std::invalid_argument(fmt::format("'{}': the port must be a number from 0 to 65535", text));
  return ListenAddress{.host = host.empty() ? std::string("127.0.0.1") : std::string(host),
                       .port = static_cast<std::uint16_t>(value)};
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool is_any_address(std::string_view host) { return host == "0.0.0.0" || host == "::"; }

std::string url_host(std::string_view host) {
  return host.find(':') != std::string_view::npos ? fmt::format("[{}]", host) : std::string(host);
}

AccessPolicy::AccessPolicy(ListenAddress bound, std::vector<std::string> allowed_hosts, std::string token, bool allow_control)
    : bound_(std::move(bound)), token_(std::move(token)) {
  for (const std::string& host : allowed_hosts) allowed_hosts_.push_back(text::ascii_lower(host));
  allowed_hosts_.push_back(text::ascii_lower(bound_.host));
  for (const char* local : {"localhost", "127.0.0.1", "::1"}) allowed_hosts_.emplace_back(local);
  if (is_any_address(bound_.host))
    for (std::string& own : own_addresses()) allowed_hosts_.push_back(std::move(own));
  if (token_.empty() && (allow_control || !is_loopback(bound_.host))) token_ = random_token();
}

bool AccessPolicy::host_allowed(const HttpRequest& request) const {
  const std::string* value = request.header("host");
  if (!value) return false;  // HTTP/1.1 requires it; a request without one names no server
  std::string_view port;
  const std::string host = host_of(*value, port);
  if (!port.empty() && port != std::to_string(bound_.port)) return false;
  return std::find(allowed_hosts_.begin(), allowed_hosts_.end(), host) != allowed_hosts_.end();
}

bool AccessPolicy::token_matches(std::string_view candidate) const {
  if (candidate.size() != token_.size()) return false;
  unsigned char diff = 0;  // constant time: the comparison does not tell how much matched
  for (std::size_t i = 0; i < token_.size(); ++i) diff |= static_cast<unsigned char>(candidate[i] ^ token_[i]);
  return diff == 0;
}

AccessPolicy::Auth AccessPolicy::authenticate(const HttpRequest& request) const {
  if (token_.empty()) return Auth::allowed;
  if (const auto cookie = request.cookie(cookie_name); cookie && token_matches(*cookie)) return Auth::allowed;
  if (const std::string* authorization = request.header("authorization");
      authorization && authorization->starts_with("Bearer ") && token_matches(std::string_view(*authorization).substr(7)))
    return Auth::allowed;
  if (const std::string* query = request.param("token"); query && token_matches(*query)) return Auth::allowed_by_query_token;
  return Auth::denied;
}

std::string AccessPolicy::token_cookie() const {
  return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/", cookie_name, token_);
}

}  // namespace logstream::web
