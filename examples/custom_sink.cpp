// A custom sink in a few lines: each line with the metrics found in it, then how the run ended.
//   custom_sink COMMAND [ARGS...]
#include <cstdio>

#include <logstream/logstream.hpp>

// One actor drives it: calls come one at a time, in stream order, the exit after the last line.
class Printer : public logstream::Sink {
public:
  void write(const logstream::LineBatch& batch) override {
    auto metrics = batch.metrics();  // in line order, each with its line's seq
    std::size_t m = 0;
    for (const logstream::Line& line : batch) {
      if (!line.transient) std::printf("%.*s\n", int(line.text.size()), line.text.data());
      for (; m < metrics.size() && metrics[m].seq == line.seq; ++m)
        std::printf("  metric %.*s = %g\n", int(metrics[m].key.size()), metrics[m].key.data(), metrics[m].value);
    }
  }
  void on_event(const logstream::StreamEvent& event) override {
    if (event.kind == logstream::EventKind::exited) std::printf("end: %s\n", event.message.c_str());
  }
};

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  logstream::Streamer streamer{logstream::ProcessSpec{.argv = {argv + 1, argv + argc}}};
  streamer.add_sink(std::make_shared<Printer>());
  streamer.start();
  streamer.wait_for_completion();
  return streamer.get_process_returncode().value_or(1);
}
