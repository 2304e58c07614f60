// ASCII case folding, for protocol tokens (HTTP header names, hosts): never locale-dependent.
#pragma once

#include <string>
#include <string_view>

namespace logstream::text {

inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace logstream::text
