// libFuzzer target: rules-file parsing, then the rules applied to log lines. The input is
// "<rules text>\n---\n<log lines>".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <logstream/extractor.hpp>
#include <logstream/rules.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find("\n---\n");
  const std::string_view rules_text = input.substr(0, split);
  std::string_view rest =
      split == std::string_view::npos ? std::string_view{} : input.substr(split + 5);
  logstream::RuleSet rules;
  try {
    rules = logstream::RuleSet::parse(rules_text, "fuzz.rules");
  } catch (const logstream::RuleError&) {
    return 0;  // refusing bad rules with an error is the expected outcome
  }
  logstream::ProgressExtractor extractor(logstream::ExtractorOptions{
      .rules = rules, .metrics_options = {.series_cap = 2, .max_keys = 4}});
  logstream::Line line;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    line.text = rest.substr(0, end);
    ++line.seq;
    extractor.feed(line);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  return 0;
}
