// A blocking HTTP/1.1 client for the web server's tests, over a real loopback socket: requests
// written as raw bytes (so that a test can send what no library would), replies read with a
// deadline, and a Server-Sent Events reader. Test code only: simple over fast.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace logstream::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

struct SseEvent {
  std::string event;
  std::string id;
  std::string data;
};

/// The seqs of a `line` event's data (a JSON array of line objects), without a JSON parse: the
/// tests that stream millions of lines check their order only. Line texts must not hold `"seq":`.
inline std::vector<std::uint64_t> line_seqs(const std::string& data) {
  std::vector<std::uint64_t> out;
  for (auto at = data.find("\"seq\":"); at != std::string::npos; at = data.find("\"seq\":", at + 6))
    out.push_back(std::stoull(data.substr(at + 6, 24)));
  return out;
}

class HttpClient {
public:
  explicit HttpClient(std::uint16_t port) : port_(port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
    }
  }
  ~HttpClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  int fd() const { return fd_; }

  void send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
  }

  /// GET (or another method) with a Host header naming the server, unless `headers` has one.
  void send_request(const std::string& method, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> headers = {}, const std::string& body = {}) {
    bool has_host = false;
    for (const auto& [name, value] : headers) has_host = has_host || name == "Host";
    std::string request = method + " " + target + " HTTP/1.1\r\n";
    if (!has_host) request += "Host: " + host() + "\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    send(request);
  }

  HttpReply get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return request("GET", target, std::move(headers), timeout);
  }

  HttpReply post(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return request("POST", target, std::move(headers), timeout);
  }

  HttpReply request(const std::string& method, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> headers, std::chrono::milliseconds timeout) {
    send_request(method, target, std::move(headers));
    auto reply = read_reply(timeout);
    if (!reply) throw std::runtime_error("no reply to " + method + " " + target);
    return *reply;
  }

  /// The next reply: its head, then Content-Length bytes, or (without one) everything until the
  /// server closes. Empty when the connection closed before a reply.
  std::optional<HttpReply> read_reply(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    HttpReply reply = parse_head(buffer_.substr(0, head_end));
    buffer_.erase(0, head_end + 4);
    const std::string length = reply.header("content-length");
    if (reply.status == 304 || reply.status == 204) {
      // No body, whatever the headers say.
    } else if (!length.empty()) {
      const std::size_t n = std::stoull(length);
      while (buffer_.size() < n)
        if (!fill(deadline)) throw std::runtime_error("connection closed inside a body");
      reply.body = buffer_.substr(0, n);
      buffer_.erase(0, n);
    } else if (reply.header("content-type").find("event-stream") == std::string::npos) {
      while (fill(deadline)) {
      }
      reply.body = std::move(buffer_);
      buffer_.clear();
    }
    return reply;
  }

  /// The head of an event stream (after send_request): its status and headers.
  HttpReply read_head(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) throw std::runtime_error("connection closed before the head");
    HttpReply reply = parse_head(buffer_.substr(0, head_end));
    buffer_.erase(0, head_end + 4);
    return reply;
  }

  /// The next event of an event stream (comments and `retry:` skipped); empty when the server
  /// closed the stream. Throws when `timeout` passes first.
  std::optional<SseEvent> next_event(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t end;
      while ((end = buffer_.find("\n\n")) == std::string::npos)
        if (!fill(deadline)) return std::nullopt;
      const std::string block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      SseEvent event;
      bool any = false;
      std::size_t start = 0;
      while (start <= block.size()) {
        const auto nl = block.find('\n', start);
        const std::string line = block.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? block.size() + 1 : nl + 1;
        if (line.empty() || line[0] == ':') continue;
        const auto colon = line.find(':');
        const std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? std::string{} : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (field == "event") event.event = value, any = true;
        else if (field == "id") event.id = value, any = true;
        else if (field == "data") event.data += value, any = true;
      }
      if (any && !event.data.empty()) return event;
    }
  }

  /// Reads what arrives until `deadline`; false once the server closed the connection.
  bool fill(std::chrono::steady_clock::time_point deadline) {
    char chunk[65536];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("timed out waiting for the server");
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) continue;
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
  }

private:
  static HttpReply parse_head(const std::string& head) {
    HttpReply reply;
    const auto first_end = head.find("\r\n");
    const std::string status_line = head.substr(0, first_end);
    if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) throw std::runtime_error("bad status line: " + status_line);
    reply.status = std::stoi(status_line.substr(9, 3));
    std::size_t start = first_end == std::string::npos ? head.size() : first_end + 2;
    while (start < head.size()) {
      const auto end = head.find("\r\n", start);
      const std::string line = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
      start = end == std::string::npos ? head.size() : end + 2;
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers[name] = value;
    }
    return reply;
  }

  std::uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace logstream::test
