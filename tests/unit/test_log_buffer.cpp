// LogBuffer: the last N lines, transient states collapsed, bounded in lines and bytes.
#include <catch2/catch.hpp>

#include <logstream/log_buffer.hpp>

#include <array>
#include <optional>
#include <random>

#include "framing_support.hpp"
#include "random_stream.hpp"
#include "sink_access.hpp"

using namespace logstream;

namespace {
// The stream feeds a LogBuffer through its Sink hooks, a private base only the stream reaches.
void feed(LogBuffer& buffer, const LineBatch& batch) { detail::SinkAccess::sink(buffer).write(batch); }

LineBatch batch_of(Framer& framer, std::string_view bytes, Source source = Source::out) {
  Chunk c;
  c.bytes = ByteBuffer::copy_of(bytes);
  c.source = source;
  return framer.frame(std::move(c));
}
}  // namespace

TEST_CASE("log buffer: keeps the last N lines, oldest first", "[buffer]") {
  LogBuffer buffer({.max_lines = 3});
  Framer framer;
  feed(buffer, batch_of(framer, "1\n2\n3\n4\n5\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"3", "4", "5"});
  CHECK(buffer.texts(2) == std::vector<std::string>{"4", "5"});
  CHECK(buffer.texts(10) == std::vector<std::string>{"3", "4", "5"});
  CHECK(buffer.joined(2) == "4\n5");
  auto lines = buffer.lines();
  CHECK(lines.front().seq == 3);
  CHECK(lines.back().seq == 5);
}

TEST_CASE("log buffer: a transient line keeps only its latest state", "[buffer]") {
  LogBuffer buffer({.max_lines = 10});
  Framer framer;
  feed(buffer, batch_of(framer, "start\n\r 10%\r 20%"));
  CHECK(buffer.texts() == std::vector<std::string>{"start", " 20%"});
  feed(buffer, batch_of(framer, "\r100%\nnext\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"start", "100%", "next"});
}

TEST_CASE("log buffer: stderr lines do not overwrite a stdout progress line", "[buffer]") {
  LogBuffer buffer({.max_lines = 10});
  Framer framer;
  feed(buffer, batch_of(framer, "\r 50%", Source::out));
  feed(buffer, batch_of(framer, "warning\n", Source::err));
  feed(buffer, batch_of(framer, "\r 60%\n", Source::out));
  CHECK(buffer.texts() == std::vector<std::string>{" 60%", "warning"});
}

TEST_CASE("log buffer: a byte budget evicts the oldest lines first", "[buffer]") {
  LogBuffer buffer({.max_lines = 100, .max_bytes = 10});
  Framer framer;
  feed(buffer, batch_of(framer, "aaaa\nbbbb\ncccc\n"));
  CHECK(buffer.texts() == std::vector<std::string>{"bbbb", "cccc"});
  feed(buffer, batch_of(framer, std::string(50, 'z') + "\n"));
  CHECK(buffer.size() == 1);  // the newest line is kept even when it alone is over budget
}

namespace {

/// The buffer's rules, kept naively: a deque of lines, each source's latest transient line
/// replaced in place by that source's next line, the oldest evicted past either bound.
class BufferModel {
public:
  BufferModel(std::size_t max_lines, std::size_t max_bytes) : max_lines_(std::max<std::size_t>(1, max_lines)), max_bytes_(max_bytes) {}

  void push(const Line& line) {
    const auto s = static_cast<std::size_t>(line.source);
    Entry* entry = nullptr;
    for (Entry& e : lines_)
      if (open_[s] && e.id == *open_[s]) entry = &e;
    if (!entry) {
      if (lines_.size() == max_lines_) evict();
      lines_.push_back(Entry{next_id_++, {}});
      entry = &lines_.back();
    }
    entry->text = std::string(line.text);
    open_[s] = line.transient ? std::optional<std::uint64_t>(entry->id) : std::nullopt;
    while (bytes() > max_bytes_ && lines_.size() > 1) evict();
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const Entry& e : lines_) out.push_back(e.text);
    return out;
  }

private:
  struct Entry {
    std::uint64_t id;
    std::string text;
  };
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const Entry& e : lines_) n += e.text.size();
    return n;
  }
  void evict() {
    for (auto& open : open_)
      if (open && *open == lines_.front().id) open.reset();
    lines_.erase(lines_.begin());
  }

  std::size_t max_lines_;
  std::size_t max_bytes_;
  std::vector<Entry> lines_;
  std::array<std::optional<std::uint64_t>, 2> open_{};
  std::uint64_t next_id_ = 0;
};

}  // namespace

TEST_CASE("log buffer: random batches of both sources keep what the model keeps", "[buffer][model]") {
  std::mt19937_64 rng(Catch::rngSeed() + 31);
  for (int round = 0; round < 400; ++round) {
    const std::size_t max_lines = std::uniform_int_distribution<std::size_t>(0, 300)(rng);
    const std::size_t max_bytes = (rng() % 2) ? 8 << 20 : std::uniform_int_distribution<std::size_t>(1, 2000)(rng);
    LogBuffer buffer({.max_lines = max_lines, .max_bytes = max_bytes});
    BufferModel model(max_lines, max_bytes);
    Framer framer({.max_line_bytes = 64});
    INFO("round " << round << ", max_lines " << max_lines << ", max_bytes " << max_bytes);
    for (int b = 0; b < 20; ++b) {
      const Source source = (rng() % 3 == 0) ? Source::err : Source::out;
      const LineBatch batch = batch_of(framer, test::random_stream(rng, rng() % 3000, 64), source);
      feed(buffer, batch);
      for (const Line& line : batch) model.push(line);
      REQUIRE(buffer.texts() == model.texts());
    }
  }
}
