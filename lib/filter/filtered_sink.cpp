// filtered() (include/logstream/filter.hpp): a decorator that re-batches the lines it keeps.
// Kept lines and their context are views into the batch being written, or copies of the
// `before` lines of earlier batches; each run of consecutive seqs becomes one batch for the
// inner sink, and the last of them carries the whole batch's metrics and progress changes.
#include <logstream/filter.hpp>

#include <deque>
#include <span>
#include <vector>

#include "batch_copier.hpp"
#include "filter/context_window.hpp"

namespace logstream {
namespace {

class FilteredSink final : public Sink {
public:
  FilteredSink(std::shared_ptr<Sink> inner, LinePredicate keep, ContextLines context)
      : inner_(std::move(inner)), keep_(std::move(keep)), window_(context.before, context.after) {}

  void open() override { inner_->open(); }
  void flush() override { inner_->flush(); }
  void close() override { inner_->close(); }
  void on_gap(const GapEvent& gap) override {
    window_.forget();  // the held lines no longer precede what comes next
    inner_->on_gap(gap);
  }
  void on_event(const StreamEvent& event) override { inner_->on_event(event); }
  OverflowPolicy overflow() const override { return inner_->overflow(); }
  std::string name() const override { return inner_->name(); }

  void write(const LineBatch& batch) override {
    released_.clear();
    pending_.clear();
    const std::span<const ProgressChange> changes = batch.progress_changes();
    std::size_t next_change = 0;
    for (const Line& line : batch) {
      LineFacts facts;
      for (; next_change < changes.size() && changes[next_change].seq <= line.seq; ++next_change)
        if (changes[next_change].seq == line.seq) facts = progress_facts_.take(changes[next_change].progress);
      if (keep_(line, facts)) {
        const std::size_t first = released_.size();
        window_.matched([&](const OwnedLine& held) { released_.push_back(held); });
        for (std::size_t i = first; i < released_.size(); ++i) add(released_[i].view(), batch);
        add(line, batch);
      } else if (window_.owed()) {
        add(line, batch);
      } else if (window_.holds()) {
        window_.hold(OwnedLine(line));
      }
    }
    for (; next_change < changes.size(); ++next_change) progress_facts_.take(changes[next_change].progress);
    const bool carries_extraction = !batch.metrics().empty() || !changes.empty();
    if (pending_.empty() && !carries_extraction) return;
    LineBatch last = BatchCopier::copy_lines(pending_, batch.last_seq() + 1, batch);
    BatchCopier::copy_extraction(batch, last);
    pending_.clear();
    inner_->write(last);
  }

private:
  // Queues a line for the inner sink; a jump in seq first hands on the run queued so far.
  void add(const Line& line, const LineBatch& batch) {
    if (!pending_.empty() && pending_.back().seq + 1 != line.seq) {
      inner_->write(BatchCopier::copy_lines(pending_, 0, batch));
      pending_.clear();
    }
    pending_.push_back(line);
  }

  std::shared_ptr<Sink> inner_;
  LinePredicate keep_;
  filter::ContextWindow<OwnedLine> window_;
  ProgressFacts progress_facts_;
  std::vector<Line> pending_;         // the run of consecutive lines not yet handed on
  // Held lines that a kept one released, viewed by pending_: a deque, so that adding one
  // leaves the others where they are; emptied per batch.
  std::deque<OwnedLine> released_;
};

}  // namespace

std::shared_ptr<Sink> filtered(std::shared_ptr<Sink> inner, LinePredicate keep, ContextLines context) {
  return std::make_shared<FilteredSink>(std::move(inner), std::move(keep), context);
}

std::shared_ptr<Sink> filtered(std::shared_ptr<Sink> inner, const LineFilter& filter) {
  if (filter.options().keeps_all()) return inner;
  return filtered(
      std::move(inner), [filter](const Line& line, const LineFacts& facts) { return filter.keeps(line, facts); },
      ContextLines{filter.options().before, filter.options().after});
}

}  // namespace logstream
