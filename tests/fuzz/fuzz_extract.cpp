// libFuzzer target: the default scanner, the tqdm parser and the whole extractor on any bytes.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <logstream/extractor.hpp>

#include "extract/default_scanner.hpp"
#include "extract/tqdm.hpp"
#include "extract/line_bytes.hpp"

namespace {

void check_progress(const logstream::TrainingProgress& p) {
  const double position = p.position_progress();
  const double trial = p.trial_progress();
  if (!(position >= 0.0 && position <= 1.0) || !(trial >= 0.0 && trial <= 1.0)) __builtin_trap();
  if (p.bar) {
    const double bar = p.bar->fraction();
    if (!(bar >= 0.0 && bar <= 1.0)) __builtin_trap();
  }
  if (p.model_name && p.model_name->empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // The pieces on their own: the whole input as one line.
  logstream::extract::DefaultScan scan;
  logstream::extract::scan_default(input, scan);
  if (auto bar = logstream::extract::parse_bar(input)) {
    // The postfix is a view into the line.
    const char* first = bar->postfix.data();
    const char* last = first + bar->postfix.size();
    if (!bar->postfix.empty() && (first < input.data() || last > input.data() + size)) {
      __builtin_trap();
    }
  }
  (void)logstream::extract::has_trigger_byte(input);

  // The extractor over the input's lines, as the parser actor would feed them.
  logstream::ProgressExtractor extractor(logstream::ExtractorOptions{
      .metrics_options = {.series_cap = 4, .max_keys = 8}});
  extractor.start(std::chrono::steady_clock::now());
  logstream::Line line;
  std::string_view rest = input;
  while (!rest.empty()) {
    const std::size_t end = rest.find_first_of("\r\n");
    line.text = rest.substr(0, end);
    ++line.seq;
    extractor.feed(line);
    check_progress(extractor.progress());
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  if (extractor.metrics()->size() > 8) __builtin_trap();
  return 0;
}
