// Private to kg/*.cc: the postings of the full-text index over evidence
// quotes (text_index.cc), written and read by the store.
#ifndef KG_TEXT_INDEX_INTERNAL_H_
#define KG_TEXT_INDEX_INTERNAL_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/keys.h"
#include "rocksdb/write_batch.h"

namespace kg {

// QuoteTokens(text), sorted, without duplicates: the tokens a quote has
// postings for.
std::vector<std::string> DistinctQuoteTokens(std::string_view text);

// Adds to `batch` the postings of `quote`, the quote of the evidence stored
// under `evidence_key`.
void PutQuotePostings(const Db& db, rocksdb::WriteBatch* batch,
                      std::string_view evidence_key, std::string_view quote);

// Adds to `batch` the removal of the postings of the evidence record stored
// under `evidence_key` (read under `ro`); nothing if there is no record.
absl::Status DeleteQuotePostings(const Db& db, const rocksdb::ReadOptions& ro,
                                 rocksdb::WriteBatch* batch,
                                 std::string_view evidence_key);

// Calls `fn` for each piece of evidence whose quote matches `query` (see
// Snapshot::SearchQuotes), in evidence-key order, stopping after `limit`
// calls if limit > 0. InvalidArgument if `query` has no tokens.
absl::Status SearchQuoteIndex(
    const Db& db, const rocksdb::ReadOptions& ro, std::string_view query,
    bool phrase, size_t limit,
    const std::function<absl::Status(const EvidenceKeyParts&, const EvidenceRecord&)>& fn);

}  // namespace kg

#endif  // KG_TEXT_INDEX_INTERNAL_H_
