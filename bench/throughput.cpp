// throughput: runs the load generator as a logstream child (or K children in one Runtime) through
// framing, default extraction, the 500-line buffer and the file sink, then checks every line.
// With --store DIR each child is also recorded in a run store (the recorder is one more lossless
// sink), and with --follow CLI a `CLI logs -f` of the run reads it from the store meanwhile.
//
// Prints one JSON object: wall seconds, lines/s, MB/s, this process's CPU seconds and peak RSS.
// The timed part ends when the stream completed; the file check runs after it, untimed
// (or is left to the caller with --no-check, so that every reader is checked the same way).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <logstream/run_store.hpp>
#include <logstream/streamer.hpp>

#include "common/checking_sink.hpp"
#include "common/file_check.hpp"
#include "common/gen_args.hpp"
#include "common/usage.hpp"

namespace {

struct Options {
  std::string gen;
  std::uint64_t lines = 1'000'000;
  std::string mix = "realistic";
  std::string file;  // empty: no file sink, lines are checked in the stream instead
  unsigned children = 1;
  double rate = 0;  // per child; 0: as fast as the pipe goes
  unsigned workers = logstream::RuntimeOptions{}.worker_threads;
  bool verify_file = true;  // false: bench/run checks the file itself, as it does for other readers
  std::string store;        // a run store's root: each child is recorded there
  std::string follow;       // the logstream command: `logs -f` follows child 0's run meanwhile
  std::string follow_out = "/dev/null";
};

// `CLI logs -f ID` with the store's root as LOGSTREAM_HOME, its stdout to `out`.
pid_t spawn_follower(const Options& o, const std::string& id) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, o.follow_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::string_view(*e).rfind("LOGSTREAM_HOME=", 0) != 0) env_text.emplace_back(*e);
  env_text.push_back("LOGSTREAM_HOME=" + o.store);
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<std::string> args{o.follow, "logs", "-f", id};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, o.follow.c_str(), &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

struct Child {
  std::unique_ptr<logstream::Streamer> streamer;
  std::shared_ptr<bench::CheckingSink> check;
  std::string file;
};

Child make_child(const Options& o, unsigned index, const std::shared_ptr<logstream::Runtime>& runtime,
                 const std::shared_ptr<logstream::RunStore>& store) {
  const auto argv = bench::gen_argv(o.gen, o.lines, o.rate, o.mix);
  Child child;
  if (!o.file.empty()) child.file = o.children == 1 ? o.file : fmt::format("{}.{}", o.file, index);
  child.streamer = std::make_unique<logstream::Streamer>(logstream::ProcessSpec{.argv = argv}, child.file,
                                                         logstream::StreamerOptions{.runtime = runtime, .store = store});
  if (child.file.empty() || child.file == "/dev/null") {
    child.check = std::make_shared<bench::CheckingSink>();
    child.streamer->add_sink(child.check);
  }
  return child;
}

// Empty when the child's lines all arrived, in order, and no sink failed or dropped any.
std::string check_child(const Child& child, std::uint64_t expected, bool verify_file) {
  const logstream::StreamStats stats = child.streamer->stats();
  for (const auto& sink : stats.sinks)
    if (sink.dropped_lines || sink.failed_lines || sink.errors)
      return fmt::format("sink {} dropped {} failed {} errors {}", sink.name, sink.dropped_lines, sink.failed_lines, sink.errors);
  if (stats.truncated) return "stream truncated";
  if (!child.check && !verify_file) return {};
  const bench::SeqChecker checker = child.check ? child.check->checker() : bench::check_file(child.file);
  if (checker.complete(expected)) return {};
  if (!checker.error().empty()) return checker.error();
  return fmt::format("{} of {} lines arrived", checker.lines(), expected);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.gen = bench::default_gen_path(argv[0]);
  CLI::App app{"End-to-end throughput of logstream over the load generator"};
  app.add_option("--gen", o.gen, "the load generator");
  app.add_option("--lines", o.lines, "lines each child writes");
  app.add_option("--mix", o.mix, "realistic or plain")->check(CLI::IsMember({"realistic", "plain"}));
  app.add_option("--file", o.file, "log file (a suffix .K per child when several)");
  app.add_option("--children", o.children, "children sharing one Runtime")->check(CLI::Range(1u, 10000u));
  app.add_option("--rate", o.rate, "lines/s per child (0: unpaced)");
  app.add_flag("!--no-check", o.verify_file, "leave the log file's check to the caller (sink errors are still checked)");
  app.add_option("--workers", o.workers, "the Runtime's worker threads (0: actors on the loop thread)");
  app.add_option("--store", o.store, "record each child in the run store at DIR");
  app.add_option("--follow", o.follow, "the logstream command: `logs -f` follows child 0's run meanwhile (needs --store)");
  app.add_option("--follow-out", o.follow_out, "where the follower's stdout goes");
  CLI11_PARSE(app, argc, argv);

  for (unsigned i = 0; i < o.children && !o.file.empty() && o.file != "/dev/null"; ++i)  // untimed
    std::filesystem::remove(o.children == 1 ? o.file : fmt::format("{}.{}", o.file, i));
  const double cpu_before = bench::self_cpu_seconds();
  const std::int64_t start_ns = bench::monotonic_ns();
  auto runtime = std::make_shared<logstream::Runtime>(logstream::RuntimeOptions{.worker_threads = o.workers});
  const auto store = o.store.empty() ? nullptr : std::make_shared<logstream::RunStore>(o.store);
  std::vector<Child> children;
  for (unsigned i = 0; i < o.children; ++i) children.push_back(make_child(o, i, runtime, store));
  for (Child& child : children) child.streamer->start();
  const pid_t follower = store && !o.follow.empty() ? spawn_follower(o, children.front().streamer->run_id()) : -1;
  for (Child& child : children) child.streamer->wait_for_completion();
  const double wall_s = bench::seconds_since(start_ns);
  // The follower's lag: how long after the run's end it printed the last line and exited.
  int follow_status = -1;
  if (follower > 0) {
    int status = 0;
    ::waitpid(follower, &status, 0);
    follow_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  const double follow_lag_s = follower > 0 ? bench::seconds_since(start_ns) - wall_s : 0;
  const double cpu_s = bench::self_cpu_seconds() - cpu_before;
  const long peak_rss_kib = bench::self_peak_rss_kib();  // before the check maps the file

  std::uint64_t bytes = 0;
  std::string error;
  if (!o.follow.empty() && follow_status != 0) error = fmt::format("the follower (logs -f) ended with status {}", follow_status);
  for (const Child& child : children) {
    bytes += child.streamer->stats().bytes;
    if (error.empty()) error = check_child(child, o.lines, o.verify_file);
  }
  const std::uint64_t lines = o.lines * o.children;
  std::printf("%s\n", fmt::format(R"({{"children": {}, "lines": {}, "bytes": {}, "wall_s": {:.4f}, )"
                                  R"("lines_per_s": {:.0f}, "mb_per_s": {:.2f}, "cpu_s": {:.4f}, )"
                                  R"("peak_rss_kib": {}, "follow_lag_s": {:.4f}, "ok": {}, "error": "{}"}})",
                                  o.children, lines, bytes, wall_s, static_cast<double>(lines) / wall_s,
                                  static_cast<double>(bytes) / wall_s / 1e6, cpu_s, peak_rss_kib, follow_lag_s,
                                  error.empty(), error).c_str());
  return error.empty() ? 0 : 1;
}
