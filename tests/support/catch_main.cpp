// The one Catch2 main shared by every test executable. A test never touches the user's run
// store: LOGSTREAM_HOME points into a temporary directory for the whole run (tests of the store
// give each test its own), removed at the end.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <stdlib.h>

#include "temp_dir.hpp"

int main(int argc, char** argv) {
  const logstream::test::TempDir home;
  ::setenv("LOGSTREAM_HOME", home.file("store").c_str(), 1);
  return Catch::Session().run(argc, argv);
}
