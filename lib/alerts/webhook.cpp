// Webhooks over libcurl (see webhook.hpp).
#include "alerts/webhook.hpp"

#include <memory>

#include <fmt/format.h>

#include "alerts/curl_library.hpp"
#include "json/event_json.hpp"

namespace logstream::alerts {

namespace {

std::string headline(const Alert& alert, const std::string& run) {
  return run.empty() ? fmt::format("logstream alert {}: {}", alert.rule, alert.message)
                     : fmt::format("logstream alert {} in {}: {}", alert.rule, run, alert.message);
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

WebhookBody webhook_body(const Alert& alert, WebhookFormat format, const std::string& run) {
  switch (format) {
    case WebhookFormat::slack:
      return {"application/json", json::dump(json::Json{{"text", headline(alert, run)}}), {}};
    case WebhookFormat::discord:
      return {"application/json", json::dump(json::Json{{"content", headline(alert, run)}}), {}};
    case WebhookFormat::ntfy:
      return {"text/plain; charset=utf-8", alert.message,
              run.empty() ? fmt::format("logstream: {}", alert.rule) : fmt::format("logstream: {} in {}", alert.rule, run)};
    case WebhookFormat::json: break;
  }
  json::Json object = json::alert_json(alert);
  if (!run.empty()) object["run"] = run;
  return {"application/json", json::dump(object), {}};
}

std::optional<std::string> post_webhook(const std::string& url, const WebhookBody& body, std::chrono::milliseconds timeout) {
  std::string load_error;
  const CurlLibrary* c = curl_library(load_error);
  if (c == nullptr) return load_error;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(c->easy_init(), c->easy_cleanup);
  if (!curl) return "libcurl could not make a handle";
  curl_slist* headers = nullptr;
  headers = c->slist_append(headers, fmt::format("Content-Type: {}", body.content_type).c_str());
  // Title headers are plain ASCII for ntfy: anything else would be mangled on the way.
  if (!body.title.empty()) headers = c->slist_append(headers, fmt::format("Title: {}", body.title).c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, c->slist_free_all);
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  c->easy_setopt(h, CURLOPT_URL, url.c_str());
  c->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  c->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // a thread of a library: no SIGALRM for DNS timeouts
  c->easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  c->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  c->easy_setopt(h, CURLOPT_POST, 1L);
  c->easy_setopt(h, CURLOPT_POSTFIELDS, body.body.data());
  c->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.body.size()));
  c->easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  c->easy_setopt(h, CURLOPT_USERAGENT, "logstream");
  c->easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  c->easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  const CURLcode result = c->easy_perform(h);
  if (result != CURLE_OK) return error[0] != '\0' ? std::string(error) : std::string(c->easy_strerror(result));
  long status = 0;
  c->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return fmt::format("HTTP {}", status);
  return std::nullopt;
}

}  // namespace logstream::alerts
