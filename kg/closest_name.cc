#include "kg/closest_name.h"

#include <algorithm>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"

namespace kg {
namespace {

// Levenshtein distance of the already case-folded `a` and `b`; any value
// above `bound` once the distance is known to exceed it (the row minimum
// never decreases). One row, on the stack for names of usual length: a file
// full of unknown names asks for a suggestion per name.
size_t EditDistance(std::string_view a, std::string_view b, size_t bound) {
  absl::InlinedVector<size_t, 64> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];  // row[i-1][j-1]
    row[0] = i;
    size_t row_min = i;
    const char ca = a[i - 1];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const size_t replace = diag + (ca == b[j - 1] ? 0 : 1);
      row[j] = std::min(std::min(up, row[j - 1]) + 1, replace);
      diag = up;
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > bound) return row_min;
  }
  return row[b.size()];
}

}  // namespace

size_t SuggestionLimit(std::string_view word) { return std::max<size_t>(2, word.size() / 3); }

bool CouldSuggest(std::string_view word, std::string_view candidate) {
  const size_t diff = word.size() > candidate.size() ? word.size() - candidate.size()
                                                     : candidate.size() - word.size();
  return diff <= SuggestionLimit(word);  // the distance is at least `diff`
}

std::string_view ClosestName(std::string_view word,
                             const std::vector<std::string_view>& candidates) {
  std::string folded_word(word);
  absl::AsciiStrToLower(&folded_word);
  std::string folded;
  std::string_view best;
  size_t best_distance = SuggestionLimit(word) + 1;  // only a distance within the limit counts
  for (std::string_view candidate : candidates) {
    if (!CouldSuggest(word, candidate)) continue;
    folded.assign(candidate);
    absl::AsciiStrToLower(&folded);
    const size_t d = EditDistance(folded_word, folded, best_distance);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace kg
