// The store's transaction log: one record per committed write -- a
// document written, replaced, appended to or deleted, vocabulary entities
// or rules set, a bulk load -- written in the same atomic batch as the
// write itself, with a sequential id, the time, and the user and command
// line of the process that wrote it. `kg log` lists it (issue 25: the
// foundation of history: "what changed since yesterday's ingest?").
#ifndef KG_TXLOG_H_
#define KG_TXLOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kg {

struct TxRecord {
  uint64_t id = 0;            // 1, 2, 3, ... in commit order
  int64_t unix_micros = 0;    // wall-clock time of the commit
  std::string user;           // the writing process's user ("" if unknown)
  std::string command;        // its command line
  // "write" (a new document), "replace" (a document written again),
  // "append" (a chunk added to a document), "delete", "entities",
  // "rules", "bulk" (a bulk load: `document` empty).
  std::string kind;
  std::string document;  // the document id, for document writes
  // How much it wrote: pieces of evidence (write, replace, append), pieces
  // removed (delete), entities, rules, or documents (bulk).
  uint64_t count = 0;
};

// The meta-family key of transaction `id` (sorts in id order).
std::string TxKey(uint64_t id);
inline constexpr std::string_view kTxKeyPrefix = "tx/";
std::string EncodeTx(const TxRecord& tx);
// The index of a document's transactions: TxDocKey(document, id) -> "",
// written with the record.
inline constexpr std::string_view kTxDocKeyPrefix = "txdoc/";
std::string TxDocKey(std::string_view document, uint64_t id);
absl::StatusOr<TxRecord> DecodeTx(std::string_view key, std::string_view value);

}  // namespace kg

#endif  // KG_TXLOG_H_
