// Line framing: LF, CRLF, lone-CR overwrites, over-long lines, and lines that span reads.
#include "framer.hpp"

#include <algorithm>
#include <cstring>

#include "line_batch_records.hpp"

namespace logstream {
namespace {

constexpr std::size_t kMaxLineLimit = std::size_t{1} << 30;  // offsets are 32-bit
constexpr std::size_t kCarryShrinkAbove = 256 * 1024;

const char* find(const char* begin, const char* end, char c) noexcept {
  return static_cast<const char*>(std::memchr(begin, c, static_cast<std::size_t>(end - begin)));
}

}  // namespace

/// Appends the lines of one source to one batch; owns no state of its own.
class Framer::Builder {
public:
  Builder(LineBatch& batch, State& state, Source source, std::size_t max_line)
      : batch_(batch), state_(state), source_(source), max_(max_line) {}

  /// The line made of the carried text plus [b, e).
  void line(const char* b, const char* e, Terminator terminator, bool transient) {
    std::string& carry = state_.carry;
    std::size_t total = carry.size() + static_cast<std::size_t>(e - b);
    // Pieces already committed cannot be overwritten: a line that had to be cut ends as a
    // committed line at its CR too, so the log keeps it whole instead of gluing it to the next.
    if (transient && (state_.cut || total > max_)) transient = false;
    if (transient && total == 0) return;
    // The state was shown as it is when it was read (partial()): its CR adds nothing to show.
    if (transient && state_.shown && b == e) {
      clear_carry();
      return;
    }
    if (total > max_) {
      if (!carry.empty()) {
        std::size_t need = std::min(max_ - std::min(max_, carry.size()), static_cast<std::size_t>(e - b));
        joined(carry, std::string_view(b, need), Terminator::none, false, true);
        clear_carry();
        b += need;
      }
      while (static_cast<std::size_t>(e - b) > max_) {
        view(b, b + max_, Terminator::none, false, true);
        b += max_;
      }
    }
    if (carry.empty()) {
      view(b, e, terminator, transient, false);
    } else {
      joined(carry, std::string_view(b, static_cast<std::size_t>(e - b)), terminator, transient, false);
      clear_carry();
    }
    state_.cut = false;
  }

  /// Keeps [b, e) for the line's next read, cutting a `continued` piece whenever it fills up.
  void append_carry(const char* b, const char* e) {
    std::string& carry = state_.carry;
    while (carry.size() + static_cast<std::size_t>(e - b) > max_) {
      std::size_t need = max_ - std::min(max_, carry.size());
      joined(carry, std::string_view(b, need), Terminator::none, false, true);
      clear_carry();
      b += need;
    }
    if (b != e) state_.shown = false;
    carry.append(b, e);
  }

  /// The carried text alone ends here.
  void carry_line(Terminator terminator, bool transient) { line(nullptr, nullptr, terminator, transient); }

  /// Shows the text after a CR before its end arrives (the carry is kept).
  void partial() {
    joined(state_.carry, {}, Terminator::none, true, false);
    state_.shown = true;
  }

private:
  void view(const char* b, const char* e, Terminator terminator, bool transient, bool continued) {
    // An empty line keeps its real offset too: the file view writes an LF line together with
    // the '\n' that follows it in the buffer. Only the empty carry (b null) has no place there.
    auto offset = b ? static_cast<std::uint32_t>(b - batch_.raw_.get()) : 0;
    push(offset, static_cast<std::uint32_t>(e - b), terminator, transient, continued, false);
  }
  void joined(std::string_view head, std::string_view tail, Terminator terminator, bool transient,
              bool continued) {
    auto offset = static_cast<std::uint32_t>(batch_.joined_.size());
    batch_.joined_.append(head).append(tail);
    push(offset, static_cast<std::uint32_t>(head.size() + tail.size()), terminator, transient, continued, true);
  }
  void push(std::uint32_t offset, std::uint32_t length, Terminator terminator, bool transient, bool continued,
            bool in_joined) {
    if (continued) state_.cut = true;
    batch_.records_.push_back(
        LineBatch::Record{offset, length, source_, terminator, transient, continued, in_joined, Level::none});
  }
  void clear_carry() {
    state_.carry.clear();
    state_.shown = false;
    if (state_.carry.capacity() > kCarryShrinkAbove) state_.carry.shrink_to_fit();
  }

  LineBatch& batch_;
  State& state_;
  Source source_;
  std::size_t max_;
};

Framer::Framer(FramingOptions options) : options_(options) {
  options_.max_line_bytes = std::clamp<std::size_t>(options_.max_line_bytes, 1, kMaxLineLimit);
}

LineBatch Framer::frame(Chunk chunk) {
  LineBatch batch;
  batch.raw_size_ = chunk.bytes.size();
  batch.raw_capacity_ = chunk.bytes.capacity();
  batch.raw_ = chunk.bytes.release();
  batch.source_ = chunk.source;
  batch.first_seq_ = next_seq_;
  batch.arrival_ = chunk.arrival;
  batch.wall_time_ = chunk.wall_time;
  batch.records_.reserve(batch.raw_size_ / 64 + 2);

  State& st = states_[static_cast<std::size_t>(chunk.source)];
  Builder out(batch, st, chunk.source, options_.max_line_bytes);
  const char* p = batch.raw_.get();
  const char* const end = p + batch.raw_size_;

  if (st.pending_cr && p < end) {
    st.pending_cr = false;
    if (*p == '\n') {
      out.carry_line(Terminator::crlf, false);
      st.after_cr = false;
      ++p;
    } else {
      out.carry_line(Terminator::cr, true);
      st.after_cr = true;
    }
  }

  while (p < end) {
    const char* nl = find(p, end, '\n');
    const char* stop = nl ? nl : end;
    const char* q = p;
    bool ended = false;  // the text up to `stop` was consumed by a CRLF or a trailing CR
    while (const char* cr = find(q, stop, '\r')) {
      if (nl && cr + 1 == nl) {
        out.line(q, cr, Terminator::crlf, false);
        ended = true;
        break;
      }
      if (!nl && cr + 1 == end) {
        out.append_carry(q, cr);
        st.pending_cr = true;
        ended = true;
        break;
      }
      out.line(q, cr, Terminator::cr, true);
      st.after_cr = true;
      q = cr + 1;
    }
    if (nl) {
      if (!ended) out.line(q, nl, Terminator::lf, false);
      st.after_cr = false;
      p = nl + 1;
    } else {
      if (!ended) out.append_carry(q, end);
      p = end;
    }
  }
  if (st.after_cr && !st.pending_cr && !st.carry.empty()) out.partial();

  next_seq_ += batch.records_.size();
  return batch;
}

LineBatch Framer::finish(Source source) {
  LineBatch batch;
  batch.source_ = source;
  batch.first_seq_ = next_seq_;
  batch.arrival_ = std::chrono::steady_clock::now();
  batch.wall_time_ = std::chrono::system_clock::now();
  State& st = states_[static_cast<std::size_t>(source)];
  Builder out(batch, st, source, options_.max_line_bytes);
  if (!st.carry.empty()) out.carry_line(st.pending_cr ? Terminator::cr : Terminator::none, false);
  st = State{};
  next_seq_ += batch.records_.size();
  return batch;
}

}  // namespace logstream
