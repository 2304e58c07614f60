// Closed stdin, stdout or stderr (cron, systemd, `app <&-`): the next file opened would take
// the number, and writes meant for stdout would land in it.
#pragma once

namespace logstream::io {

/// Opens /dev/null on each of 0-2 that is closed. Cheap when none is (three fcntl calls).
void fill_closed_standard_fds() noexcept;

}  // namespace logstream::io
