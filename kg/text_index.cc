// The full-text index over evidence quotes: the tokenizer, the postings the
// write path adds and removes in its batch, and the posting-list
// intersection behind Snapshot::SearchQuotes.
#include "kg/text_index.h"

#include <algorithm>

#include "kg/codec.h"
#include "kg/prepared.h"
#include "kg/text_index_internal.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "rocksdb/write_batch.h"

namespace kg {
namespace {

// Non-ASCII code points that separate words (punctuation, spaces, symbols).
constexpr struct {
  char32_t lo, hi;
} kSeparators[] = {
    {0x0080, 0x00A9}, {0x00AB, 0x00B4}, {0x00B6, 0x00B9}, {0x00BB, 0x00BF},
    {0x00D7, 0x00D7}, {0x00F7, 0x00F7}, {0x02BC, 0x02BC}, {0x037E, 0x037E},
    {0x0387, 0x0387}, {0x1680, 0x1680}, {0x2000, 0x206F}, {0x20A0, 0x20CF},
    {0x2190, 0x2BFF}, {0x2E00, 0x2E7F}, {0x3000, 0x303F}, {0xFE00, 0xFE1F},
    {0xFE30, 0xFE6F}, {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F}, {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF},
    {0xE0000, 0xE007F},
};

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  }
  for (const auto& r : kSeparators) {
    if (cp < r.lo) return true;  // the table is sorted
    if (cp <= r.hi) return false;
  }
  return true;
}

char32_t ToLower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp == 0x130) return 'i';
  if (cp == 0x178) return 0xFF;
  // Latin Extended-A: upper/lower pairs, upper first.
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) {
    return cp % 2 == 0 ? cp + 1 : cp;
  }
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
    return cp % 2 == 1 ? cp + 1 : cp;
  }
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 0x20;  // Greek
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                 // Cyrillic
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  return cp;
}

// Whether a quote with tokens `quote` matches the query `query`.
bool Matches(const std::vector<std::string>& quote,
             const std::vector<std::string>& query, bool phrase) {
  if (phrase) {
    return std::search(quote.begin(), quote.end(), query.begin(), query.end()) !=
           quote.end();
  }
  return std::all_of(query.begin(), query.end(), [&](const std::string& t) {
    return std::find(quote.begin(), quote.end(), t) != quote.end();
  });
}

// One token's posting list, positioned by evidence key.
class PostingCursor {
 public:
  PostingCursor(const Db& db, const rocksdb::ReadOptions& ro, std::string_view token)
      : prefix_(TextPrefix(token)), it_(db.db->NewIterator(ro, db.cf(Cf::kText))) {}

  // Moves to the first posting whose evidence key is >= `target`; false if
  // there is none.
  absl::StatusOr<bool> SeekAtLeast(std::string_view target) {
    if (positioned_) {
      if (current_ >= target) return true;
      it_->Next();  // often the next posting is the one wanted
      if (Settle() && current_ >= target) return true;
      if (!positioned_) return End();
    }
    it_->Seek(StrCat(prefix_, target));
    if (!Settle()) return End();
    return true;
  }
  const std::string& current() const { return current_; }

 private:
  bool Settle() {
    positioned_ = it_->Valid() && it_->key().starts_with(prefix_);
    if (positioned_) current_ = it_->key().ToStringView().substr(prefix_.size());
    return positioned_;
  }
  absl::StatusOr<bool> End() {
    KG_RETURN_IF_ERROR(FromRocks(it_->status(), "scanning the text index"));
    return false;
  }

  std::string prefix_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool positioned_ = false;
  std::string current_;  // evidence key of the current posting
};

}  // namespace

std::vector<std::string> QuoteTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = DecodeUtf8(text, &i);
    if (cp != kInvalidUtf8 && IsWordChar(cp)) {  // each invalid byte separates
      AppendUtf8(&word, ToLower(cp));
    } else if (!word.empty()) {
      tokens.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) tokens.push_back(std::move(word));
  return tokens;
}

std::vector<std::string> DistinctQuoteTokens(std::string_view text) {
  std::vector<std::string> tokens = QuoteTokens(text);
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

void PutQuotePostings(const Db& db, rocksdb::WriteBatch* batch,
                      std::string_view evidence_key, std::string_view quote) {
  for (const std::string& token : DistinctQuoteTokens(quote)) {
    batch->Put(db.cf(Cf::kText), TextKey(token, evidence_key), "");
  }
}

absl::Status DeleteQuotePostings(const Db& db, const rocksdb::ReadOptions& ro,
                                 rocksdb::WriteBatch* batch,
                                 std::string_view evidence_key) {
  std::string value;
  auto s = db.db->Get(ro, db.cf(Cf::kEvidence),
                      rocksdb::Slice(evidence_key.data(), evidence_key.size()), &value);
  if (s.IsNotFound()) return absl::OkStatus();
  KG_RETURN_IF_ERROR(FromRocks(s, "reading evidence"));
  KG_ASSIGN_OR_RETURN(EvidenceRecord rec, DecodeEvidenceValue(value));
  for (const std::string& token : DistinctQuoteTokens(rec.quote)) {
    batch->Delete(db.cf(Cf::kText), TextKey(token, evidence_key));
  }
  return absl::OkStatus();
}

absl::Status SearchQuoteIndex(
    const Db& db, const rocksdb::ReadOptions& ro, std::string_view query,
    bool phrase, size_t limit,
    const std::function<absl::Status(const EvidenceKeyParts&, const EvidenceRecord&)>& fn) {
  const std::vector<std::string> tokens = QuoteTokens(query);
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        StrCat("search text \"", query, "\" has no words to search for"));
  }
  std::vector<PostingCursor> cursors;
  for (const std::string& token : DistinctQuoteTokens(query)) {
    cursors.emplace_back(db, ro, token);
  }
  // Leapfrog intersection: move every list to the largest evidence key seen
  // until all agree; each list skips ahead by seeking, so a rare token keeps
  // the work small whatever its position in the query.
  std::string target;
  size_t found = 0;
  while (true) {
    bool agreed = true;
    for (PostingCursor& c : cursors) {
      KG_ASSIGN_OR_RETURN(bool more, c.SeekAtLeast(target));
      if (!more) return absl::OkStatus();
      if (c.current() != target) {
        target = c.current();
        agreed = false;
      }
    }
    if (!agreed) continue;

    auto parts = ParseEvidenceKey(target);
    if (!parts) return absl::DataLossError("malformed text index key");
    std::string value;
    auto s = db.db->Get(ro, db.cf(Cf::kEvidence), target, &value);
    if (s.IsNotFound()) {
      return absl::DataLossError(StrCat(
          "text index refers to evidence (claim ", parts->claim.ToHex(),
          ", #", parts->ordinal, ") that is not stored; run check"));
    }
    KG_RETURN_IF_ERROR(FromRocks(s, "reading evidence"));
    KG_ASSIGN_OR_RETURN(EvidenceRecord rec, DecodeEvidenceValue(value));
    // The index guarantees every word; the phrase needs the quote itself.
    if (Matches(QuoteTokens(rec.quote), tokens, phrase)) {
      KG_RETURN_IF_ERROR(fn(*parts, rec));
      if (++found == limit) return absl::OkStatus();
    }
    target.push_back('\0');  // the smallest key after this one
  }
}

}  // namespace kg
