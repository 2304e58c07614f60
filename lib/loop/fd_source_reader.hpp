// open_fd_source: the reader for a caller's fd, or a StartError saying why it cannot be read.
#pragma once

#include <memory>

#include <uv.h>

#include <logstream/process.hpp>

#include "loop/loop_handle.hpp"
#include "loop/reader.hpp"

namespace logstream {

/// Pipes, FIFOs, sockets and terminals are watched by libuv; regular files are read to their
/// end. Anything else (a directory, /dev/null, /dev/zero, an invalid fd) throws StartError.
/// On a throw the caller's fd is left open, whatever `close_on_end` says. The reader's handle
/// counts in `count`.
std::unique_ptr<Reader> open_fd_source(uv_loop_t* loop, const FdSource& source, ReaderOwner& owner,
                                       HandleCount* count);

}  // namespace logstream
