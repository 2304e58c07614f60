// redis://HOST[:PORT][/DB] (see redis_sink.hpp). HOST:PORT follows the web server's rule for a
// listening address, so both commands read an address the same way.
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include <logstream/sinks/redis_sink.hpp>

#include "web/access.hpp"

namespace logstream {

namespace {
constexpr std::string_view scheme = "redis://";
constexpr int max_db = 1 << 20;
}  // namespace

std::string RedisUrl::text() const { return fmt::format("redis://{}:{}/{}", web::url_host(host), port, db); }

RedisUrl parse_redis_url(std::string_view url) {
  if (!url.starts_with(scheme)) throw std::invalid_argument(fmt::format("'{}' is not a redis://HOST[:PORT][/DB] URL", url));
  std::string_view rest = url.substr(scheme.size());
  std::string_view db;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (rest.empty() || rest.front() == ':') throw std::invalid_argument(fmt::format("'{}': the host is missing", url));
  // A port is optional here, unlike in a listening address.
  const bool bracketed = rest.front() == '[';
  const auto colon = rest.rfind(':');
  const bool has_port = bracketed ? rest.ends_with("]") == false : colon != std::string_view::npos;
  web::ListenAddress address;
  try {
    address = web::parse_listen_address(has_port ? std::string(rest) : fmt::format("{}:6379", rest));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("'{}': {}", url, e.what()));
  }
  if (address.port == 0) throw std::invalid_argument(fmt::format("'{}': the port must be a number from 1 to 65535", url));
  RedisUrl out{.host = address.host, .port = address.port};
  if (!db.empty()) {
    const auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), out.db);
    if (ec != std::errc{} || end != db.data() + db.size() || out.db < 0 || out.db > max_db)
      throw std::invalid_argument(fmt::format("'{}': the database must be a number (redis://HOST:PORT/DB)", url));
  }
  return out;
}

}  // namespace logstream
