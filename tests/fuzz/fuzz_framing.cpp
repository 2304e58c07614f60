// Fuzz target: framing must give the same committed lines whatever the chunk boundaries, and
// every piece must respect the line limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/framing.hpp>

namespace {

std::vector<std::string> committed(std::string_view bytes, std::size_t chunk, std::size_t max_line) {
  logstream::Framer framer({.max_line_bytes = max_line});
  std::vector<std::string> out;
  std::string pending;
  auto take = [&](const logstream::LineBatch& batch) {
    for (const logstream::Line& line : batch) {
      if (line.text.size() > max_line) std::abort();
      if (line.transient) continue;
      pending.append(line.text);
      if (line.continued) continue;
      out.push_back(pending);
      pending.clear();
    }
  };
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    logstream::Chunk c;
    c.bytes = logstream::ByteBuffer::copy_of(bytes.substr(at, chunk));
    take(framer.frame(std::move(c)));
  }
  take(framer.finish(logstream::Source::out));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the chunk size and the line limit; the rest is the stream.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::size_t max_line = 1 + data[1] % 48;
  std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);
  if (committed(bytes, bytes.size() + 1, max_line) != committed(bytes, chunk, max_line)) std::abort();
  return 0;
}
