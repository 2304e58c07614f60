// Which runtime thread the caller is on: lets blocking calls refuse to wait on themselves.
#pragma once

namespace logstream::thread_role {

void set_worker(const void* executor) noexcept;
const void* current_worker() noexcept;

}  // namespace logstream::thread_role
