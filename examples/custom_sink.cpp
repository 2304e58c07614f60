// A custom sink in a few lines: count error lines and keep the last one, beside the log file.
//   custom_sink COMMAND [ARGS...]
#include <atomic>
#include <cstdio>
#include <mutex>

#include <logstream/logstream.hpp>

class ErrorCounter : public logstream::Sink {
public:
  void write(const logstream::LineBatch& batch) override {
    for (const logstream::Line& line : batch) {
      if (line.transient) continue;
      if (line.is_stderr() || line.text.find("ERROR") != std::string_view::npos) {
        ++errors_;
        std::lock_guard lock(mutex_);
        last_ = line.text;
      }
    }
  }
  std::string name() const override { return "error-counter"; }

  int errors() const { return errors_; }
  std::string last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }

private:
  std::atomic<int> errors_{0};
  mutable std::mutex mutex_;
  std::string last_;
};

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  auto counter = std::make_shared<ErrorCounter>();
  logstream::ProcessSpec spec;
  spec.argv.assign(argv + 1, argv + argc);
  logstream::Streamer streamer{spec, "logs/custom_sink.log"};
  streamer.add_sink(counter);
  streamer.add_sink(std::make_shared<logstream::ConsoleSink>());
  streamer.start();
  streamer.wait_for_completion();
  std::printf("%d error line(s); last: %s\n", counter->errors(), counter->last().c_str());
  return streamer.get_process_returncode().value_or(1);
}
