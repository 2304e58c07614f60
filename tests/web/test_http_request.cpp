// RequestParser: requests as clients send them, in pieces of any size, pipelined; and the
// limits and errors a hostile client meets.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "web/http_request.hpp"

using logstream::web::HttpRequest;
using logstream::web::percent_decode;
using logstream::web::RequestLimits;
using logstream::web::RequestParser;

namespace {

struct ModelRequest {
  std::string method;
  std::string path;  // decoded
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
};

std::string random_word(std::mt19937& rng, std::size_t max) {
  static const std::string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_.~ /&=?+%";
  std::uniform_int_distribution<std::size_t> len(1, max), pick(0, chars.size() - 1);
  std::string out;
  for (std::size_t i = len(rng); i > 0; --i) out += chars[pick(rng)];
  return out;
}

// Percent-encodes every byte that is not unreserved: what the parser must decode back.
std::string encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

ModelRequest random_request(std::mt19937& rng) {
  ModelRequest r;
  r.method = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? "POST" : "GET";
  r.path = "/" + random_word(rng, 20);
  for (int i = std::uniform_int_distribution<int>(0, 3)(rng); i > 0; --i) r.query.emplace_back(random_word(rng, 8), random_word(rng, 12));
  r.headers.emplace_back("host", "127.0.0.1:8411");
  for (int i = std::uniform_int_distribution<int>(0, 4)(rng); i > 0; --i) {
    std::string name = "x-" + std::to_string(i);
    std::string value;
    for (char c : random_word(rng, 30))
      if (c != '%') value += c;
    while (!value.empty() && value.back() == ' ') value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (value.empty()) value = "v";
    r.headers.emplace_back(name, value);
  }
  if (r.method == "POST") r.body = random_word(rng, 200);
  return r;
}

std::string wire(const ModelRequest& r) {
  std::string target = encode(r.path.substr(1));
  target = "/" + target;
  for (std::size_t i = 0; i < r.query.size(); ++i)
    target += (i == 0 ? "?" : "&") + encode(r.query[i].first) + "=" + encode(r.query[i].second);
  std::string out = r.method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : r.headers) out += (name == "host" ? "Host" : name) + ": " + value + "\r\n";
  if (!r.body.empty()) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "\r\n" + r.body;
  return out;
}

// Feeds `bytes` in random pieces; collects every request, handing the rest of a piece back
// after each one as a connection does.
std::vector<HttpRequest> parse_in_pieces(RequestParser& parser, const std::string& bytes, std::mt19937& rng) {
  std::vector<HttpRequest> out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t size = std::min(bytes.size() - at, std::uniform_int_distribution<std::size_t>(1, 64)(rng));
    std::string piece = bytes.substr(at, size);
    at += size;
    while (!piece.empty()) {
      std::size_t consumed = 0;
      const auto status = parser.feed(piece, consumed);
      REQUIRE(status != RequestParser::Status::error);
      if (status == RequestParser::Status::incomplete) break;
      out.push_back(parser.take());
      piece.erase(0, consumed);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("http request: random pipelined requests in random pieces parse as the model wrote them", "[web]") {
  std::mt19937 rng(Catch::rngSeed());
  for (int round = 0; round < 200; ++round) {
    std::vector<ModelRequest> model;
    std::string bytes;
    for (int i = std::uniform_int_distribution<int>(1, 5)(rng); i > 0; --i) {
      model.push_back(random_request(rng));
      bytes += wire(model.back());
    }
    RequestParser parser;
    const auto parsed = parse_in_pieces(parser, bytes, rng);
    REQUIRE(parsed.size() == model.size());
    for (std::size_t i = 0; i < model.size(); ++i) {
      INFO("round " << round << " request " << i << ": " << wire(model[i]));
      CHECK(parsed[i].method == model[i].method);
      CHECK(parsed[i].path == model[i].path);
      CHECK(parsed[i].query == model[i].query);
      CHECK(parsed[i].body == model[i].body);
      for (const auto& [name, value] : model[i].headers) {
        REQUIRE(parsed[i].header(name) != nullptr);
        CHECK(*parsed[i].header(name) == value);
      }
      CHECK(parsed[i].keep_alive);
    }
  }
}

TEST_CASE("http request: limits and malformed input give the status that ends the connection", "[web]") {
  std::size_t consumed = 0;
  SECTION("a head beyond the limit is 431") {
    RequestParser parser(RequestLimits{.max_head_bytes = 1024});
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n";
    CHECK(parser.feed(request, consumed) == RequestParser::Status::error);
    CHECK(parser.error_status() == 431);
  }
  SECTION("a head that arrives byte by byte is counted whole") {
    RequestParser parser(RequestLimits{.max_head_bytes = 1024});
    const std::string request = "GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n";
    RequestParser::Status status = RequestParser::Status::incomplete;
    for (char c : request) {
      status = parser.feed(std::string(1, c), consumed);
      if (status == RequestParser::Status::error) break;
    }
    CHECK(status == RequestParser::Status::error);
    CHECK(parser.error_status() == 431);
  }
  SECTION("a declared body beyond the limit is 413 before it is read") {
    RequestParser parser(RequestLimits{.max_body_bytes = 100});
    CHECK(parser.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n", consumed) == RequestParser::Status::error);
    CHECK(parser.error_status() == 413);
  }
  SECTION("a chunked body beyond the limit is 413") {
    RequestParser parser(RequestLimits{.max_body_bytes = 100});
    std::string request = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 10; ++i) request += "20\r\n" + std::string(32, 'b') + "\r\n";
    CHECK(parser.feed(request, consumed) == RequestParser::Status::error);
    CHECK(parser.error_status() == 413);
  }
  SECTION("bytes that are no HTTP are 400") {
    RequestParser parser;
    CHECK(parser.feed(std::string("\x16\x03\x01\x02\x00", 5), consumed) == RequestParser::Status::error);
    CHECK(parser.error_status() == 400);
  }
  SECTION("Connection: close and HTTP/1.0 are not kept alive") {
    RequestParser parser;
    REQUIRE(parser.feed("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", consumed) == RequestParser::Status::complete);
    CHECK_FALSE(parser.take().keep_alive);
    RequestParser old;
    REQUIRE(old.feed("GET / HTTP/1.0\r\n\r\n", consumed) == RequestParser::Status::complete);
    CHECK_FALSE(old.take().keep_alive);
  }
}

TEST_CASE("http request: percent-decoding and cookies", "[web]") {
  CHECK(percent_decode("a%20b%2Fc", false) == "a b/c");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("100%", false) == "100%");
  CHECK(percent_decode("%zz%4", false) == "%zz%4");
  HttpRequest request;
  request.headers.emplace_back("cookie", "a=1; logstream_token=abc; b=2");
  CHECK(request.cookie("logstream_token") == std::optional<std::string>("abc"));
  CHECK(request.cookie("b") == std::optional<std::string>("2"));
  CHECK_FALSE(request.cookie("c"));
}
