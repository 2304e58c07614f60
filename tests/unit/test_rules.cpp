// User rules: compiling, rules files, clear errors, and rules driving progress and metrics.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include <logstream/extractor.hpp>
#include <logstream/rules.hpp>

#include "line_of.hpp"

#include "extract/rule_field.hpp"

using logstream::ExtractorOptions;
using logstream::Line;
using logstream::ProgressExtractor;
using logstream::RuleError;
using logstream::RuleField;
using logstream::RuleSet;
using logstream::test::line_of;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("logstream_rules_" + std::to_string(::getpid()) + "_" +
                     std::to_string(++counter) + "_" + name);
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const auto& load) {
  try {
    load();
  } catch (const RuleError& error) {
    return error.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("rules: group names decide the field they feed", "[rules]") {
  CHECK(logstream::rule_field_for("position") == RuleField::position);
  CHECK(logstream::rule_field_for("total_trials") == RuleField::total_trials);
  CHECK(logstream::rule_field_for("model") == RuleField::model);
  CHECK(logstream::rule_field_for("best") == RuleField::best);
  CHECK(logstream::rule_field_for("key") == RuleField::metric_key);
  CHECK(logstream::rule_field_for("value") == RuleField::metric_value);
  CHECK(logstream::rule_field_for("_sep") == RuleField::ignored);
  CHECK(logstream::rule_field_for("val_loss") == RuleField::metric);
}

TEST_CASE("rules: an invalid pattern names the rule and carries RE2's message", "[rules]") {
  const std::string message = error_of([] { RuleSet().add("epoch", "Epoch (?P<trial>\\d+"); });
  CHECK(contains(message, "rule 'epoch'"));
  CHECK(contains(message, "missing )"));
}

TEST_CASE("rules: a pattern without a named group is refused", "[rules]") {
  CHECK(contains(error_of([] { RuleSet().add("plain", "Epoch \\d+"); }), "no named group"));
}

TEST_CASE("rules: names are unique within a set", "[rules]") {
  RuleSet rules;
  rules.add("epoch", "Epoch (?P<trial>\\d+)");
  CHECK(contains(error_of([&] { rules.add("epoch", "E(?P<trial>\\d+)"); }), "defined twice"));
  CHECK(rules.size() == 1);
  CHECK(rules.find("epoch") != nullptr);
}

TEST_CASE("rules: a rules file holds one rule per line with comments", "[rules]") {
  const auto path = write_temp("ok.rules",
                               "# my trainer's formats\n"
                               "\n"
                               "epoch = ^Epoch (?P<trial>\\d+)/(?P<total_trials>\\d+)\r\n"
                               "  val   =   val_loss (?P<val_loss>\\S+)  \n"
                               "#disabled = (?P<x>x)\n");
  const RuleSet rules = RuleSet::from_file(path);
  REQUIRE(rules.size() == 2);
  CHECK(rules.rules()[0].name() == "epoch");
  CHECK(rules.rules()[0].pattern() == "^Epoch (?P<trial>\\d+)/(?P<total_trials>\\d+)");
  CHECK(rules.rules()[1].pattern() == "val_loss (?P<val_loss>\\S+)");
  CHECK(rules.rules()[1].groups().size() == 1);
  std::filesystem::remove(path);
}

TEST_CASE("rules: errors in a rules file name the file and line", "[rules]") {
  SECTION("an invalid pattern") {
    const auto path = write_temp("bad.rules", "# header\nok = (?P<a>a)\nbroken = (?P<b>[b\n");
    const std::string message = error_of([&] { RuleSet::from_file(path); });
    CHECK(contains(message, path.string() + ":3"));
    CHECK(contains(message, "rule 'broken'"));
    CHECK(contains(message, "missing ]"));
    std::filesystem::remove(path);
  }
  SECTION("a line that is no 'name = pattern'") {
    const std::string message =
        error_of([] { RuleSet::parse("loss=(?P<loss>\\S+)\n", "trainer.rules"); });
    CHECK(contains(message, "trainer.rules:1"));
    CHECK(contains(message, "expected 'name = pattern'"));
  }
  SECTION("a missing file") {
    CHECK(contains(error_of([] { RuleSet::from_file("/nonexistent/x.rules"); }),
                   "cannot open rules file '/nonexistent/x.rules'"));
  }
}

TEST_CASE("rules: custom patterns drive progress fields", "[rules][extractor]") {
  const RuleSet rules = RuleSet::parse(
      "fold = ^Fold (?P<position>\\d+) of (?P<total_positions>\\d+) \\((?P<model>\\w+)\\)\n"
      "epoch = ^Epoch (?P<trial>\\d+)/(?P<total_trials>\\d+) .*objective (?P<score>\\S+)\n"
      "best = (?P<best>\\*\\*\\* improved)\n");
  ProgressExtractor extractor(ExtractorOptions{.rules = rules});
  CHECK(extractor.feed(line_of("Fold 2 of 5 (ResNet)")));
  CHECK(extractor.feed(line_of("Epoch 3/10 done, objective -0.25")));
  CHECK(extractor.feed(line_of("*** improved")));
  const auto& p = extractor.progress();
  CHECK(p.position == 2);
  CHECK(p.total_positions == 5);
  CHECK(p.model_name == "ResNet");
  CHECK(p.trial == 3);
  CHECK(p.total_trials == 10);
  CHECK(p.score == -0.25);
  CHECK(p.is_best);
  CHECK(p.best_score == -0.25);
  CHECK(extractor.feed(line_of("Epoch 4/10 done, objective -0.5")));
  CHECK_FALSE(extractor.progress().is_best);
  CHECK_FALSE(extractor.feed(line_of("nothing here")));
}

TEST_CASE("rules: named groups and key/value pairs become metrics", "[rules][metrics]") {
  const auto path = write_temp("metrics.rules",
                               "val = val loss (?P<val_loss>[-+.\\deE]+) acc (?P<val_acc>\\S+)\n"
                               "kv = ^METRIC (?P<key>\\S+) (?P<value>\\S+)$\n"
                               "bare = ^objective is (?P<value>\\S+)\n");
  ProgressExtractor extractor(ExtractorOptions{.rules = RuleSet::from_file(path),
                                               .default_rules = false, .metrics = false});
  extractor.feed(line_of("val loss 0.75 acc 0.5", 1));
  extractor.feed(line_of("METRIC grad_norm 3.5", 2));
  extractor.feed(line_of("METRIC bad{key} 1", 3));  // not a metric name: skipped
  extractor.feed(line_of("objective is 42", 4));
  extractor.feed(line_of("loss=9", 5));  // tokenizing is off
  const auto& store = *extractor.metrics();
  CHECK(store.summary("val_loss")->latest == 0.75);
  CHECK(store.summary("val_acc")->latest == 0.5);
  CHECK(store.summary("grad_norm")->latest == 3.5);
  CHECK(store.summary("value")->latest == 42);
  CHECK(store.size() == 4);
  CHECK_FALSE(extractor.progress().score.has_value());
  std::filesystem::remove(path);
}

TEST_CASE("rules: user rules override the default scanner on the same line", "[rules]") {
  RuleSet rules;
  rules.add("score100", "Score=(?P<_raw>\\d+)% \\((?P<score>[\\d.]+)\\)");
  ProgressExtractor extractor(ExtractorOptions{.rules = rules});
  extractor.feed(line_of("Score=50% (0.5)"));
  CHECK(extractor.progress().score == 0.5);
}

TEST_CASE("rules: twenty rules are matched together and each still fires", "[rules]") {
  RuleSet rules;
  for (int i = 0; i < 20; ++i) {
    rules.add(fmt::format("r{}", i), fmt::format("^stage{} metric (?P<m{}>\\S+)$", i, i));
  }
  ProgressExtractor extractor(ExtractorOptions{.rules = rules});
  for (int i = 0; i < 20; ++i) {
    const std::string text = "stage" + std::to_string(i) + " metric " + std::to_string(i);
    extractor.feed(line_of(text, static_cast<std::uint64_t>(i + 1)));
  }
  CHECK(extractor.metrics()->size() == 20);
  CHECK(extractor.metrics()->summary("m17")->latest == 17);
}
