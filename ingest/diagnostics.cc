#include "ingest/diagnostics.h"

#include <algorithm>
#include <cctype>

#include "absl/container/inlined_vector.h"

#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

// Line `line` (1-based) of `content`, without its line break.
std::string_view LineOf(std::string_view content, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    const size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = content.find('\n', start);
  if (end == std::string_view::npos) end = content.size();
  std::string_view text = content.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

// Levenshtein distance over bytes, case-insensitive; any value above
// `bound` once the distance is known to exceed it (the rows only grow).
size_t EditDistance(std::string_view a, std::string_view b, size_t bound) {
  // Names are short: the rows live on the stack (a file full of unknown
  // names asks for a suggestion per name).
  absl::InlinedVector<size_t, 48> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > bound) return row_min;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

size_t SuggestionLimit(std::string_view word) { return std::max<size_t>(2, word.size() / 3); }

}  // namespace

bool CouldSuggest(std::string_view word, std::string_view candidate) {
  const size_t diff = word.size() > candidate.size() ? word.size() - candidate.size()
                                                     : candidate.size() - word.size();
  return diff <= SuggestionLimit(word);  // the distance is at least `diff`
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  const size_t limit = SuggestionLimit(word);
  size_t best_distance = limit + 1;  // only a distance within the limit is suggested
  for (std::string_view candidate : candidates) {
    if (!CouldSuggest(word, candidate)) continue;
    const size_t d = EditDistance(word, candidate, best_distance);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (best.empty()) return "";
  return StrCat(" (did you mean '", best, "'?)");
}

std::string Diagnostics::Format() const {
  std::vector<Diagnostic> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.col < b.pos.col;
  });
  std::string out;
  // A hostile file can hold an error per byte (100,000 nested brackets took
  // two minutes to report in full): the first kMaxShown, then a count.
  constexpr size_t kMaxShown = 50;
  if (sorted.size() > kMaxShown) {
    const size_t more = sorted.size() - kMaxShown;
    sorted.resize(kMaxShown);
    sorted.push_back({sorted.back().pos, ""});  // marker, printed below
    sorted.back().message = StrCat("(", more, " more error(s) in this file not shown)");
  }
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Diagnostic& d = sorted[i];
    if (i == kMaxShown) {
      StrAppend(&out, file_, ": ", d.message, "\n");
      break;
    }
    StrAppend(&out, file_, ":", d.pos.line, ":", d.pos.col, ": error: ", d.message, "\n");
    std::string_view line = LineOf(content_, d.pos.line);
    if (FindInvalidUtf8(line)) continue;  // do not echo undecodable bytes
    if (line.size() > 300) continue;      // a caret under a huge line helps no one
    StrAppend(&out, line, "\n");
    // Keep tabs so the caret lines up under tab-indented text.
    std::string caret;
    int col = 1;
    for (size_t i = 0; i < line.size() && col < d.pos.col; ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      if ((c & 0xC0) == 0x80) continue;
      caret.push_back(c == '\t' ? '\t' : ' ');
      ++col;
    }
    while (col < d.pos.col) {
      caret.push_back(' ');
      ++col;
    }
    StrAppend(&out, caret, "^\n");
  }
  return out;
}

}  // namespace kg::ingest
