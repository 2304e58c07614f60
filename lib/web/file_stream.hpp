// FileStream: a file's bytes as a response body (GET /api/runs/{id}/log), read a chunk at a time
// as the client takes them, up to the size the file had when the request came (a running run's
// log grows: the download is what there was).
#pragma once

#include <cstdint>
#include <filesystem>

#include "web/connection.hpp"

namespace logstream::web {

class FileStream final : public ResponseStream {
public:
  /// Takes `fd` (open for reading); sends `size` bytes of it.
  FileStream(int fd, std::uint64_t size);
  ~FileStream() override;

  void start(Connection& connection) override { send_more(connection); }
  void on_drained(Connection& connection) override { send_more(connection); }
  void stop() override {}

private:
  void send_more(Connection& connection);

  int fd_;
  std::uint64_t size_;
  std::uint64_t sent_ = 0;
};

}  // namespace logstream::web
