// libFuzzer target: the metrics tokenizer, the store and its exports on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <logstream/metrics.hpp>

#include "extract/metrics_tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  logstream::extract::MetricTokens tokens;
  logstream::extract::tokenize_metrics(input, tokens);
  for (const auto& token : tokens) {
    // Keys are valid names and views into the line.
    if (!logstream::extract::is_metric_key(token.key)) __builtin_trap();
    const char* first = token.key.data();
    if (first < input.data() || first + token.key.size() > input.data() + size) {
      __builtin_trap();
    }
  }
  if (tokens.size() + tokens.overflowed() > size) __builtin_trap();

  logstream::MetricStore store(logstream::MetricsOptions{.series_cap = 3, .max_keys = 4});
  store.record(tokens.span(), logstream::ObservationTime{1});
  store.record(tokens.span(), logstream::ObservationTime{2});
  if (store.size() > 4) __builtin_trap();
  for (const auto& series : store.snapshot().metrics) {
    if (series.points.size() > 3 || series.summary.count < series.points.size()) __builtin_trap();
  }
  (void)store.to_csv();
  (void)store.to_json();
  return 0;
}
