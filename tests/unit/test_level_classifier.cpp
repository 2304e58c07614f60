// The level of a line, from each format LevelClassifier knows, and against a model: random
// lines built from those formats with a known level, interleaved tracebacks on both pipes.
#include <catch2/catch.hpp>

#include <array>

#include <random>
#include <string>
#include <vector>

#include <logstream/line.hpp>

#include "extract/level_classifier.hpp"
#include "extract/metrics_tokenizer.hpp"

using logstream::Level;
using logstream::Source;
using logstream::extract::LevelClassifier;
using logstream::extract::level_of_line;

namespace {

struct Case {
  const char* line;
  Level level;
};

}  // namespace

TEST_CASE("levels: each format's level words", "[levels]") {
  const Case cases[] = {
      // Python logging: the default format, asctime formats, loguru
      {"ERROR:root:the data could not be read", Level::error},
      {"CRITICAL:train:out of disk", Level::error},
      {"WARNING:optuna:3 features have zero variance", Level::warning},
      {"INFO:__main__:starting", Level::info},
      {"DEBUG:urllib3:connection pool", Level::debug},
      {"2026-12-01 12:00:00,123 - trainer - WARNING - learning rate is high", Level::warning},
      {"2026-12-01 12:00:00.123 | ERROR    | train:step:42 - nan loss", Level::error},
      {"\x1b[31mERROR\x1b[0m: coloured by the child", Level::error},
      // glog / absl
      {"E1201 12:00:00.123456  4242 train.cc:12] Check failed", Level::error},
      {"F1201 12:00:00.123456  4242 train.cc:12] fatal", Level::error},
      {"W1201 12:00:00.123456  4242 train.cc:12] slow step", Level::warning},
      {"I1201 12:00:00.123456  4242 train.cc:12] step 3", Level::info},
      // Optuna
      {"[W 2026-12-01 12:00:00,123] Trial 3 failed because of the following error", Level::warning},
      {"[I 2026-12-01 12:00:00,123] Trial 0 finished with value: 0.85", Level::info},
      {"[E 2026-12-01 12:00:00,123] something broke", Level::error},
      // fields and brackets
      {"time=2026-12-01T12:00:00Z level=error msg=\"disk full\"", Level::error},
      {"ts=1 lvl=warn x=1", Level::none},  // lvl= is not level=
      {R"({"time":"2026-12-01T12:00:00Z","level":"WARN","msg":"slow"})", Level::warning},
      {R"({"level": "debug", "msg": "x"})", Level::debug},
      {"[2026-12-01 12:00:00] [error] upstream timed out", Level::error},
      {"[INFO ] started", Level::info},
      // exceptions, warnings, the shell
      {"RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB", Level::error},
      {"torch.cuda.OutOfMemoryError: CUDA out of memory.", Level::error},
      {"ValueError: x", Level::error},
      {"/usr/lib/python3/dist-packages/sklearn/base.py:42: UserWarning: X has feature names", Level::warning},
      {"  warnings.warn(", Level::none},
      {"Killed", Level::error},
      {"Segmentation fault (core dumped)", Level::error},
      // none of them
      {"", Level::none},
      {"epoch 3 loss=0.41 acc=0.83", Level::none},
      {"no errors found, 0 warnings", Level::none},
      {"ERRORS: 0", Level::none},
      {"MY_ERROR: this is a name", Level::none},
      {"ERROR=3 is a key", Level::none},
      {"Position 2/6: Trial 3/10 INFORMATION", Level::none},
      {"the error: rate went up", Level::none},
  };
  CHECK(level_of_line("/x/base.py:42: UserWarning: on stdout, prose", Source::out) == Level::none);
  for (const Case& c : cases) {
    CAPTURE(c.line);
    CHECK(level_of_line(c.line, Source::err) == c.level);
  }
}

TEST_CASE("levels: a traceback is one error, its frames and exception included", "[levels]") {
  LevelClassifier classifier;
  const Case lines[] = {
      {"epoch 1", Level::none},
      {"Traceback (most recent call last):", Level::error},
      {"  File \"train.py\", line 3, in <module>", Level::error},
      {"    main()", Level::error},
      {"    ^^^^^^", Level::error},
      {"KeyError: 'lr'", Level::error},
      {"", Level::none},
      {"During handling of the above exception, another exception occurred:", Level::error},
      {"", Level::none},
      {"Traceback (most recent call last):", Level::error},
      {"  File \"train.py\", line 9, in <module>", Level::error},
      {"SystemExit", Level::error},  // a bare exception name ends it too
      {"after the traceback", Level::none},
  };
  for (const Case& c : lines) {
    CAPTURE(c.line);
    CHECK(classifier.classify(c.line, Source::err) == c.level);
  }
}

TEST_CASE("levels: a traceback on stderr is not ended by stdout lines between its lines", "[levels]") {
  LevelClassifier classifier;
  CHECK(classifier.classify("Traceback (most recent call last):", Source::err) == Level::error);
  CHECK(classifier.classify("epoch 2 loss=0.3", Source::out) == Level::none);
  CHECK(classifier.classify("  File \"x.py\", line 1, in f", Source::err) == Level::error);
  CHECK(classifier.classify("step 9", Source::out) == Level::none);
  CHECK(classifier.classify("OSError: [Errno 28] No space left on device", Source::err) == Level::error);
  CHECK(classifier.classify("next", Source::err) == Level::none);
}

TEST_CASE("levels: a level word is never a metric", "[levels][metrics]") {
  logstream::extract::MetricTokens tokens;
  logstream::extract::tokenize_metrics("WARNING: 3 features have zero variance", tokens);
  CHECK(tokens.empty());
  logstream::extract::tokenize_metrics("Error: 2 retries left, loss: 0.5", tokens);
  REQUIRE(tokens.span().size() == 1);
  CHECK(tokens.span()[0].key == "loss");
  tokens.clear();
  logstream::extract::tokenize_metrics("error: 0.05", tokens);  // a classification error rate
  CHECK(tokens.span().size() == 1);
}

// The model: each line is made of a format with a known level (or none) and words that hold no
// level; tracebacks start at random on either pipe and run their frames and exception.
TEST_CASE("levels: random lines of every format agree with the model", "[levels][model]") {
  std::mt19937 rng(20261202);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::vector<std::string> words = {"epoch", "loss=0.5", "acc:", "0.93", "step", "[3/10]", "it/s",
                                          "x", "Trial", "Position", "val", "|", "-", "model", "{'lr': 1}"};
  const Level levels[] = {Level::error, Level::warning, Level::info, Level::debug};
  const char* python_names[] = {"ERROR", "WARNING", "INFO", "DEBUG"};
  const char* glog_letters[] = {"E", "W", "I", ""};
  const char* optuna_letters[] = {"E", "W", "I", "D"};
  const char* field_names[] = {"error", "warn", "info", "debug"};
  auto message = [&] {
    std::string out;
    for (std::size_t i = 0, n = 1 + pick(6); i < n; ++i) out += " " + words[pick(words.size())];
    return out;
  };

  LevelClassifier classifier;
  std::array<int, 2> traceback_frames{-1, -1};  // the model's traceback state per pipe
  for (int i = 0; i < 20000; ++i) {
    const Source source = pick(3) == 0 ? Source::err : Source::out;
    int& frames = traceback_frames[static_cast<std::size_t>(source)];
    std::string line;
    Level expected = Level::none;
    if (frames > 0) {
      line = "  File \"train.py\", line " + std::to_string(pick(900)) + ", in f";
      --frames;
      expected = Level::error;
    } else if (frames == 0) {
      line = "ValueError:" + message();
      frames = -1;
      expected = Level::error;
    } else if (pick(50) == 0) {
      line = "Traceback (most recent call last):";
      frames = static_cast<int>(pick(4));
      expected = Level::error;
    } else {
      const std::size_t l = pick(4);
      switch (pick(7)) {
        case 0: line = std::string(python_names[l]) + ":root:" + message(); expected = levels[l]; break;
        case 1: line = "2026-12-01 12:00:00,123 - train - " + std::string(python_names[l]) + " -" + message(); expected = levels[l]; break;
        case 2:
          if (*glog_letters[l]) {
            line = std::string(glog_letters[l]) + "1201 12:00:00.123456  42 a.cc:1]" + message();
            expected = levels[l];
          } else {
            line = "1201" + message();
          }
          break;
        case 3: line = "[" + std::string(optuna_letters[l]) + " 2026-12-01 12:00:00,123]" + message(); expected = levels[l]; break;
        case 4: line = "ts=1 level=" + std::string(field_names[l]) + message(); expected = levels[l]; break;
        case 5: line = "[" + std::string(field_names[l]) + "]" + message(); expected = levels[l]; break;
        default: line = message().substr(1); break;
      }
    }
    CAPTURE(i, line);
    REQUIRE(classifier.classify(line, source) == expected);
  }
}
