#include "store/store_error.hpp"

#include <system_error>

#include <fmt/format.h>

namespace logstream::store {

StoreError os_error(int error, std::string_view what, const std::filesystem::path& path) {
  return StoreError(std::error_code(error, std::generic_category()),
                    fmt::format("{} {}: {}", what, path.string(), std::generic_category().message(error)));
}

}  // namespace logstream::store
