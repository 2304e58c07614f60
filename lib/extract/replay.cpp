// replay(): a log file through the same framing and extraction a live stream gets.
#include <logstream/replay.hpp>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <logstream/extractor.hpp>

#include "framer.hpp"

namespace logstream {
namespace {

// Closes the file on every path out of replay().
struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

[[noreturn]] void throw_read_error(int error, const std::filesystem::path& path) {
  throw std::system_error(error, std::generic_category(),
                          fmt::format("cannot read log file '{}'", path.string()));
}

}  // namespace

ReplayResult replay(const std::filesystem::path& path, const RuleSet& rules,
                    const ReplayOptions& options) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw_read_error(errno, path);

  ProgressExtractor extractor(ExtractorOptions{
      .rules = rules,
      .default_rules = options.default_rules,
      .metrics = options.metrics,
      .metrics_options = options.metrics_options,
  });
  const auto start = std::chrono::steady_clock::now();
  extractor.start(start);

  // The same Framer a live stream uses; a file has no arrival times, so each read gets the
  // moment it was read.
  Framer framer({.max_line_bytes = options.max_line_bytes});
  std::uint64_t lines = 0;
  auto feed = [&](const LineBatch& batch) {
    for (const Line& line : batch) {
      extractor.feed(line);
      ++lines;
    }
  };
  constexpr std::size_t kReadBytes = 1 << 16;
  for (;;) {
    Chunk chunk;
    chunk.bytes = ByteBuffer(kReadBytes);
    const std::size_t n = std::fread(chunk.bytes.data(), 1, kReadBytes, file.get());
    chunk.bytes.resize(n);
    chunk.arrival = std::chrono::steady_clock::now();
    chunk.wall_time = std::chrono::system_clock::now();
    if (n > 0) feed(framer.frame(std::move(chunk)));
    if (n < kReadBytes) {
      if (std::ferror(file.get()) != 0) throw_read_error(errno, path);
      break;
    }
  }
  feed(framer.finish(Source::out));
  extractor.finish(std::chrono::steady_clock::now());
  return ReplayResult{extractor.progress(), extractor.metrics(), lines};
}

}  // namespace logstream
