// AlertDelivery (see alert_delivery.hpp): the channels' thread.
#include "alerts/alert_delivery.hpp"

#include <fmt/format.h>

#include "alerts/exec_hook.hpp"
#include "alerts/webhook.hpp"
#include "json/event_json.hpp"

namespace logstream::alerts {

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{500};

std::vector<std::string> hook_environment(const Alert& alert, const std::string& run) {
  return {fmt::format("LOGSTREAM_ALERT_KIND={}", to_string(alert.kind)),
          fmt::format("LOGSTREAM_ALERT_RULE={}", alert.rule),
          fmt::format("LOGSTREAM_ALERT_MESSAGE={}", alert.message),
          fmt::format("LOGSTREAM_ALERT_SEQ={}", alert.seq),
          fmt::format("LOGSTREAM_ALERT_RUN={}", run)};
}

}  // namespace

AlertDelivery::AlertDelivery(AlertChannels channels, std::function<void(StreamEvent)> report)
    : channels_(std::move(channels)), report_(std::move(report)) {}

AlertDelivery::~AlertDelivery() {
  // A sink retired before close() (it cannot be: it never throws) would still stop here.
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    deadline_ = std::chrono::steady_clock::now();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertDelivery::open() { thread_ = std::thread([this] { run(); }); }

void AlertDelivery::on_event(const StreamEvent& event) {
  if (event.kind != EventKind::alert || !event.alert) return;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(event.alert);
  }
  wake_.notify_one();
}

void AlertDelivery::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    deadline_ = std::chrono::steady_clock::now() + one_alert_at_most();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Every try on every channel, and the waits between them: the last alert (the exit, typically)
// gets all its tries before the stream ends.
std::chrono::milliseconds AlertDelivery::one_alert_at_most() const {
  const auto channels = channels_.webhooks.size() + channels_.execs.size() + (channels_.desktop ? 1 : 0);
  std::chrono::milliseconds per_channel = (channels_.retries + 1) * channels_.timeout;
  auto backoff = kFirstBackoff;
  for (unsigned i = 0; i < channels_.retries; ++i, backoff *= 2) per_channel += backoff;
  return static_cast<long>(channels) * per_channel;
}

bool AlertDelivery::past_deadline() const { return closing_ && std::chrono::steady_clock::now() >= deadline_; }

void AlertDelivery::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and everything went out
    if (past_deadline()) {
      const std::size_t left = queue_.size();
      queue_.clear();
      lock.unlock();
      report_(StreamEvent{.kind = EventKind::notify_error, .sink = "alerts",
                          .message = fmt::format("{} alert{} not delivered: the run ended and the channels did not answer in time",
                                                 left, left == 1 ? "" : "s")});
      return;
    }
    std::shared_ptr<const Alert> alert = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    deliver(*alert);
    lock.lock();
  }
}

std::optional<std::string> AlertDelivery::attempt(const std::function<std::optional<std::string>()>& send) {
  std::optional<std::string> failure;
  auto backoff = kFirstBackoff;
  for (unsigned i = 0; i <= channels_.retries; ++i) {
    failure = send();
    if (!failure || i == channels_.retries) break;
    std::unique_lock lock(mutex_);
    // Waits on the condition, not a sleep: close() past its deadline cuts the retries short.
    if (wake_.wait_for(lock, backoff, [&] { return past_deadline(); })) break;
    backoff *= 2;
  }
  return failure;
}

void AlertDelivery::deliver(const Alert& alert) {
  const auto fail = [&](const std::string& channel, const std::string& why) {
    report_(StreamEvent{.kind = EventKind::notify_error, .sink = channel,
                        .message = fmt::format("alert {} not delivered to {}: {}", alert.rule, channel, why)});
  };
  for (const AlertChannels::Webhook& hook : channels_.webhooks) {
    const WebhookBody body = webhook_body(alert, hook.format, channels_.run);
    if (auto why = attempt([&] { return post_webhook(hook.url, body, channels_.timeout); }))
      fail(fmt::format("webhook {}", hook.url), *why);
  }
  if (channels_.execs.empty() && !channels_.desktop) return;
  json::Json object = json::alert_json(alert);
  if (!channels_.run.empty()) object["run"] = channels_.run;
  const std::string input = json::dump(object) + "\n";
  const std::vector<std::string> env = hook_environment(alert, channels_.run);
  for (const std::vector<std::string>& argv : channels_.execs) {
    if (auto why = attempt([&] { return run_exec_hook(argv, env, input, channels_.timeout); }))
      fail(fmt::format("exec {}", argv.empty() ? std::string() : argv[0]), *why);
  }
  if (channels_.desktop) {
    const std::vector<std::string> argv{"notify-send", "--app-name=logstream",
                                        channels_.run.empty() ? fmt::format("logstream: {}", alert.rule)
                                                              : fmt::format("logstream: {} in {}", alert.rule, channels_.run),
                                        alert.message};
    if (auto why = attempt([&] { return run_exec_hook(argv, env, {}, channels_.timeout); })) fail("desktop", *why);
  }
}

}  // namespace logstream::alerts
