// start() errors that must name their real cause: a script whose interpreter is missing is not
// a missing command.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <string>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;

namespace {

ProcessSpec command(const std::string& argv0) {
  ProcessSpec spec;
  spec.argv = {argv0};
  return spec;
}

std::string write_script(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  ::chmod(path.c_str(), 0755);
  return path;
}

// The StartError of starting `spec`, which must fail.
StartError start_error(const ProcessSpec& spec) {
  const std::size_t children_before = children();
  Streamer s(spec);
  try {
    s.start();
  } catch (const StartError& e) {
    CHECK(children() == children_before);
    return e;
  }
  FAIL("start() did not throw");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("start errors: a script whose interpreter is missing names the interpreter", "[start_errors]") {
  const TempDir tmp;
  const std::string script = write_script(tmp, "train.py", "#!/nonexistent/python -u\nprint('hi')\n");
  SECTION("by its path") {
    const StartError e = start_error(command(script));
    CHECK_THAT(std::string(e.what()), Catch::Contains("bad interpreter '/nonexistent/python'"));
    CHECK_THAT(std::string(e.what()), Catch::Contains(script));
    CHECK_THAT(std::string(e.what()), !Catch::Contains("not found"));
    CHECK(e.code().value() == ENOENT);  // still "not found" to whoever maps codes (the command: 127)
  }
  SECTION("found through PATH") {
    ProcessSpec spec = command("train.py");
    spec.env["PATH"] = tmp.path().string();
    const StartError e = start_error(spec);
    CHECK_THAT(std::string(e.what()), Catch::Contains("bad interpreter '/nonexistent/python'"));
  }
  SECTION("relative to the working directory") {
    ProcessSpec spec = command("./train.py");
    spec.cwd = tmp.path().string();
    const StartError e = start_error(spec);
    CHECK_THAT(std::string(e.what()), Catch::Contains("bad interpreter '/nonexistent/python'"));
  }
}

TEST_CASE("start errors: a missing command is still reported as not found", "[start_errors]") {
  const TempDir tmp;
  ProcessSpec spec = command("logstream-no-such-command-xyz");
  spec.env["PATH"] = tmp.path().string();
  const StartError e = start_error(spec);
  CHECK_THAT(std::string(e.what()), Catch::Contains("command not found"));
  CHECK(e.code().value() == ENOENT);
}
