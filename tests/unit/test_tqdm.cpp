// tqdm meters: ASCII and Unicode bars, with and without a total, rates both ways round.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "extract/tqdm.hpp"

using logstream::extract::BarView;
using logstream::extract::parse_bar;

namespace {

struct Expected {
  std::string description{};
  double current = 0;
  std::optional<double> total{};
  std::optional<double> rate{};
  std::string rate_unit{};
  std::optional<double> elapsed{};
  std::optional<double> remaining{};
  std::string postfix{};
};

void check_bar(const std::string& line, const Expected& e) {
  CAPTURE(line);
  const std::optional<BarView> bar = parse_bar(line);
  REQUIRE(bar.has_value());
  CHECK(std::string(bar->description) == e.description);
  CHECK(bar->current == Approx(e.current));
  REQUIRE(bar->total.has_value() == e.total.has_value());
  if (e.total) CHECK(*bar->total == Approx(*e.total));
  REQUIRE(bar->rate.has_value() == e.rate.has_value());
  if (e.rate) CHECK(*bar->rate == Approx(*e.rate));
  CHECK(std::string(bar->rate_unit) == e.rate_unit);
  CHECK(bar->elapsed_seconds == e.elapsed);
  CHECK(bar->remaining_seconds == e.remaining);
  CHECK(std::string(bar->postfix) == e.postfix);
}

}  // namespace

TEST_CASE("tqdm: an ASCII bar with a total gives count, total, rate and times", "[tqdm]") {
  check_bar(" 45%|####5     | 45/100 [00:01<00:02, 30.0it/s]",
            {.current = 45, .total = 100, .rate = 30.0, .rate_unit = "it/s", .elapsed = 1,
             .remaining = 2});
  check_bar("100%|##########| 100/100 [01:02:03<00:00, 12.34it/s]",
            {.current = 100, .total = 100, .rate = 12.34, .rate_unit = "it/s",
             .elapsed = 3723, .remaining = 0});
}

TEST_CASE("tqdm: a description prefix is kept without its colon", "[tqdm]") {
  check_bar("Epoch 3:  45%|####5     | 45/100 [00:01<00:02, 30.0it/s]",
            {.description = "Epoch 3", .current = 45, .total = 100, .rate = 30.0,
             .rate_unit = "it/s", .elapsed = 1, .remaining = 2});
  check_bar("\x1b[A\x1b[Avalidation: 10%|#         | 1/10 [00:00<00:09, 1.00it/s]",
            {.description = "validation", .current = 1, .total = 10, .rate = 1.0,
             .rate_unit = "it/s", .elapsed = 0, .remaining = 9});
}

TEST_CASE("tqdm: Unicode block bars parse like ASCII ones", "[tqdm]") {
  check_bar("train:  45%|████▌     | 45/100 [00:01<00:02, 30.00it/s]",
            {.description = "train", .current = 45, .total = 100, .rate = 30.0,
             .rate_unit = "it/s", .elapsed = 1, .remaining = 2});
  check_bar(" 99%|█████████▉| 990/1000 [00:33<00:00, 29.97it/s]",
            {.current = 990, .total = 1000, .rate = 29.97, .rate_unit = "it/s", .elapsed = 33,
             .remaining = 0});
}

TEST_CASE("tqdm: slow loops print seconds per iteration", "[tqdm]") {
  check_bar(" 20%|##        | 2/10 [00:05<00:20,  2.50s/it]",
            {.current = 2, .total = 10, .rate = 2.5, .rate_unit = "s/it", .elapsed = 5,
             .remaining = 20});
}

TEST_CASE("tqdm: the first update has unknown remaining time and rate", "[tqdm]") {
  check_bar("  0%|          | 0/100 [00:00<?, ?it/s]",
            {.current = 0, .total = 100, .rate_unit = "it/s", .elapsed = 0});
}

TEST_CASE("tqdm: a postfix is returned for the metrics tokenizer", "[tqdm]") {
  check_bar(" 45%|####5     | 45/100 [00:01<00:02, 30.0it/s, loss=0.431, acc=0.8]",
            {.current = 45, .total = 100, .rate = 30.0, .rate_unit = "it/s", .elapsed = 1,
             .remaining = 2, .postfix = "loss=0.431, acc=0.8"});
}

TEST_CASE("tqdm: scaled units multiply counts and keep the rate's unit", "[tqdm]") {
  check_bar("download:  45%|####5     | 4.50k/10.0k [00:01<00:01, 4.50kB/s]",
            {.description = "download", .current = 4500, .total = 10000, .rate = 4.5,
             .rate_unit = "kB/s", .elapsed = 1, .remaining = 1});
}

TEST_CASE("tqdm: a bar without a total gives the count only", "[tqdm]") {
  check_bar("Processing: 45it [00:01, 30.0it/s]",
            {.description = "Processing", .current = 45, .rate = 30.0, .rate_unit = "it/s",
             .elapsed = 1});
  check_bar("12.3MB [00:04, 3.07MB/s]",
            {.current = 12.3e6, .rate = 3.07, .rate_unit = "MB/s", .elapsed = 4});
  check_bar("batches: 7 [00:02, 3.50it/s, loss=0.2]",
            {.description = "batches", .current = 7, .rate = 3.5, .rate_unit = "it/s",
             .elapsed = 2, .postfix = "loss=0.2"});
}

TEST_CASE("tqdm: other bracketed text is not a bar", "[tqdm]") {
  for (const std::string line :
       {"[INFO] starting", "Position 1/6", "progress 45% done", "x [00:01]", "a [b, c]",
        "value [12:30, fast]", "ratio 3%|", ""}) {
    CAPTURE(line);
    CHECK_FALSE(parse_bar(line).has_value());
  }
}
