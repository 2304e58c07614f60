// Thread-local markers set by the runtime's own threads.
#include "runtime/thread_role.hpp"

namespace logstream::thread_role {
namespace {
thread_local const void* worker = nullptr;
thread_local const void* loop = nullptr;
}  // namespace

void set_worker(const void* executor) noexcept { worker = executor; }
const void* current_worker() noexcept { return worker; }
void set_loop(const void* runtime) noexcept { loop = runtime; }
const void* current_loop() noexcept { return loop; }

}  // namespace logstream::thread_role
