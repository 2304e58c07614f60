// The store's one shape of an operating-system error: "WHAT PATH: strerror", with the errno kept.
#pragma once

#include <filesystem>
#include <string_view>

#include <logstream/run_store.hpp>

namespace logstream::store {

/// A StoreError for `error` (an errno value) met while doing `what` to `path`.
StoreError os_error(int error, std::string_view what, const std::filesystem::path& path);

}  // namespace logstream::store
