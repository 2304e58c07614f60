// A sink that checks, in the stream itself, that every committed generator line arrives in order.
#pragma once

#include <logstream/sink.hpp>

#include "seq_checker.hpp"

namespace bench {

/// Feeds each committed line (transient CR states skipped) to a SeqChecker. Read checker()
/// only after the stream completed.
class CheckingSink : public logstream::Sink {
public:
  void write(const logstream::LineBatch& batch) override {
    for (const logstream::Line& line : batch)
      if (!line.transient && !line.continued) checker_.feed(line.text);
  }
  std::string name() const override { return "check"; }
  const SeqChecker& checker() const noexcept { return checker_; }

private:
  SeqChecker checker_;
};

}  // namespace bench
