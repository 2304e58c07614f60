// LOGSTREAM_API: marks what the shared library exports. The library is built with hidden
// symbols (and hidden inline functions) by default, so everything else stays internal.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define LOGSTREAM_API __attribute__((visibility("default")))
#else
#define LOGSTREAM_API
#endif
