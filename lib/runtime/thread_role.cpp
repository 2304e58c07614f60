// Thread-local markers set by the runtime's own threads.
#include "runtime/thread_role.hpp"

namespace logstream::thread_role {
namespace {
thread_local const void* worker = nullptr;
}  // namespace

void set_worker(const void* executor) noexcept { worker = executor; }
const void* current_worker() noexcept { return worker; }

}  // namespace logstream::thread_role
