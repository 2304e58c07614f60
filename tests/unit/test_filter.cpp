// filtered() and LineFilter: which lines reach a filtered sink, checked against a model of
// grep's context over random lines cut into random reads.
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include <logstream/filter.hpp>

#include "framing_support.hpp"

namespace {

using namespace logstream;

struct Received {
  std::vector<std::uint64_t> seqs;
  std::vector<std::string> texts;
  std::string committed;  // for_each_committed_span of every batch
  std::size_t metrics = 0;
  bool consecutive_batches = true;
};

class RecordingSink : public Sink {
public:
  explicit RecordingSink(Received& r) : r_(r) {}
  void write(const LineBatch& batch) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].seq != batch.first_seq() + i) r_.consecutive_batches = false;
      r_.seqs.push_back(batch[i].seq);
      r_.texts.emplace_back(batch[i].text);
    }
    batch.for_each_committed_span([&](std::string_view span) { r_.committed += span; });
    r_.metrics += batch.metrics().size();
  }

private:
  Received& r_;
};

class CallbackSinkCounter : public Sink {
public:
  explicit CallbackSinkCounter(std::size_t& writes) : writes_(writes) {}
  void write(const LineBatch&) override { ++writes_; }

private:
  std::size_t& writes_;
};

// What grep -B before -A after prints: each match and the lines around it, once each.
std::set<std::uint64_t> model(const std::vector<bool>& match, std::size_t before, std::size_t after) {
  std::set<std::uint64_t> out;
  for (std::size_t i = 0; i < match.size(); ++i) {
    if (!match[i]) continue;
    const std::size_t from = i >= before ? i - before : 0;
    for (std::size_t j = from; j <= i + after && j < match.size(); ++j) out.insert(j + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("filtered: kept lines and their context, as a model of grep says, over random reads", "[filter][model]") {
  std::mt19937 rng(20261203);
  for (int round = 0; round < 200; ++round) {
    const std::size_t count = 1 + rng() % 300;
    const std::size_t before = rng() % 4;
    const std::size_t after = rng() % 4;
    std::string bytes;
    std::vector<bool> match;
    for (std::size_t i = 0; i < count; ++i) {
      const bool hit = rng() % 10 == 0;
      match.push_back(hit);
      bytes += "line " + std::to_string(i + 1) + (hit ? " needle" : " hay") + "\n";
    }
    Received received;
    auto sink = filtered(std::make_shared<RecordingSink>(received),
                         [](const Line& line, const LineFacts&) { return line.text.find("needle") != std::string_view::npos; },
                         ContextLines{before, after});
    Framer framer;
    const std::size_t chunk = 1 + rng() % 64;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) sink->write(framer.frame(test::chunk_of(bytes.substr(at, chunk))));
    sink->write(framer.finish(Source::out));

    const std::set<std::uint64_t> expected = model(match, before, after);
    INFO("round " << round << " before " << before << " after " << after << " chunk " << chunk);
    CHECK(received.consecutive_batches);
    CHECK(std::vector<std::uint64_t>(expected.begin(), expected.end()) == received.seqs);
    std::string expected_bytes;
    for (std::uint64_t seq : expected) {
      expected_bytes += "line " + std::to_string(seq) + (match[seq - 1] ? " needle" : " hay") + "\n";
    }
    CHECK(received.committed == expected_bytes);
  }
}

TEST_CASE("filtered: a batch that kept no line and carried no extraction reaches no write", "[filter]") {
  Received received;
  std::size_t writes = 0;
  auto sink = filtered(std::make_shared<CallbackSinkCounter>(writes), LineFilter(FilterOptions{.patterns = {"nothing matches this"}}));
  for (LineBatch& batch : test::batches_of("a\nb\nc\n")) sink->write(batch);
  CHECK(writes == 0);
  auto all = std::make_shared<CallbackSinkCounter>(writes);
  CHECK(filtered(all, LineFilter()) == all);  // nothing to filter: the sink itself
}

TEST_CASE("LineFilter: every condition must hold", "[filter]") {
  const LineFilter all;
  CHECK(all.options().keeps_all());
  CHECK(all.keeps("anything", Source::out, Level::none));

  const LineFilter levels(FilterOptions{.min_level = Level::warning});
  CHECK(levels.keeps("x", Source::err, Level::error));
  CHECK(levels.keeps("x", Source::err, Level::warning));
  CHECK_FALSE(levels.keeps("x", Source::err, Level::info));
  CHECK_FALSE(levels.keeps("x", Source::err, Level::none));

  const LineFilter grep(FilterOptions{.patterns = {"loss", "acc"}, .excludes = {"val_"}, .source = Source::out});
  CHECK(grep.keeps("loss=1", Source::out, Level::none));
  CHECK(grep.keeps("acc=1", Source::out, Level::none));
  CHECK_FALSE(grep.keeps("val_loss=1", Source::out, Level::none));
  CHECK_FALSE(grep.keeps("loss=1", Source::err, Level::none));
  CHECK_FALSE(grep.keeps("epoch", Source::out, Level::none));

  const LineFilter literal(FilterOptions{.patterns = {"a.b", "(x"}, .fixed_strings = true, .ignore_case = true});
  CHECK(literal.keeps("A.B", Source::out, Level::none));
  CHECK(literal.keeps("((X", Source::out, Level::none));
  CHECK_FALSE(literal.keeps("aXb", Source::out, Level::none));

  const LineFilter best(FilterOptions{.best = true});
  CHECK(best.keeps("Trial 3", Source::out, Level::none, LineFacts{.changed_progress = true, .new_best = true}));
  CHECK_FALSE(best.keeps("Trial 4", Source::out, Level::none, LineFacts{.changed_progress = true}));
  const LineFilter progress(FilterOptions{.progress = true});
  CHECK(progress.keeps("Epoch 2/5", Source::out, Level::none, LineFacts{.changed_progress = true}));
  CHECK_FALSE(progress.keeps("hello", Source::out, Level::none));
}

TEST_CASE("LineFilter: a pattern RE2 refuses is named, with RE2's message", "[filter][bad-input]") {
  try {
    LineFilter filter(FilterOptions{.patterns = {"fine", "(broken"}});
    FAIL("no PatternError");
  } catch (const PatternError& e) {
    CHECK(std::string(e.what()).find("'(broken'") != std::string::npos);
    CHECK(std::string(e.what()).find("missing )") != std::string::npos);
  }
  CHECK_THROWS_AS(LineFilter(FilterOptions{.excludes = {"[z-a]"}}), PatternError);
}

TEST_CASE("ProgressFacts: a new best score is news once", "[filter]") {
  ProgressFacts facts;
  TrainingProgress p;
  p.trial = 1;
  p.score = 0.5;
  CHECK_FALSE(facts.take(p).new_best);
  p.best_score = 0.5;
  p.is_best = true;
  CHECK(facts.take(p).new_best);
  p.trial = 2;
  p.is_best = false;
  CHECK_FALSE(facts.take(p).new_best);
  p.best_score = 0.7;
  p.is_best = true;
  CHECK(facts.take(p).new_best);
}
