// spawn_error: the StartError text for a failed uv_spawn, naming the real cause.
#pragma once

#include <string>

#include <logstream/process.hpp>

namespace logstream {

/// "cannot start 'CMD': ..." for libuv's error `rc`. ENOENT for a file that exists means its
/// interpreter (a script's #! line) or loader is missing, and says so.
std::string spawn_error(const ProcessSpec& spec, int rc);

}  // namespace logstream
