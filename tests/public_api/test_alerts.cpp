// StreamerOptions::alerts as a user embeds them: alerts are events, to every sink in order
// with the lines (after the batch of the line that fired them, before the exit) and to
// on_event; StreamStats counts what was sent and what was held back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <logstream/logstream.hpp>

namespace {

using namespace logstream;

// What a sink heard, in order: "line N" for each line, "alert RULE N" and "exit".
class OrderSink : public Sink {
public:
  void write(const LineBatch& batch) override {
    std::lock_guard lock(mutex);
    for (const Line& line : batch) heard.push_back("line " + std::to_string(line.seq));
  }
  void on_event(const StreamEvent& event) override {
    std::lock_guard lock(mutex);
    if (event.kind == EventKind::alert) heard.push_back("alert " + event.alert->rule + " " + std::to_string(event.alert->seq));
    if (event.kind == EventKind::exited) heard.push_back("exit");
  }
  std::mutex mutex;
  std::vector<std::string> heard;
};

}  // namespace

TEST_CASE("public api: alerts reach every sink after their line and before the exit, and on_event", "[public-api][alerts]") {
  StreamerOptions options;
  options.alerts.rules = {AlertRule::parse("pattern:boom"), AlertRule::parse("exit:any")};
  options.alerts.cooldown = std::chrono::milliseconds(0);
  Streamer streamer(ProcessSpec{{"/bin/sh", "-c", "echo one; echo boom; echo three; echo boom again"}}, {}, options);
  auto sink = std::make_shared<OrderSink>();
  streamer.add_sink(sink);
  std::mutex mutex;
  std::vector<Alert> alerts;
  streamer.on_event += [&](const StreamEvent& e) {
    if (e.kind != EventKind::alert) return;
    std::lock_guard lock(mutex);
    alerts.push_back(*e.alert);
  };
  streamer.start();
  REQUIRE(streamer.wait_for_completion(std::chrono::seconds(20)));

  std::vector<std::string> heard;
  {
    std::lock_guard lock(sink->mutex);
    heard = sink->heard;
  }
  auto at = [&](const std::string& what) {
    return static_cast<std::size_t>(std::find(heard.begin(), heard.end(), what) - heard.begin());
  };
  REQUIRE(at("alert pattern:boom 2") < heard.size());
  CHECK(at("line 2") < at("alert pattern:boom 2"));
  CHECK(at("alert pattern:boom 2") < at("alert pattern:boom 4"));
  CHECK(at("line 4") < at("alert pattern:boom 4"));
  CHECK(at("alert pattern:boom 4") < at("alert exit:any 0"));
  CHECK(at("alert exit:any 0") < at("exit"));
  CHECK(heard.back() == "exit");

  std::lock_guard lock(mutex);
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[0].kind == AlertKind::pattern);
  CHECK(alerts[0].message == "line 2 matches boom: boom");
  CHECK(alerts[2].kind == AlertKind::exit);
  CHECK(alerts[2].exit_code == 0);
  CHECK(streamer.stats().alerts == 3);
  CHECK(streamer.stats().suppressed_alerts == 0);
}

TEST_CASE("public api: without rules no alert is made, and the cooldown's holds are counted", "[public-api][alerts]") {
  StreamerOptions options;
  options.alerts.rules = {AlertRule::parse("pattern:x")};  // the default cooldown: a minute
  Streamer streamer(ProcessSpec{{"/bin/sh", "-c", "echo x; echo x; echo x"}}, {}, options);
  streamer.start();
  REQUIRE(streamer.wait_for_completion(std::chrono::seconds(20)));
  CHECK(streamer.stats().alerts == 1);
  CHECK(streamer.stats().suppressed_alerts == 2);

  Streamer plain(ProcessSpec{{"/bin/sh", "-c", "echo x"}});
  plain.start();
  REQUIRE(plain.wait_for_completion(std::chrono::seconds(20)));
  CHECK(plain.stats().alerts == 0);
}
