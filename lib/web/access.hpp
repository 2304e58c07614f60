// Who may talk to the server. The Host header must name this server (DNS rebinding: a foreign
// page whose name resolves to 127.0.0.1 is refused), and off loopback, or where control is
// allowed, a token is needed: the first request trades `?token=` for an HttpOnly,
// SameSite=Strict cookie, later ones send the cookie (or `Authorization: Bearer TOKEN`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "web/http_request.hpp"

namespace logstream::web {

struct ListenAddress {
  std::string host;  ///< as given, without brackets: "127.0.0.1", "::1", "0.0.0.0", "localhost"
  std::uint16_t port = 0;
};

/// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (loopback). Throws std::invalid_argument saying what
/// is wrong.
ListenAddress parse_listen_address(std::string_view text);

/// 127.0.0.0/8, ::1, localhost.
bool is_loopback(std::string_view host);
/// 0.0.0.0 or ::.
bool is_any_address(std::string_view host);

/// A host as a URL writes it: IPv6 in brackets.
std::string url_host(std::string_view host);

class AccessPolicy {
public:
  /// `bound`: where the server listens (its real port). `token` empty and one needed: one is
  /// generated.
  AccessPolicy(ListenAddress bound, std::vector<std::string> allowed_hosts, std::string token, bool allow_control);

  /// Whether the request's Host header names this server.
  bool host_allowed(const HttpRequest& request) const;

  enum class Auth { allowed, allowed_by_query_token, denied };
  Auth authenticate(const HttpRequest& request) const;

  bool token_required() const noexcept { return !token_.empty(); }
  const std::string& token() const noexcept { return token_; }
  /// The Set-Cookie value that holds the token.
  std::string token_cookie() const;

  static constexpr std::string_view cookie_name = "logstream_token";

private:
  bool token_matches(std::string_view candidate) const;

  ListenAddress bound_;
  std::vector<std::string> allowed_hosts_;  // lower case, without port
  std::string token_;
};

}  // namespace logstream::web
