// curl_library (see curl_library.hpp).
#include "alerts/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>

#include <fmt/format.h>

namespace logstream::alerts {
namespace {

struct Loaded {
  CurlLibrary library{};
  bool ok = false;
  std::string error;
};

template <typename Function>
bool resolve(void* handle, const char* name, Function& function, std::string& error) {
  function = reinterpret_cast<Function>(::dlsym(handle, name));
  if (function == nullptr) error = fmt::format("libcurl.so.4 has no {}", name);
  return function != nullptr;
}

Loaded load() {
  Loaded loaded;
  // Never closed: a webhook may be posted at any time until the process ends.
  void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    loaded.error = fmt::format("cannot load libcurl.so.4 for webhooks: {}", why != nullptr ? why : "unknown error");
    return loaded;
  }
  CurlLibrary& c = loaded.library;
  std::string& e = loaded.error;
  loaded.ok = resolve(handle, "curl_global_init", c.global_init, e) && resolve(handle, "curl_easy_init", c.easy_init, e) &&
              resolve(handle, "curl_easy_cleanup", c.easy_cleanup, e) &&
              resolve(handle, "curl_easy_setopt", c.easy_setopt, e) &&
              resolve(handle, "curl_easy_perform", c.easy_perform, e) &&
              resolve(handle, "curl_easy_getinfo", c.easy_getinfo, e) &&
              resolve(handle, "curl_easy_strerror", c.easy_strerror, e) &&
              resolve(handle, "curl_slist_append", c.slist_append, e) &&
              resolve(handle, "curl_slist_free_all", c.slist_free_all, e);
  if (loaded.ok && c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    loaded.ok = false;
    loaded.error = "libcurl failed to initialise";
  }
  return loaded;
}

}  // namespace

const CurlLibrary* curl_library(std::string& error) {
  static const Loaded loaded = load();  // thread-safe, once
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace logstream::alerts
