// Run ids (see run_id.hpp).
#include "store/run_id.hpp"

#include <ctime>
#include <random>

#include <fmt/format.h>

namespace logstream::store {
namespace {

constexpr std::string_view id_alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::size_t random_chars = 4;
constexpr std::size_t id_size = 8 + 1 + 6 + 1 + random_chars;

}  // namespace

std::string make_run_id(std::chrono::system_clock::time_point started) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(started);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, id_alphabet.size() - 1);
  std::string suffix;
  for (std::size_t i = 0; i < random_chars; ++i) suffix += id_alphabet[pick(random)];
  return fmt::format("{:04}{:02}{:02}-{:02}{:02}{:02}-{}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, suffix);
}

bool looks_like_run_id(std::string_view text) noexcept {
  if (text.size() != id_size) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 15) {
      if (c != '-') return false;
    } else if (i < 15 ? !(c >= '0' && c <= '9') : id_alphabet.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace logstream::store
