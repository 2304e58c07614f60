// WebServer (include/logstream/web_server.hpp): who may ask (Host, token), what is asked
// (routes), and the server's life on the runtime's loop.
#include <logstream/web_server.hpp>

#include <logstream/logstream.hpp>

#include <signal.h>

#include <future>

#include <fmt/format.h>

#include "json/json.hpp"
#include "web/access.hpp"
#include "web/http_server.hpp"
#include "web/run_api.hpp"
#include "web/static_assets.hpp"

namespace logstream {

namespace {
web::RequestHandler handler_of(WebServer::Impl* impl);
}  // namespace

struct WebServer::Impl {
  Impl(const RunStore& store, const WebServerOptions& options, uv_loop_t* loop)
      : options(options),
        address(web::parse_listen_address(options.listen)),
        api(store, web::EventStreamOptions{.heartbeat = options.heartbeat}),
        server(loop,
               web::ConnectionLimits{.request = {.max_head_bytes = options.max_request_head_bytes,
                                                 .max_body_bytes = options.max_request_body_bytes}},
               options.max_clients, handler_of(this)) {}

  void listen() {
    server.listen(address);
    address.port = server.port();
    policy.emplace(address, options.allowed_hosts, options.token, options.allow_control);
  }

  void handle(web::Connection& connection, web::HttpRequest&& request);
  void route(web::Connection& connection, web::HttpRequest&& request);
  web::HttpResponse control(const web::HttpRequest& request);
  void answer(web::Connection& connection, web::Answer&& answer, bool head_only,
              const std::optional<std::string>& set_cookie);

  WebServerOptions options;
  web::ListenAddress address;
  std::optional<web::AccessPolicy> policy;
  web::RunApi api;
  web::HttpServer server;
};

namespace {

// Outside Impl, so that the handler's type stays private to this file: a lambda of a member of
// an exported class would be exported with it.
web::RequestHandler handler_of(WebServer::Impl* impl) {
  return [impl](web::Connection& c, web::HttpRequest&& r) { impl->handle(c, std::move(r)); };
}

void ignore_default_sigpipe() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
}

// The request's path and query without the token parameter (where a token link redirects).
std::string without_token(const web::HttpRequest& request) {
  std::string out = request.path;
  char separator = '?';
  for (const auto& [key, value] : request.query) {
    if (key == "token") continue;
    out += fmt::format("{}{}={}", separator, key, value);
    separator = '&';
  }
  return out;
}

}  // namespace

// Called from libuv: nothing may escape. A failure of the store is the server's error (500).
void WebServer::Impl::handle(web::Connection& connection, web::HttpRequest&& request) {
  try {
    route(connection, std::move(request));
  } catch (const std::exception& e) {
    connection.respond(web::error_response(500, e.what()));
  }
}

void WebServer::Impl::route(web::Connection& connection, web::HttpRequest&& request) {
  if (!policy->host_allowed(request)) {
    connection.respond(web::error_response(403, "the Host header does not name this server (see --allow-host)"));
    return;
  }
  const auto auth = policy->authenticate(request);
  if (auth == web::AccessPolicy::Auth::denied) {
    web::HttpResponse denied = web::error_response(401, "a token is needed: open the URL the server printed");
    denied.header("WWW-Authenticate", "Bearer");
    connection.respond(denied);
    return;
  }
  std::optional<std::string> set_cookie;
  if (auth == web::AccessPolicy::Auth::allowed_by_query_token) {
    set_cookie = policy->token_cookie();
    // A page link with the token: the cookie from now on, and the token out of the address bar.
    if (!request.path.starts_with("/api/")) {
      web::HttpResponse redirect{.status = 303, .content_type = "", .body = ""};
      redirect.header("Location", without_token(request)).header("Set-Cookie", *set_cookie);
      connection.respond(redirect);
      return;
    }
  }
  if (request.method == "POST" && web::RunApi::is_stop(request.path)) {
    answer(connection, control(request), false, set_cookie);
    return;
  }
  if (request.path == "/api/server") {
    // What the page adapts to: whether it may offer to stop a run.
    const json::Json about{{"version", logstream::version()}, {"control", options.allow_control}};
    answer(connection, web::json_response(json::dump(about)), request.method == "HEAD", set_cookie);
    return;
  }
  const bool head_only = request.method == "HEAD";
  if (request.method != "GET" && !head_only) {
    web::HttpResponse refused = web::error_response(405, fmt::format("{} is not served here", request.method));
    refused.header("Allow", "GET, HEAD");
    connection.respond(refused);
    return;
  }
  if (request.path.starts_with("/api/")) {
    answer(connection, api.get(request), head_only, set_cookie);
    return;
  }
  if (const web::StaticAsset* asset = web::find_page_asset(request.path)) {
    connection.respond(web::asset_response(*asset, request), head_only);
    return;
  }
  connection.respond(web::error_response(404, fmt::format("not found: {}", request.path)), head_only);
}

// A control request: allowed by the server's options, made with the token (authenticate()
// asked for it), and, from a browser, by a page of this server: a page elsewhere cannot make a
// visitor's browser stop a run (its Origin names it; a same-site page has no other way in).
web::HttpResponse WebServer::Impl::control(const web::HttpRequest& request) {
  if (!options.allow_control)
    return web::error_response(403, "control is off: the server was started without --allow-control");
  const std::string* origin = request.header("origin");
  const std::string* host = request.header("host");
  if (origin && (!host || *origin != "http://" + *host))
    return web::error_response(403, fmt::format("a control request from another origin ({}) is refused", *origin));
  return api.stop(request);
}

void WebServer::Impl::answer(web::Connection& connection, web::Answer&& answer, bool head_only,
                             const std::optional<std::string>& set_cookie) {
  if (auto* response = std::get_if<web::HttpResponse>(&answer)) {
    if (response->status == 200) response->header("Cache-Control", "no-store");
    if (set_cookie) response->header("Set-Cookie", *set_cookie);
    connection.respond(*response, head_only);
    return;
  }
  auto& streamed = std::get<web::StreamedResponse>(answer);
  if (head_only) {
    connection.write(std::move(streamed.head));
    connection.close_after_writes();
    return;
  }
  connection.stream(std::move(streamed.head), std::move(streamed.body));
}

namespace {

// Deletes `impl` once libuv is done with its handles (closing is asynchronous, and a close
// callback still reaches the server): waits for that off the loop thread; on it, the deletion
// happens in a later turn of the loop.
void close_and_delete(Runtime& runtime, WebServer::Impl* impl) {
  if (runtime.on_loop_thread()) {
    impl->server.close([impl] { delete impl; });
    return;
  }
  std::promise<void> closed;
  runtime.post([&] {
    impl->server.close([impl, &closed] {
      delete impl;
      closed.set_value();
    });
  });
  closed.get_future().get();
}

}  // namespace

WebServer::WebServer(Runtime& runtime, const RunStore& store, WebServerOptions options) {
  ignore_default_sigpipe();
  auto impl = std::make_unique<Impl>(store, options, runtime.loop());
  try {
    if (runtime.on_loop_thread()) {
      impl->listen();
    } else {
      std::promise<void> listened;
      runtime.post([&] {
        try {
          impl->listen();
          listened.set_value();
        } catch (...) {
          listened.set_exception(std::current_exception());
        }
      });
      listened.get_future().get();
    }
  } catch (...) {
    // A listener that failed to bind is still closing: the server goes once it has.
    close_and_delete(runtime, impl.release());
    throw;
  }
  runtime_ = &runtime;
  impl_ = std::move(impl);
}

WebServer::~WebServer() {
  if (impl_) close_and_delete(*runtime_, impl_.release());
}

std::uint16_t WebServer::port() const noexcept { return impl_->address.port; }

const std::string& WebServer::token() const noexcept { return impl_->policy->token(); }

std::string WebServer::url() const {
  const std::string host = web::is_any_address(impl_->address.host) ? "127.0.0.1" : impl_->address.host;
  std::string out = fmt::format("http://{}:{}/", web::url_host(host), impl_->address.port);
  if (impl_->policy->token_required()) out += "?token=" + impl_->policy->token();
  return out;
}

}  // namespace logstream
