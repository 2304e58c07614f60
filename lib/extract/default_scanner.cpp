// The seed's progress patterns and Optuna's trial lines, scanned by hand (see the header).
#include "extract/default_scanner.hpp"

#include "extract/line_bytes.hpp"
#include "extract/number_scan.hpp"

namespace logstream::extract {
namespace {

bool is_word_char(char c) noexcept { return has_class(c, cc_word); }

// `word` at a word start, followed by a blank: "Trial 3" but not "MyTrial 3" or "Trials".
std::size_t find_keyword(std::string_view text, std::string_view word, std::size_t from = 0) {
  for (std::size_t p = text.find(word, from); p != npos; p = text.find(word, p + 1)) {
    const std::size_t end = p + word.size();
    if ((p == 0 || !is_word_char(text[p - 1])) && end < text.size() && is_blank(text[end])) {
      return p;
    }
  }
  return npos;
}

// "<int>" or "<int>/<int>" at pos (blanks around '/' allowed). A value that overflows is
// ignored but still consumed, so the other half of the pair still counts.
struct Fraction {
  std::optional<std::int64_t> current;
  std::optional<std::int64_t> total;
  std::size_t end = npos;  // npos: no number at all
};

Fraction scan_fraction(std::string_view text, std::size_t pos) noexcept {
  Fraction f;
  const std::size_t digits_end = int_end(text, pos);
  if (digits_end == pos) return f;
  if (auto n = scan_int(text, pos)) f.current = n->value;
  f.end = digits_end;
  std::size_t slash = skip_blanks(text, digits_end);
  if (slash < text.size() && text[slash] == '/') {
    const std::size_t total_pos = skip_blanks(text, slash + 1);
    const std::size_t total_end = int_end(text, total_pos);
    if (total_end > total_pos) {
      if (auto m = scan_int(text, total_pos)) f.total = m->value;
      f.end = total_end;
    }
  }
  return f;
}

// "... <label> with value: <v>" after `pos`; the number after the first "value: ".
std::optional<Scanned<double>> scan_value_after(std::string_view text, std::size_t pos) {
  constexpr std::string_view label = "value:";
  const std::size_t at = text.find(label, pos);
  if (at == npos) return std::nullopt;
  auto v = scan_number(text, skip_blanks(text, at + label.size()));
  if (!v || !is_value_end(text, v->end)) return std::nullopt;
  return v;
}

// Optuna: "Trial 5 finished with value: 0.83 and parameters: {...}. Best is trial 3 with
// value: 0.91." Multi-objective lines ("values: [...]") carry no single score: skipped.
void scan_optuna(std::string_view text, std::size_t after_trial, std::int64_t trial,
                 DefaultScan& out) {
  constexpr std::string_view finished = "finished with value:";
  const std::size_t at = skip_blanks(text, after_trial);
  if (text.compare(at, finished.size(), finished) != 0) return;
  auto value = scan_value_after(text, at);
  if (!value) return;
  out.update.score = value->value;
  out.optuna_value = value->value;
  constexpr std::string_view best = "Best is trial ";
  const std::size_t best_at = text.find(best, value->end);
  if (best_at == npos) return;
  auto best_trial = scan_int(text, best_at + best.size());
  if (!best_trial) return;
  if (auto best_value = scan_value_after(text, best_trial->end)) {
    out.update.best_score = best_value->value;
  }
  out.update.best = best_trial->value == trial;
}

// Optuna numbers its trials from 0 ("Trial 0 finished", "Trial 3 pruned."), the design's lines
// from 1 ("Trial 1/3"): the trial of an Optuna line is counted as the design counts it, so
// both lines of one trial agree.
bool is_optuna_trial_status(std::string_view text, std::size_t after_trial) {
  const std::size_t at = skip_blanks(text, after_trial);
  for (std::string_view status : {"finished with value", "pruned", "failed"})
    if (text.compare(at, status.size(), status) == 0) return true;
  return false;
}

void scan_trial(std::string_view text, DefaultScan& out) {
  const std::size_t p = find_keyword(text, "Trial");
  if (p == npos) return;
  const Fraction f = scan_fraction(text, skip_blanks(text, p + 5));
  if (f.end == npos) return;
  out.update.trial_began = true;
  out.update.trial = f.current;
  out.update.total_trials = f.total;
  if (!f.total && f.current && is_optuna_trial_status(text, f.end)) {
    out.update.trial = *f.current + 1;
    scan_optuna(text, f.end, *f.current, out);
  }
}

void scan_position(std::string_view text, DefaultScan& out) {
  const std::size_t p = find_keyword(text, "Position");
  if (p == npos) return;
  const Fraction f = scan_fraction(text, skip_blanks(text, p + 8));
  if (f.end == npos) return;
  out.update.position = f.current;
  out.update.total_positions = f.total;
  // "=== XGBoost Position 1 ===": the model is what stands between the rule and the keyword.
  const std::size_t rule = text.rfind("===", p);
  if (rule == npos) return;
  const std::string_view model = trim(text.substr(rule + 3, p - rule - 3));
  if (!model.empty() && model.size() <= max_model_bytes && model.front() != '=') {
    out.update.model = model;
  }
}

void scan_score(std::string_view text, DefaultScan& out) {
  if (out.update.score) return;  // Optuna's value already is the score
  for (std::size_t p = text.find("core"); p != npos; p = text.find("core", p + 4)) {
    if (p == 0 || (text[p - 1] != 'S' && text[p - 1] != 's')) continue;
    if (p >= 2 && is_word_char(text[p - 2])) continue;  // "val_score" is some other score
    std::size_t at = skip_blanks(text, p + 4);
    if (at >= text.size() || (text[at] != '=' && text[at] != ':')) continue;
    auto v = scan_number(text, skip_blanks(text, at + 1));
    if (v && is_value_end(text, v->end)) {
      out.update.score = v->value;
      return;
    }
  }
}

}  // namespace

bool scan_default(std::string_view text, std::uint8_t bytes, DefaultScan& out) noexcept {
  if (bytes & lb_T_or_P) {
    scan_trial(text, out);
    scan_position(text, out);
  }
  if (bytes & (lb_equals | lb_colon)) scan_score(text, out);
  if ((bytes & lb_B) && (text.find("[BEST]") != npos || text.find("NEW BEST") != npos)) out.update.best = true;
  return !out.update.empty() || out.optuna_value.has_value();
}

bool scan_default(std::string_view text, DefaultScan& out) noexcept {
  return scan_default(text, line_bytes(text), out);
}

}  // namespace logstream::extract
