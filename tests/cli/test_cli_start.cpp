// Start-up failures of the command name their cause: a script whose interpreter is missing.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "cli_support.hpp"

using namespace logstream::test;

TEST_CASE("cli: a script whose interpreter is missing gives 127 and names the interpreter", "[cli][exit]") {
  TempDir dir;
  const auto script = dir / "train.py";
  std::ofstream(script) << "#!/nonexistent/python\nprint('hi')\n";
  ::chmod(script.c_str(), 0755);
  const CliResult r = run_cli({"run", "--plain", "--", script.string()}, CliOptions{.cwd = dir.path()});
  CHECK(r.status == 127);
  CHECK(r.err.find("bad interpreter '/nonexistent/python'") != std::string::npos);
  CHECK(r.err.find("command not found") == std::string::npos);
}
