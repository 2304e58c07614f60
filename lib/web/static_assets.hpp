// The page's files (lib/web/page), built by esbuild and embedded at build time by
// tools/embed_assets.py: each as it is and gzip-compressed, with an ETag, served from memory.
#pragma once

#include <span>
#include <string_view>

#include "web/http_request.hpp"
#include "web/http_response.hpp"

namespace logstream::web {

struct StaticAsset {
  std::string_view path;  ///< "/assets/app.js"
  std::string_view content_type;
  std::string_view etag;  ///< quoted, as sent
  std::string_view body;
  std::string_view gzip_body;
};

/// Every embedded file (defined by the generated page_assets.cpp).
std::span<const StaticAsset> page_assets() noexcept;

/// The asset served at `path`: a file by its own path, and the page itself at "/" and at every
/// address of the page's own (/runs/{id}), so that a shared or reloaded link opens it.
const StaticAsset* find_page_asset(std::string_view path) noexcept;

/// 200 with the body (gzip when the client accepts it), or 304 when If-None-Match holds the ETag.
HttpResponse asset_response(const StaticAsset& asset, const HttpRequest& request);

}  // namespace logstream::web
