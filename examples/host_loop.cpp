// Embedding: a service that already runs a libuv loop streams a command on it, no extra thread.
//   host_loop COMMAND [ARGS...]
#include <cstdio>

#include <uv.h>

#include <logstream/logstream.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  uv_loop_t* loop = uv_default_loop();
  int status = 0;
  {
    // The runtime borrows the host's loop: actors and callbacks run on this thread.
    auto runtime = std::make_shared<logstream::Runtime>(loop);
    logstream::StreamerOptions options;
    options.runtime = runtime;
    logstream::ProcessSpec spec;
    spec.argv.assign(argv + 1, argv + argc);
    logstream::Streamer streamer{spec, {}, options};
    streamer.on_new_line = [](const logstream::Line& line) {
      if (!line.transient) std::printf("[%llu] %.*s\n", static_cast<unsigned long long>(line.seq),
                                       static_cast<int>(line.text.size()), line.text.data());
    };
    streamer.on_complete = [&] { status = streamer.get_process_returncode().value_or(1); };
    streamer.start();
    uv_run(loop, UV_RUN_DEFAULT);  // the host's own loop; returns when the stream is done
  }
  uv_run(loop, UV_RUN_DEFAULT);  // lets the runtime's own handle finish closing
  uv_loop_close(loop);
  return status;
}
