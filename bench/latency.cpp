// latency: write-to-callback latency through logstream. The generator stamps each line with
// CLOCK_MONOTONIC just before write(2); on_new_line subtracts that from the time it runs.
//
// Workload: gen --stamp --rate R for the given seconds; default options (extraction and the
// 500-line buffer on, no log file). Prints one JSON object with p50/p99/p999/max in us.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <logstream/streamer.hpp>

#include "common/gen_args.hpp"
#include "common/latency_recorder.hpp"
#include "common/seq_checker.hpp"
#include "common/usage.hpp"

int main(int argc, char** argv) {
  std::string gen = bench::default_gen_path(argv[0]);
  double rate = 100'000;
  double seconds = 2;
  unsigned workers = logstream::RuntimeOptions{}.worker_threads;
  CLI::App app{"Write-to-callback latency of logstream at a paced rate"};
  app.add_option("--gen", gen, "the load generator");
  app.add_option("--rate", rate, "lines/s")->check(CLI::PositiveNumber);
  app.add_option("--seconds", seconds, "how long the generator writes")->check(CLI::PositiveNumber);
  app.add_option("--workers", workers, "the Runtime's worker threads (0: actors on the loop thread)");
  bool split = false;
  app.add_flag("--split", split, "also report write-to-read (the line's arrival stamp) and read-to-callback");
  CLI11_PARSE(app, argc, argv);

  const auto lines = static_cast<std::uint64_t>(rate * seconds);
  bench::LatencyRecorder recorder(lines);
  bench::SeqChecker checker;
  // Split at the read: the arrival stamp is taken on the same clock (steady_clock is CLOCK_MONOTONIC).
  bench::LatencyRecorder to_read(split ? lines : 0);
  std::vector<std::int64_t> after_read_ns;
  if (split) after_read_ns.reserve(lines);
  logstream::Streamer streamer(
      logstream::ProcessSpec{.argv = bench::gen_argv(gen, lines, rate, "realistic", true)}, {},
      logstream::StreamerOptions{.runtime = std::make_shared<logstream::Runtime>(logstream::RuntimeOptions{.worker_threads = workers})});
  // Committed lines only, as a blocking reader that splits at LF sees them; a tqdm line's CR
  // states come in the same write as its LF, so they would add no information.
  streamer.on_new_line = [&](const logstream::Line& line) {
    if (line.transient) return;
    const std::int64_t now = bench::monotonic_ns();
    recorder.add(line.text, now);
    checker.feed(line.text);
    if (split) {
      const std::int64_t read_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(line.arrival.time_since_epoch()).count();
      to_read.add(line.text, read_ns);
      after_read_ns.push_back(now - read_ns);
    }
  };
  streamer.start();
  streamer.wait_for_completion();

  const bool ok = checker.complete(lines) && recorder.samples() == lines;
  const std::string error = ok ? "" : checker.error().empty() ? fmt::format("{} of {} lines", checker.lines(), lines) : checker.error();
  std::printf("%s\n", fmt::format(R"({{"reader": "logstream", "rate": {}, "lines": {}, {}, "ok": {}, "error": "{}"}})",
                                  rate, lines, recorder.summary_json(), ok, error).c_str());
  if (split) {
    std::printf("%s\n", fmt::format(R"({{"stage": "write-to-read", {}}})", to_read.summary_json()).c_str());
    std::sort(after_read_ns.begin(), after_read_ns.end());
    const auto at = [&](double q) {
      return after_read_ns.empty() ? 0.0
                                   : static_cast<double>(after_read_ns[static_cast<std::size_t>(
                                         q * static_cast<double>(after_read_ns.size() - 1) + 0.5)]) / 1e3;
    };
    std::printf("%s\n", fmt::format(R"({{"stage": "read-to-callback", "p50_us": {:.1f}, "p99_us": {:.1f}, "p999_us": {:.1f}, "max_us": {:.1f}}})",
                                    at(0.5), at(0.99), at(0.999), at(1.0)).c_str());
  }
  return ok ? 0 : 1;
}
