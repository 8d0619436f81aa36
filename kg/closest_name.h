// "Did you mean ...?" support shared by the ingest diagnostics and the query
// planner: the known name closest to a misspelt one, by case-insensitive
// edit distance, when it is close enough to be what the user meant.
#ifndef KG_CLOSEST_NAME_H_
#define KG_CLOSEST_NAME_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace kg {

// The largest edit distance at which `candidate` is still suggested for
// `word`: a third of the word's length, at least 2.
size_t SuggestionLimit(std::string_view word);

// False when `candidate` differs from `word` in length by more than the
// limit, so ClosestName can never pick it (callers may skip collecting it).
bool CouldSuggest(std::string_view word, std::string_view candidate);

// The candidate nearest to `word` (Levenshtein over bytes, ASCII letters
// compared case-insensitively) within SuggestionLimit(word); the first such
// candidate on ties; empty if none is that close.
std::string_view ClosestName(std::string_view word,
                             const std::vector<std::string_view>& candidates);

}  // namespace kg

#endif  // KG_CLOSEST_NAME_H_
