// Sinks for tests: one that counts and checks order, one that fails on demand.
#pragma once

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <logstream/sink.hpp>

namespace logstream::test {

/// Counts committed lines per source and checks that sequence numbers only grow.
class CountingSink : public Sink {
public:
  void write(const LineBatch& batch) override {
    for (const Line& line : batch) {
      if (line.seq <= last_seq_) ordered_ = false;
      last_seq_ = line.seq;
      if (line.transient) continue;
      ++lines_[static_cast<std::size_t>(line.source)];
      bytes_ += line.text.size();
    }
  }
  void close() override { closed_ = true; }
  std::string name() const override { return "counting"; }

  std::uint64_t lines(Source source) const { return lines_[static_cast<std::size_t>(source)]; }
  std::uint64_t bytes() const { return bytes_; }
  bool ordered() const { return ordered_; }
  bool closed() const { return closed_; }

private:
  std::atomic<std::uint64_t> lines_[2] = {0, 0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> last_seq_{0};
  std::atomic<bool> ordered_{true};
  std::atomic<bool> closed_{false};
};

/// Throws a std::system_error from open() or from every write(), as a broken disk would.
class FailingSink : public Sink {
public:
  enum class When { open, write };
  explicit FailingSink(When when) : when_(when) {}
  void open() override {
    if (when_ == When::open) throw std::system_error(EIO, std::generic_category(), "failing sink cannot open");
  }
  void write(const LineBatch&) override {
    ++writes_;
    if (when_ == When::write) throw std::system_error(ENOSPC, std::generic_category(), "failing sink is full");
  }
  std::string name() const override { return "failing"; }
  std::uint64_t writes() const { return writes_; }

private:
  When when_;
  std::atomic<std::uint64_t> writes_{0};
};

}  // namespace logstream::test
