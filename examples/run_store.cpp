// The runs of the store (the one `logstream run` records in), and the progress of the latest:
// the seed's "save streamer state between sessions", read back by another program.
//   run_store [STORE_DIR]     (default: $LOGSTREAM_HOME, else ~/.local/state/logstream)
#include <cstdio>

#include <logstream/logstream.hpp>

int main(int argc, char** argv) {
  try {
    const logstream::RunStore store = argc > 1 ? logstream::RunStore(argv[1]) : logstream::RunStore();
    const auto runs = store.list(logstream::RunQuery{.limit = 10});  // newest first
    for (const logstream::RunRecord& run : runs)
      std::printf("%s  %-20s %-8s %llu lines\n", run.id.c_str(), run.name.c_str(),
                  std::string(logstream::to_string(run.state)).c_str(), static_cast<unsigned long long>(run.lines));
    if (runs.empty()) return 0;
    const logstream::RunRecord latest = store.get(runs.front().id).value_or(runs.front());
    const logstream::TrainingProgress& p = latest.progress;
    std::printf("latest: %s, position %lld/%lld, trial %lld/%lld, best score %g, elapsed %s\n", latest.name.c_str(),
                static_cast<long long>(p.position.value_or(0)), static_cast<long long>(p.total_positions.value_or(0)),
                static_cast<long long>(p.trial.value_or(0)), static_cast<long long>(p.total_trials.value_or(0)),
                p.best_score.value_or(0), p.elapsed_time().c_str());
    for (const logstream::MetricSummary& m : latest.metrics)
      std::printf("  %s: latest %g, min %g, max %g\n", m.key.c_str(), m.latest, m.min, m.max);
  } catch (const logstream::StoreError& e) {
    std::fprintf(stderr, "run_store: %s\n", e.what());
    return 1;
  }
}
