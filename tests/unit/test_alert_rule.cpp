// AlertRule::parse: every form of the README's "Alerts", and a clear error for what is not one.
#include <catch2/catch.hpp>

#include <cmath>

#include <logstream/alerts.hpp>
#include <logstream/error.hpp>

using namespace logstream;

TEST_CASE("AlertRule::parse reads every kind of rule", "[alerts]") {
  CHECK(AlertRule::parse("exit").kind == AlertKind::exit);
  CHECK_FALSE(AlertRule::parse("exit").any_exit);
  CHECK(AlertRule::parse("exit:any").any_exit);
  const AlertRule pattern = AlertRule::parse("pattern:CUDA (out of|no) memory");
  CHECK(pattern.kind == AlertKind::pattern);
  CHECK(pattern.pattern == "CUDA (out of|no) memory");
  CHECK(pattern.text == "pattern:CUDA (out of|no) memory");
  CHECK(AlertRule::parse("stall:90s").stall == std::chrono::seconds(90));
  CHECK(AlertRule::parse("stall:5m").stall == std::chrono::minutes(5));
  CHECK(AlertRule::parse("stall:250ms").stall == std::chrono::milliseconds(250));
  CHECK(AlertRule::parse("best").kind == AlertKind::best);
  CHECK(AlertRule::parse("level:warning").level == Level::warning);
  CHECK(AlertRule::parse("level:error").level == Level::error);

  const AlertRule loss = AlertRule::parse("metric:loss>10");
  CHECK(loss.kind == AlertKind::metric);
  CHECK(loss.metric == "loss");
  CHECK(loss.comparison == Comparison::greater);
  CHECK(loss.threshold == 10);
  CHECK(loss.consecutive == 1);
  const AlertRule nan = AlertRule::parse("metric:loss=nan");
  CHECK(nan.comparison == Comparison::equal);
  CHECK(std::isnan(nan.threshold));
  const AlertRule acc = AlertRule::parse("metric: val_acc >= 0.95 for 3");
  CHECK(acc.metric == "val_acc");
  CHECK(acc.comparison == Comparison::greater_equal);
  CHECK(acc.threshold == 0.95);
  CHECK(acc.consecutive == 3);
  CHECK(AlertRule::parse("metric:lr<=1e-6").comparison == Comparison::less_equal);
  CHECK(AlertRule::parse("metric:lr<1e-6").comparison == Comparison::less);
  CHECK(AlertRule::parse("metric:step!=0").comparison == Comparison::not_equal);
  CHECK(AlertRule::parse("metric:step==0").comparison == Comparison::equal);
  CHECK(std::isinf(AlertRule::parse("metric:grad_norm=inf").threshold));
}

TEST_CASE("AlertRule::parse names the rule and what is wrong with it", "[alerts][errors]") {
  auto error_of = [](const char* text) -> std::string {
    try {
      AlertRule::parse(text);
    } catch (const AlertRuleError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(error_of("pattern:(unclosed"), Catch::Contains("alert rule 'pattern:(unclosed'") && Catch::Contains("missing )"));
  CHECK_THAT(error_of("pattern:"), Catch::Contains("needs an RE2 pattern"));
  CHECK_THAT(error_of("stall:soon"), Catch::Contains("stall needs a duration"));
  CHECK_THAT(error_of("stall:0s"), Catch::Contains("above zero"));
  CHECK_THAT(error_of("metric:loss"), Catch::Contains("KEY OP VALUE"));
  CHECK_THAT(error_of("metric:>3"), Catch::Contains("name is missing"));
  CHECK_THAT(error_of("metric:loss>high"), Catch::Contains("'high' is no number"));
  CHECK_THAT(error_of("metric:loss>>3"), Catch::Contains("is no number"));
  CHECK_THAT(error_of("metric:loss>1 for 0"), Catch::Contains("a count of 1 or more"));
  CHECK_THAT(error_of("metric:loss>1 for x"), Catch::Contains("a count of 1 or more"));
  CHECK_THAT(error_of("level:loud"), Catch::Contains("level needs error, warning"));
  CHECK_THAT(error_of("exit:soon"), Catch::Contains("exit takes ':any'"));
  CHECK_THAT(error_of("best:3"), Catch::Contains("best takes no argument"));
  CHECK_THAT(error_of("bogus"), Catch::Contains("no such rule"));
  CHECK_THAT(error_of(""), Catch::Contains("no such rule"));
}
