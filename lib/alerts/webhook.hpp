// One HTTP POST of an alert to a webhook, over libcurl (blocking: the delivery thread's).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <logstream/alerts.hpp>

namespace logstream::alerts {

/// The request body (and its content type) of `alert` in `format`.
struct WebhookBody {
  std::string content_type;
  std::string body;
  std::string title;  // ntfy's Title header; empty for the others
};
WebhookBody webhook_body(const Alert& alert, WebhookFormat format, const std::string& run);

/// Posts `body` to `url`, within `timeout` (connecting included). nullopt when the server
/// answered 2xx; else why not ("HTTP 500", "Connection refused", "Timeout was reached").
std::optional<std::string> post_webhook(const std::string& url, const WebhookBody& body, std::chrono::milliseconds timeout);

}  // namespace logstream::alerts
