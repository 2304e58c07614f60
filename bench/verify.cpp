// verify: checks a log file written by any reader of the generator (cat, the seed's design, lnav):
// lines 1..N, each once, in order. Prints one JSON object; exits 1 when a line is missing.
#include <cstdint>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/file_check.hpp"

int main(int argc, char** argv) {
  std::string file;
  std::uint64_t lines = 0;
  bool repeats = false;
  CLI::App app{"Check that a log file holds the generator's lines 1..N in order"};
  app.add_option("file", file, "the log file")->required();
  app.add_option("lines", lines, "how many lines the generator wrote")->required();
  app.add_flag("--repeats", repeats, "the reader split tqdm lines at each CR (one seq on several lines)");
  CLI11_PARSE(app, argc, argv);

  const bench::SeqChecker checker = bench::check_file(file, repeats);
  const bool ok = checker.complete(lines);
  std::string error = checker.error();
  if (!ok && error.empty()) error = fmt::format("{} of {} lines", checker.lines(), lines);
  std::printf("%s\n", fmt::format(R"({{"file": "{}", "lines": {}, "ok": {}, "error": "{}"}})", file,
                                  checker.lines(), ok, error).c_str());
  return ok ? 0 : 1;
}
