// ConsoleSink: one write per batch; colour and sanitizing decided once, from the fd.
#include <logstream/sinks/console_sink.hpp>

#include <poll.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <unistd.h>

#include "io/write_all.hpp"
#include "text/terminal_safe.hpp"
#include "sinks/sanitize.hpp"

namespace logstream {
namespace {
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kReset = "\x1b[0m";

bool no_color_env() {
  const char* v = std::getenv("NO_COLOR");
  return v != nullptr && *v != '\0';
}
}  // namespace

void append_sanitized(std::string& out, std::string_view text) {
  text::append_terminal_safe(out, text, text::Escapes::mark);
}

ConsoleSink::ConsoleSink(ConsoleSinkOptions options) : options_(std::move(options)) {
  bool tty = ::isatty(options_.fd) == 1;
  color_ = options_.color.value_or(tty && !no_color_env());
  sanitize_ = options_.sanitize.value_or(tty);
}

void ConsoleSink::append_text(std::string_view text) {
  if (sanitize_) append_sanitized(out_, text);
  else out_.append(text);
}

void ConsoleSink::write(const LineBatch& batch) {
  out_.clear();
  for (const Line& line : batch) {
    if (line.transient) continue;
    bool err = line.source == Source::err;
    if (err && color_) out_.append(kRed);
    if (err) out_.append(options_.stderr_marker);
    append_text(line.text);
    if (err && color_) out_.append(kReset);
    if (ends_with_newline(line.terminator, line.continued)) out_.push_back('\n');
  }
  std::string_view rest = out_;
  for (;;) {
    const io::WriteResult result = io::write_all(options_.fd, rest);
    if (result.ok()) return;
    rest.remove_prefix(result.written);
    if (result.error != EAGAIN && result.error != EWOULDBLOCK)
      throw std::system_error(result.error, std::generic_category(), "cannot write to the console");
    // A non-blocking fd (a terminal or pipe the host set O_NONBLOCK on) is full: wait until it
    // drains, on this sink's own thread, as a blocking write would.
    pollfd writable{options_.fd, POLLOUT, 0};
    if (::poll(&writable, 1, -1) < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "cannot wait for the console");
  }
}

}  // namespace logstream
