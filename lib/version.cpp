// The version string, from meson's project() version.
#include <logstream/logstream.hpp>

namespace logstream {
const char* version() noexcept { return LOGSTREAM_VERSION; }
}  // namespace logstream
