// LineCursor against a model: a log and its lines.idx written as the recorder lays them out
// (seqs with holes where transient lines were, continued pieces, both sources), read from any
// start (the last N, from a seq, the N before a seq) in reads of any budget, while it grows.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "store/line_index.hpp"
#include "temp_dir.hpp"

using logstream::StoredLine;
using logstream::store::LineCursor;
using logstream::store::LineIndexRecord;
using logstream::test::TempDir;

namespace {

struct ModelLine {
  std::uint64_t seq;
  bool is_stderr;
  bool continued;
  std::string text;
};

std::vector<ModelLine> random_lines(std::mt19937& rng, std::size_t count) {
  std::vector<ModelLine> out;
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < count; ++i) {
    seq += std::uniform_int_distribution<int>(0, 4)(rng) == 0 ? 2 : 1;  // a transient line took a seq
    std::string text(std::uniform_int_distribution<std::size_t>(0, 40)(rng), 'x');
    for (char& c : text) c = static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng));
    const bool continued = std::uniform_int_distribution<int>(0, 9)(rng) == 0 && !text.empty();
    out.push_back(ModelLine{seq, std::uniform_int_distribution<int>(0, 2)(rng) == 0, continued, text});
  }
  if (!out.empty()) out.back().continued = false;  // a run's last line is whole
  return out;
}

// Appends lines [from, to) to the log and the index as the recorder writes them.
void append(const TempDir& dir, const std::vector<ModelLine>& lines, std::size_t from, std::size_t to) {
  std::ofstream log(dir / "output.log", std::ios::binary | std::ios::app);
  std::ofstream index(dir / "lines.idx", std::ios::binary | std::ios::app);
  std::uint64_t offset = std::filesystem::exists(dir / "output.log") ? std::filesystem::file_size(dir / "output.log") : 0;
  for (std::size_t i = from; i < to; ++i) {
    const ModelLine& l = lines[i];
    std::uint64_t flags = (l.is_stderr ? LineIndexRecord::stderr_flag : 0) | (l.continued ? LineIndexRecord::continued_flag : 0);
    const LineIndexRecord record{l.seq << 2 | flags, LineIndexRecord::pack(offset, logstream::Level::none), static_cast<std::int64_t>(l.seq) * 1000};
    index.write(reinterpret_cast<const char*>(&record), sizeof record);
    log << l.text;
    if (!l.continued) log << '\n';
    offset += l.text.size() + (l.continued ? 0 : 1);
  }
}

// What a start selects of the model's lines.
std::vector<ModelLine> expected(const std::vector<ModelLine>& lines, const LineCursor::Start& start) {
  std::vector<ModelLine> out;
  for (const ModelLine& l : lines)
    if (l.seq >= start.from_seq && (start.before_seq == 0 || l.seq < start.before_seq)) out.push_back(l);
  if (start.last && out.size() > *start.last) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(*start.last));
  return out;
}

}  // namespace

TEST_CASE("line index: a cursor from any start, in reads of any budget, hands out the model's lines once", "[store]") {
  std::mt19937 rng(Catch::rngSeed());
  for (int round = 0; round < 150; ++round) {
    TempDir dir;
    const auto lines = random_lines(rng, std::uniform_int_distribution<std::size_t>(0, 300)(rng));
    const std::uint64_t last_seq = lines.empty() ? 1 : lines.back().seq;
    LineCursor::Start start;
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0: break;
      case 1: start.last = std::uniform_int_distribution<std::size_t>(0, 320)(rng); break;
      case 2: start.from_seq = std::uniform_int_distribution<std::uint64_t>(0, last_seq + 3)(rng); break;
      case 3:
        start.before_seq = std::uniform_int_distribution<std::uint64_t>(1, last_seq + 3)(rng);
        start.last = std::uniform_int_distribution<std::size_t>(1, 100)(rng);
        break;
    }
    // Written in two parts: the cursor's first read sees the first, later reads the rest.
    const std::size_t split = std::uniform_int_distribution<std::size_t>(0, lines.size())(rng);
    append(dir, lines, 0, split);
    const auto want = expected(start.before_seq > 0 || start.last ? std::vector<ModelLine>(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(split)) : lines, start);
    LineCursor cursor(dir / "output.log", dir / "lines.idx", start);
    std::vector<StoredLine> got;
    const auto budget = [&] { return std::uniform_int_distribution<std::size_t>(1, 50)(rng); };
    auto collect = [&](StoredLine&& line) { got.push_back(std::move(line)); };
    std::size_t n = cursor.read(collect, false, budget());
    if (!(start.before_seq > 0 || start.last)) {
      append(dir, lines, split, lines.size());
    }
    for (int guard = 0; guard < 10000; ++guard) {
      n = cursor.read(collect, true, budget());
      if (n == 0) break;
    }
    INFO("round " << round << ", " << lines.size() << " lines, split " << split << ", last " << start.last.value_or(0)
                  << ", from " << start.from_seq << ", before " << start.before_seq);
    if (start.before_seq > 0) {
      // The page before a seq is what was there at the first read, at most `last` lines.
      std::vector<StoredLine> page(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(std::min(got.size(), want.size())));
      got = page;
    }
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(got[i].seq == want[i].seq);
      CHECK(got[i].text == want[i].text);
      CHECK(got[i].is_stderr == want[i].is_stderr);
      CHECK(got[i].continued == want[i].continued);
    }
  }
}

TEST_CASE("line index: a raw log without an index splits at newlines, from a seq and before one", "[store]") {
  TempDir dir;
  {
    std::ofstream log(dir / "output.log", std::ios::binary);
    for (int i = 1; i <= 100; ++i) log << "line " << i << '\n';
  }
  auto read_all = [&](LineCursor::Start start, std::size_t budget) {
    LineCursor cursor(dir / "output.log", dir / "none.idx", start);
    std::vector<std::uint64_t> seqs;
    while (cursor.read([&](StoredLine&& l) { seqs.push_back(l.seq); CHECK(l.text == "line " + std::to_string(l.seq)); }, true, budget) > 0) {
    }
    return seqs;
  };
  auto range = [](std::uint64_t a, std::uint64_t b) {
    std::vector<std::uint64_t> out;
    for (auto s = a; s <= b; ++s) out.push_back(s);
    return out;
  };
  CHECK(read_all({}, 7) == range(1, 100));
  CHECK(read_all({.from_seq = 95}, 2) == range(95, 100));
  CHECK(read_all({.last = 3}, 100) == range(98, 100));
  CHECK(read_all({.last = 10, .before_seq = 50}, 10) == range(40, 49));
}

TEST_CASE("line index: a byte budget hands out long lines a few at a time, each whole", "[store]") {
  TempDir dir;
  std::mt19937 rng(Catch::rngSeed() + 4);
  std::vector<ModelLine> lines;
  for (std::uint64_t seq = 1; seq <= 60; ++seq) {
    const std::size_t size = std::uniform_int_distribution<std::size_t>(0, 3 << 20)(rng);
    lines.push_back(ModelLine{seq, false, false, std::string(size, static_cast<char>('a' + seq % 26))});
  }
  append(dir, lines, 0, lines.size());
  LineCursor cursor(dir / "output.log", dir / "lines.idx", LineCursor::Start{});
  std::vector<StoredLine> got;
  constexpr std::size_t budget = 4 << 20;
  for (;;) {
    std::size_t bytes = 0;
    std::size_t before = got.size();
    const std::size_t n = cursor.read(
        [&](StoredLine&& line) {
          bytes += line.text.size();
          got.push_back(std::move(line));
        },
        true, 1000, budget);
    if (n == 0) break;
    // No line is begun once the budget is spent: what a read hands out is the budget plus one line at most.
    CHECK(bytes - got.back().text.size() < budget);
    CHECK(n == got.size() - before);
  }
  REQUIRE(got.size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(got[i].seq == lines[i].seq);
    CHECK(got[i].text == lines[i].text);
  }
}
