// The tokenizer of the full-text index over evidence quotes. The store keeps
// one posting per distinct token of every non-empty quote (column family
// "text", schemas/storage-format.md) and answers Snapshot::SearchQuotes from
// it; queries are tokenized by the same function, so both sides agree.
#ifndef KG_TEXT_INDEX_H_
#define KG_TEXT_INDEX_H_

#include <string>
#include <string_view>
#include <vector>

namespace kg {

// The words of `text`, in order, duplicates kept. A word is a maximal run of
// word characters: ASCII letters and digits, and every code point >= U+0080
// except the separators listed below. Everything else separates words, in
// particular:
//   - apostrophes (' U+0027, ‘ U+2018, ’ U+2019, ʼ U+02BC): "Russia's" and
//     "Russia’s" both give "russia", "s";
//   - hyphens and dashes: "Kendall-Taylor" gives "kendall", "taylor";
//   - digit grouping and decimal marks: "2,700" gives "2", "700" and "26.5"
//     gives "26", "5" (letters and digits do join: "5G" gives "5g");
//   - Latin-1 punctuation and symbols (U+0080..U+00BF but ª µ º, × ÷), the
//     General Punctuation, currency, arrow/math/shape/dingbat, CJK punctuation,
//     fullwidth punctuation and emoji blocks, and invalid UTF-8 bytes.
// Letters are lower-cased: ASCII, Latin-1, Latin Extended-A (İ gives i), and
// the basic Greek and Cyrillic capitals; other characters are kept as they
// are. No Unicode normalization, stemming or stop words: "Zürich" in NFC
// and in NFD are different words.
std::vector<std::string> QuoteTokens(std::string_view text);

}  // namespace kg

#endif  // KG_TEXT_INDEX_H_
