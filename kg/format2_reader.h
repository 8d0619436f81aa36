// A reader of on-disk format version 2 (16-byte hashed term ids; the layout
// is in schemas/storage-format.md as of format 2), for `kg upgrade`. It is
// self-contained: it decodes keys, term ids and the dictionary itself and
// shares only the record codecs (kg/codec.h) and the model with the rest of
// kg, so it keeps reading version-2 stores after the store moves on.
//
// The reader hands out the store's content as the writes that recreate it:
// the entity records for Store::PutEntities, then each document as a
// DocumentWrite for Store::WriteDocument followed by further chunks of its
// claims for Store::AppendToDocument.
#ifndef KG_FORMAT2_READER_H_
#define KG_FORMAT2_READER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/model.h"

namespace kg::format2 {

struct ReadOptions {
  // Most claims in one DocumentWrite passed to Visitor::document.
  // Default: 100000
  size_t max_claims_per_chunk = 100000;
  // A document's evidence is keyed by claim, so putting it back in ordinal
  // order takes a table of 16 bytes per ordinal; a document with more
  // ordinals than this is read in several passes over its evidence keys, one
  // per range of this many ordinals. Default: 8M (128 MiB)
  size_t ordinals_per_pass = size_t{8} << 20;
};

struct Visitor {
  // Called once, before any document, with every entity record (canonical
  // name, declared aliases, type), in the store's key order. May be empty.
  std::function<absl::Status(const std::vector<Entity>&)> entities;
  // Called for each document, in the store's key order (by id hash): first
  // with `first` set, every Document field (links, text, date, ...) and its
  // first claims, then, if it has more than ReadOptions::max_claims_per_chunk
  // claims, with further chunks in which only document.id and claims are
  // set. Claims come in the order the document's writes gave them (evidence
  // ordinal order). The evidence that the document's links add is left out
  // (writing the links recreates it). `entities` is always empty. May be
  // empty. A non-OK status stops the read and is returned.
  std::function<absl::Status(const DocumentWrite& chunk, bool first)> document;
};

// True if `path` holds a RocksDB database whose `default` column family has
// format_version "2"; false if it holds no database, no format version or
// another version. Errors: DataLoss or Unavailable if the database is there
// but cannot be read. Never writes to `path`.
absl::StatusOr<bool> IsFormat2Store(const std::string& path);

// Reads the version-2 store at `path` through `visitor` (see Visitor).
// The store is opened read-only and nothing in `path` is written (RocksDB's
// diagnostic log is discarded); no writer may be modifying it meanwhile.
// Errors: FailedPrecondition if `path` is not a version-2 store; DataLoss,
// naming the document and evidence ordinal, for bytes that do not decode
// (a malformed key, record or term id, a hashed id without its dictionary
// entry or whose entry does not hash to it, a link without its evidence);
// whatever the visitor returns.
absl::Status ReadStore(const std::string& path, const ReadOptions& options,
                       const Visitor& visitor);

}  // namespace kg::format2

#endif  // KG_FORMAT2_READER_H_
