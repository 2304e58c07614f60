// The shared library exports the public API only: every dynamic symbol it defines is in
// namespace logstream (its functions, and the vtables, typeinfo and thunks of its classes).
#include <catch2/catch.hpp>

#include <cxxabi.h>
#include <dlfcn.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/logstream.hpp>

namespace {

// The library the tests run against: meson passes its path; else the one this test loaded.
std::string library_path() {
  if (const char* p = std::getenv("LOGSTREAM_SHARED_LIB")) return p;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&logstream::version), &info) == 0 || !info.dli_fname) return {};
  return info.dli_fname;
}

// Each entry: nm's type letter, a space, the mangled name.
std::vector<std::string> defined_dynamic_symbols(const std::string& path) {
  const std::string command = "nm -D --defined-only '" + path + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::vector<std::string> names;
  std::array<char, 4096> line{};
  while (std::fgets(line.data(), line.size(), pipe.get())) {
    std::istringstream fields(line.data());
    std::string address, type, name;
    if (fields >> address >> type >> name) names.push_back(type + " " + name);
  }
  return names;
}

std::string demangled(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> text(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && text ? text.get() : name;
}

// A symbol whose entity is logstream::something, by its demangled name: a function or object,
// a vtable, typeinfo or its name, or a thunk of a virtual function.
bool in_logstream(const std::string& name) {
  static constexpr std::array<std::string_view, 6> prefixes = {
      "logstream::",
      "vtable for logstream::",
      "typeinfo for logstream::",
      "typeinfo name for logstream::",
      "non-virtual thunk to logstream::",
      "virtual thunk to logstream::",
  };
  const std::string text = demangled(name);
  for (std::string_view prefix : prefixes)
    if (text.starts_with(prefix)) return true;
  return false;
}

// What the toolchain may add whatever the sources export: the ELF markers of the data and bss
// segments' ends (older binutils put them in .dynsym) and the init/fini entry points.
const std::set<std::string> toolchain_symbols = {"_init", "_fini", "_edata", "_end", "__bss_start"};

}  // namespace

TEST_CASE("exports: every symbol the shared library exports is in namespace logstream", "[public-api][exports]") {
  const std::string path = library_path();
  INFO("library: " << path);
  REQUIRE(path.find("liblogstream.so") != std::string::npos);
  const std::vector<std::string> names = defined_dynamic_symbols(path);
  REQUIRE(names.size() > 20);  // nm ran and the API is there
  std::vector<std::string> foreign;
  for (const std::string& symbol : names) {
    const std::string name = symbol.substr(2);
    if (in_logstream(name) || toolchain_symbols.contains(name)) continue;
    foreign.push_back(symbol + " (" + demangled(name) + ")");
  }
  INFO("exported symbols outside logstream::");
  for (const std::string& f : foreign) UNSCOPED_INFO(f);
  CHECK(foreign.empty());
}

TEST_CASE("exports: the library's internals are not exported", "[public-api][exports]") {
  const std::vector<std::string> names = defined_dynamic_symbols(library_path());
  for (const std::string& symbol : names) {
    const std::string text = demangled(symbol.substr(2));
    INFO(text);
    for (const char* internal : {"RuntimeImpl", "Framer", "ParserActor", "append_sanitized", "runtime_impl"})
      CHECK(text.find(internal) == std::string::npos);
  }
}
