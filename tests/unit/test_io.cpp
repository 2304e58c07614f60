// io::read_all and io::write_all: whole reads and writes of a file descriptor.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>

#include "io/read_all.hpp"
#include "io/write_all.hpp"

using namespace logstream;

namespace {

// A pipe whose ends close with the test.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { REQUIRE(::pipe2(fds, O_CLOEXEC) == 0); }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void close_write() {
    ::close(fds[1]);
    fds[1] = -1;
  }
};

}  // namespace

TEST_CASE("io: what write_all writes, read_all reads back whole, whatever the sizes", "[io]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::string bytes(std::uniform_int_distribution<std::size_t>(0, 60'000)(rng), '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    Pipe pipe;  // 64 KiB of pipe buffer: every round fits, so one thread writes then reads
    const io::WriteResult written = io::write_all(pipe.fds[1], bytes);
    CHECK(written.ok());
    CHECK(written.written == bytes.size());
    pipe.close_write();
    const io::ReadResult read = io::read_all(pipe.fds[0]);
    CHECK(read.ok());
    CHECK(read.bytes == bytes);
  }
}

TEST_CASE("io: read_all stops past its limit and says so", "[io]") {
  Pipe pipe;
  REQUIRE(io::write_all(pipe.fds[1], std::string(1000, 'x')).ok());
  pipe.close_write();
  const io::ReadResult read = io::read_all(pipe.fds[0], 999);
  CHECK(read.over_limit);
  CHECK_FALSE(read.ok());
  CHECK(read.bytes.size() > 999);
}

TEST_CASE("io: read_all of exactly its limit is whole", "[io]") {
  Pipe pipe;
  REQUIRE(io::write_all(pipe.fds[1], std::string(1000, 'x')).ok());
  pipe.close_write();
  const io::ReadResult read = io::read_all(pipe.fds[0], 1000);
  CHECK(read.ok());
  CHECK(read.bytes.size() == 1000);
}

TEST_CASE("io: read_all reports a read error", "[io]") {
  Pipe pipe;
  const io::ReadResult read = io::read_all(pipe.fds[1]);  // the write end cannot be read
  CHECK(read.error == EBADF);
  CHECK_FALSE(read.ok());
  CHECK(read.bytes.empty());
}
