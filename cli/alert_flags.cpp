// make_alerts (see alert_flags.hpp).
#include "alert_flags.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "messages.hpp"
#include "rules_option.hpp"
#include "text/duration.hpp"

namespace logstream::cli {

namespace {

std::chrono::milliseconds duration_flag(const std::string& flag, const std::string& text) {
  const auto duration = text::parse_duration(text);
  if (!duration) throw std::invalid_argument(fmt::format("{}: '{}' is no duration (500ms, 30s, 5m, 1h)", flag, text));
  return *duration;
}

WebhookFormat webhook_format(const std::string& name) {
  if (name == "slack") return WebhookFormat::slack;
  if (name == "discord") return WebhookFormat::discord;
  if (name == "ntfy") return WebhookFormat::ntfy;
  return WebhookFormat::json;
}

void add_file_rules(const std::string& path, std::vector<AlertRule>& rules) {
  std::string text;
  try {
    text = read_option_file(path, "alerts file");
  } catch (const std::runtime_error& e) {
    throw AlertRuleError(e.what());
  }
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    try {
      rules.push_back(AlertRule::parse(line));
    } catch (const AlertRuleError& e) {
      throw AlertRuleError(fmt::format("{}:{}: {}", path, number, e.what()));
    }
  }
}

}  // namespace

std::vector<std::string> split_words(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size()) word += command[++i];
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) throw std::invalid_argument(fmt::format("--notify-exec: '{}' has an unclosed {} quote", command, quote));
  if (in_word) words.push_back(std::move(word));
  return words;
}

AlertOptions make_alerts(const AlertFlags& flags) {
  AlertOptions o;
  if (!flags.file.empty()) add_file_rules(flags.file, o.rules);
  for (const std::string& rule : flags.rules) o.rules.push_back(AlertRule::parse(rule));
  o.cooldown = duration_flag("--alert-cooldown", flags.cooldown);
  o.hourly_cap = flags.cap;
  AlertChannels& c = o.channels;
  c.timeout = duration_flag("--notify-timeout", flags.timeout);
  if (c.timeout.count() <= 0) throw std::invalid_argument("--notify-timeout: it must be above zero");
  for (const std::string& url : flags.webhooks) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      throw std::invalid_argument(fmt::format("--notify-webhook: '{}' is no http:// or https:// URL", url));
    c.webhooks.push_back({url, webhook_format(flags.format)});
  }
  for (const std::string& command : flags.execs) {
    std::vector<std::string> argv = split_words(command);
    if (argv.empty()) throw std::invalid_argument("--notify-exec: the command is empty");
    c.execs.push_back(std::move(argv));
  }
  c.desktop = flags.desktop;
  if (o.rules.empty() && !c.empty()) o.rules.push_back(AlertRule::parse("exit:any"));
  return o;
}

std::optional<AlertOptions> alerts_or_say(const AlertFlags& flags) {
  try {
    return make_alerts(flags);
  } catch (const std::invalid_argument& e) {  // AlertRuleError too
    say(e.what());
    return std::nullopt;
  }
}

}  // namespace logstream::cli
