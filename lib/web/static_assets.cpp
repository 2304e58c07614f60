// Serving the embedded page (see static_assets.hpp).
#include "web/static_assets.hpp"

#include <algorithm>
#include <string>

namespace logstream::web {
namespace {

constexpr std::string_view page_path = "/index.html";

bool names_the_page(std::string_view path) {
  return path == "/" || path == "/search" || (path.starts_with("/runs/") && path.size() > 6 && path.find('/', 6) == std::string_view::npos);
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Whether a comma-separated header value (Accept-Encoding, If-None-Match) lists `token` or "*",
// other than with a weight of zero ("gzip;q=0" refuses gzip).
bool lists(std::string_view value, std::string_view token) {
  for (std::size_t begin = 0; begin <= value.size();) {
    const std::size_t comma = std::min(value.find(',', begin), value.size());
    std::string_view item = trimmed(value.substr(begin, comma - begin));
    begin = comma + 1;
    std::string_view weight;
    if (const auto semicolon = item.find(';'); semicolon != std::string_view::npos) {
      weight = trimmed(item.substr(semicolon + 1));
      item = trimmed(item.substr(0, semicolon));
    }
    const bool refused = weight.starts_with("q=0") && weight.find_first_of("123456789") == std::string_view::npos;
    if ((item == token || item == "*") && !refused) return true;
  }
  return false;
}

}  // namespace

const StaticAsset* find_page_asset(std::string_view path) noexcept {
  if (names_the_page(path)) path = page_path;
  for (const StaticAsset& asset : page_assets())
    if (asset.path == path) return &asset;
  return nullptr;
}

HttpResponse asset_response(const StaticAsset& asset, const HttpRequest& request) {
  HttpResponse response{.status = 200, .content_type = std::string(asset.content_type), .body = {}};
  // The page is checked again on each load (its assets' names do not change between builds).
  response.header("Cache-Control", "no-cache").header("ETag", std::string(asset.etag)).header("Vary", "Accept-Encoding");
  if (const std::string* tags = request.header("if-none-match"); tags && lists(*tags, asset.etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  const std::string* accepted = request.header("accept-encoding");
  if (accepted && lists(*accepted, "gzip")) {
    response.header("Content-Encoding", "gzip");
    response.body.assign(asset.gzip_body);
  } else {
    response.body.assign(asset.body);
  }
  return response;
}

}  // namespace logstream::web
