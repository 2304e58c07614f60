// replay(): a log file through the same framing and extraction a live stream gets.
#include <logstream/replay.hpp>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <logstream/extractor.hpp>

#include "extract/line_splitter.hpp"

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

  // A file has no arrival times: every line gets the moment it was read.
  auto feed = [&](Line line) {
    line.arrival = std::chrono::steady_clock::now();
    line.wall_time = std::chrono::system_clock::now();
    extractor.feed(line);
  };
  extract::LineSplitter splitter(options.max_line_bytes);
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (n > 0) splitter.feed(std::string_view(buffer.data(), n), feed);
    if (n < buffer.size()) {
      if (std::ferror(file.get()) != 0) throw_read_error(errno, path);
      break;
    }
  }
  splitter.finish(feed);
  extractor.finish(std::chrono::steady_clock::now());
  return ReplayResult{extractor.progress(), extractor.metrics(), splitter.lines()};
}

}  // namespace logstream
