// The llhttp side of RequestParser: its callbacks collect the request into HttpRequest and stop
// the parser (HPE_PAUSED) at the end of each message, so a pipelined request waits its turn.
#include "web/http_request.hpp"

#include <llhttp.h>

#include <algorithm>
#include <cctype>
#include <climits>

#include "text/ascii.hpp"

namespace logstream::web {

struct RequestParser::Llhttp {
  llhttp_t parser;
  llhttp_settings_t settings;
};

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void split_target(HttpRequest& request) {
  const std::string_view target = request.target;
  const auto question = target.find('?');
  request.path = percent_decode(target.substr(0, question), false);
  if (question == std::string_view::npos) return;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    request.query.emplace_back(percent_decode(pair.substr(0, eq), true),
                               eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true));
  }
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

const std::string* HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return &value;
  return nullptr;
}

const std::string* HttpRequest::param(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return &value;
  return nullptr;
}

std::optional<std::string> HttpRequest::cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

struct RequestParser::Callbacks {
  static RequestParser& self(llhttp_t* p) { return *static_cast<RequestParser*>(p->data); }

  // Every byte of the head counts against its limit, whichever callback it arrives in.
  static bool count_head(RequestParser& r, std::size_t length) {
    r.head_bytes_ += length;
    if (r.head_bytes_ <= r.limits_.max_head_bytes) return true;
    r.fail(431, "request header fields too large");
    return false;
  }

  static int on_message_begin(llhttp_t* p) {
    RequestParser& r = self(p);
    r.current_ = HttpRequest{};
    r.header_field_.clear();
    r.reading_value_ = false;
    r.head_bytes_ = 0;
    r.in_request_ = true;
    return 0;
  }
  static int on_url(llhttp_t* p, const char* at, std::size_t length) {
    RequestParser& r = self(p);
    if (!count_head(r, length)) return -1;
    r.current_.target.append(at, length);
    return 0;
  }
  static int on_header_field(llhttp_t* p, const char* at, std::size_t length) {
    RequestParser& r = self(p);
    if (!count_head(r, length)) return -1;
    if (r.reading_value_) {
      r.header_field_.clear();
      r.reading_value_ = false;
    }
    r.header_field_.append(at, length);
    return 0;
  }
  static int on_header_value(llhttp_t* p, const char* at, std::size_t length) {
    RequestParser& r = self(p);
    if (!count_head(r, length)) return -1;
    if (!r.reading_value_) {
      r.current_.headers.emplace_back(text::ascii_lower(r.header_field_), std::string{});
      r.reading_value_ = true;
    }
    r.current_.headers.back().second.append(at, length);
    return 0;
  }
  static int on_headers_complete(llhttp_t* p) {
    RequestParser& r = self(p);
    r.current_.method = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(p)));
    if (p->content_length > r.limits_.max_body_bytes && p->content_length != ULLONG_MAX) {
      r.fail(413, "request body too large");
      return -1;
    }
    return 0;
  }
  static int on_body(llhttp_t* p, const char* at, std::size_t length) {
    RequestParser& r = self(p);
    if (r.current_.body.size() + length > r.limits_.max_body_bytes) {
      r.fail(413, "request body too large");
      return -1;
    }
    r.current_.body.append(at, length);
    return 0;
  }
  static int on_message_complete(llhttp_t* p) {
    RequestParser& r = self(p);
    r.current_.keep_alive = llhttp_should_keep_alive(p) != 0;
    split_target(r.current_);
    r.in_request_ = false;
    r.ready_ = true;
    return HPE_PAUSED;
  }
};

RequestParser::RequestParser(RequestLimits limits) : llhttp_(std::make_unique<Llhttp>()), limits_(limits) {
  llhttp_settings_init(&llhttp_->settings);
  llhttp_->settings.on_message_begin = &Callbacks::on_message_begin;
  llhttp_->settings.on_url = &Callbacks::on_url;
  llhttp_->settings.on_header_field = &Callbacks::on_header_field;
  llhttp_->settings.on_header_value = &Callbacks::on_header_value;
  llhttp_->settings.on_headers_complete = &Callbacks::on_headers_complete;
  llhttp_->settings.on_body = &Callbacks::on_body;
  llhttp_->settings.on_message_complete = &Callbacks::on_message_complete;
  llhttp_init(&llhttp_->parser, HTTP_REQUEST, &llhttp_->settings);
  llhttp_->parser.data = this;
}

RequestParser::~RequestParser() = default;

void RequestParser::fail(int status, std::string reason) {
  if (error_status_ != 0) return;
  error_status_ = status;
  error_reason_ = std::move(reason);
}

RequestParser::Status RequestParser::feed(std::string_view data, std::size_t& consumed) {
  consumed = 0;
  if (error_status_ != 0) return Status::error;
  if (ready_) return Status::complete;
  if (data.empty()) return Status::incomplete;
  const llhttp_errno_t rc = llhttp_execute(&llhttp_->parser, data.data(), data.size());
  if (rc == HPE_OK) {
    consumed = data.size();
    return Status::incomplete;
  }
  if (rc == HPE_PAUSED && ready_) {
    consumed = static_cast<std::size_t>(llhttp_get_error_pos(&llhttp_->parser) - data.data());
    return Status::complete;
  }
  fail(400, llhttp_get_error_reason(&llhttp_->parser) ? llhttp_get_error_reason(&llhttp_->parser) : "bad request");
  return Status::error;
}

HttpRequest RequestParser::take() {
  ready_ = false;
  llhttp_resume(&llhttp_->parser);
  return std::move(current_);
}

}  // namespace logstream::web
