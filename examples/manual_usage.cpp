// The seed's "Manual Usage" loop in C++: start a command, poll its logs and progress, clean up.
//   manual_usage COMMAND [ARGS...]
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  logstream::ProcessSpec spec;
  spec.argv.assign(argv + 1, argv + argc);
  logstream::Streamer streamer{spec, "logs/manual_usage.log"};
  try {
    streamer.start();
  } catch (const logstream::StartError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 127;
  }

  std::size_t shown = 0;
  // Poll once a second, as the seed's loop does; wait_for_completion doubles as the timer.
  while (!streamer.wait_for_completion(std::chrono::seconds(1))) {
    for (const auto& line : streamer.get_entries(50))
      if (line.seq > shown) {
        fmt::print("{}\n", line.text);
        shown = line.seq;
      }
    auto p = streamer.get_progress();
    fmt::print("-- Position: {}/{}  Trial: {}/{}  Score: {:.4f}  Elapsed: {}\n", p.position.value_or(0),
               p.total_positions.value_or(0), p.trial.value_or(0), p.total_trials.value_or(0), p.score.value_or(0.0),
               p.elapsed_time());
  }
  for (const auto& line : streamer.get_entries())
    if (line.seq > shown) fmt::print("{}\n", line.text);
  auto p = streamer.get_progress();
  fmt::print("-- done: exit {}  best score {:.4f}  elapsed {}\n", streamer.get_process_returncode().value_or(-1),
             p.best_score.value_or(0.0), p.elapsed_time());
  streamer.stop();
  return streamer.get_process_returncode().value_or(1);
}
