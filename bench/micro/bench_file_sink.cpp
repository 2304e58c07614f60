// File sink throughput: FileSink::write over framed 64 KiB batches (committed lines gathered into
// its buffer, then write(2)), to /dev/null (the sink's own cost) and to a file (plus the kernel's
// page cache). Each run checks the bytes the sink handed to the kernel.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <logstream/sinks/file_sink.hpp>

#include "framer.hpp"
#include "sample_log.hpp"

namespace {

constexpr std::size_t pool_chunks = 64;

struct Batches {
  std::vector<logstream::LineBatch> batches;
  std::size_t committed_lines = 0;
  std::size_t committed_bytes = 0;
};

const Batches& sample_batches() {
  static const Batches sample = [] {
    Batches out;
    logstream::Framer framer;
    for (const std::string& chunk : bench::sample_chunks(pool_chunks)) {
      out.batches.push_back(framer.frame(bench::make_chunk(chunk)));
      for (const logstream::Line& line : out.batches.back()) {
        if (line.transient) continue;
        ++out.committed_lines;
        out.committed_bytes += line.text.size() + 1;
      }
    }
    return out;
  }();
  return sample;
}

void run(benchmark::State& state, const std::filesystem::path& path) {
  const Batches& sample = sample_batches();
  logstream::FileSink sink(path, logstream::FileSinkOptions{.append = false});
  sink.open();
  std::size_t rounds = 0;
  for (auto _ : state) {
    for (const logstream::LineBatch& batch : sample.batches) sink.write(batch);
    ++rounds;
    if (path != "/dev/null" && rounds % 64 == 0) {
      state.PauseTiming();  // keep the file (and the page cache) from growing without bound
      sink.flush();
      std::filesystem::resize_file(path, 0);
      state.ResumeTiming();
    }
  }
  sink.close();
  if (sink.bytes_written() != rounds * sample.committed_bytes) state.SkipWithError("bytes written do not match the committed lines");
  state.SetItemsProcessed(static_cast<std::int64_t>(rounds * sample.committed_lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(rounds * sample.committed_bytes));
  state.SetLabel("items/s = lines/s");
}

void BM_file_sink_dev_null(benchmark::State& state) { run(state, "/dev/null"); }

void BM_file_sink_file(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / ("logstream-bench-" + std::to_string(::getpid()) + ".log");
  run(state, path);
  std::filesystem::remove(path);
}

}  // namespace

BENCHMARK(BM_file_sink_dev_null)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_file_sink_file)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
