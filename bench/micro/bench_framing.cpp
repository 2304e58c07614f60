// Framing throughput: Framer::frame over 64 KiB chunks of realistic output (LF lines, tqdm CR
// states, lines cut by the chunk boundary), in lines/s and bytes/s. Each run checks that the
// committed lines found match a plain count of LFs, so a framer that drops lines fails.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "framer.hpp"
#include "sample_log.hpp"

namespace {

constexpr std::size_t pool_chunks = 64;  // 4 MiB, refilled outside the timing

void BM_framing(benchmark::State& state) {
  const std::vector<std::string> chunks = bench::sample_chunks(pool_chunks);
  std::size_t expected_committed = 0;
  for (const std::string& chunk : chunks) expected_committed += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
  std::int64_t lines = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    // The copies stand for the reads: each chunk arrives in a buffer of its own.
    state.PauseTiming();
    std::vector<logstream::Chunk> input;
    for (const std::string& chunk : chunks) input.push_back(bench::make_chunk(chunk));
    state.ResumeTiming();
    logstream::Framer framer;
    std::size_t committed = 0;
    for (logstream::Chunk& chunk : input) {
      const logstream::LineBatch batch = framer.frame(std::move(chunk));
      lines += static_cast<std::int64_t>(batch.size());
      for (const logstream::Line& line : batch) committed += line.transient ? 0 : 1;
    }
    bytes += static_cast<std::int64_t>(pool_chunks * bench::chunk_bytes);
    if (committed != expected_committed) {
      state.SkipWithError("committed lines do not match the LF count");
      return;
    }
  }
  state.SetItemsProcessed(lines);
  state.SetBytesProcessed(bytes);
  state.SetLabel("items/s = lines/s (CR states included)");
}

}  // namespace

BENCHMARK(BM_framing)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
