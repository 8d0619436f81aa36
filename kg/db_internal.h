// Private to kg/*.cc: the open RocksDB instance behind a Store. This is the
// only header that names RocksDB types; it is not part of the public API.
#ifndef KG_DB_INTERNAL_H_
#define KG_DB_INTERNAL_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/term_id.h"
#include "kg/keys.h"
#include "kg/store.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace kg {

struct EvidenceRecord;  // kg/codec.h

struct Db {
  ~Db();

  rocksdb::ColumnFamilyHandle* cf(Cf c) const {
    return handles[static_cast<size_t>(c)];
  }

  std::string path;
  StoreOptions options;
  std::unique_ptr<rocksdb::Env> env;  // set when a fault injector wraps files
  std::shared_ptr<rocksdb::Cache> block_cache;  // shared by every column family
  // Decoded dictionary terms by id (TermId bytes -> Term*), shared by every
  // snapshot; null when StorageTuning::term_cache_mb is 0.
  std::shared_ptr<rocksdb::Cache> term_cache;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // indexed by Cf
  std::mutex write_mu;  // serialises WriteDocument/DeleteDocument/PutEntities
  bool writer = false;  // holds the write lock; owns the writer file
  // A write failed (disk full, I/O error): the write-ahead log's writer may
  // hold the error, and flushing memtables on close would write to it again,
  // which Debian's librocksdb (built with assertions) answers with an abort.
  std::atomic<bool> write_failed{false};
  // A follower (secondary instance) has no RocksDB snapshots: its data only
  // changes in CatchUp, which takes this exclusively while snapshots hold
  // it shared.
  std::shared_mutex follow_mu;
};

// A document write validated and encoded: its document record, each piece
// of evidence with its key parts and encoded record, the dictionary entries
// of the hashed terms it uses, and its entity declarations. Made without
// reading the store (store_prepare.cc).
struct Prepared {
  struct Ev {
    TermId claim;
    Triple triple;
    uint32_t ordinal;
    std::string record;
    std::string quote;  // for the text index
  };
  TermId doc;
  std::string doc_record;
  std::vector<Ev> evidence;
  absl::flat_hash_map<TermId, std::string> dict;  // hashed terms referenced
  std::vector<Entity> entities;

  TermId AddTerm(const Term& t) {
    const TermId id = IdOf(t);
    if (!id.is_inline() && !dict.contains(id)) {
      if (t.kind() == TermKind::kClaim) {
        AddTerm(t.subject());
        AddTerm(t.predicate());
        AddTerm(t.object());
      }
      dict.emplace(id, DictionaryValue(t));
    }
    return id;
  }
};


// Validates and encodes `w`, numbering its evidence from `first_ordinal`.
// InvalidArgument names the offending claim or field.
absl::StatusOr<Prepared> Prepare(const DocumentWrite& w, uint32_t first_ordinal = 0);

// OK if `name` (a document id, entity name, alias or IRI; `what` says which,
// for the message) is non-empty valid UTF-8 without NUL bytes.
absl::Status ValidateName(std::string_view what, std::string_view name);

// The options of each column family (store.cc); SST files written for bulk
// loads use them too. `cache` is the block cache shared by the store's
// column families (null: none, for files that are only written).
rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const StorageTuning& tuning,
                                       const std::shared_ptr<rocksdb::Cache>& cache);

// Removes the directories named `prefix` + PID (PID a decimal process id)
// whose process no longer runs: working files of killed loads and store
// creations.
void RemoveDirsOfDeadProcesses(const std::string& prefix);

// Where a writer's open moves table files that the MANIFEST does not list
// (store.cc), inside the store directory.
inline constexpr char kLostAndFound[] = "lost+found";

// The names of the *.sst files directly in `path` that are not in `listed`,
// sorted.
std::vector<std::string> TableFilesNotIn(const std::string& path,
                                         const std::set<std::string>& listed);

// An Env whose WAL files (*.log) fail appends as `fault` says, part-way
// through the write, for the fault tests (StoreOptions::fault_injector).
std::unique_ptr<rocksdb::Env> NewFaultInjectingEnv(std::shared_ptr<FaultInjector> fault);

// Maps a RocksDB status to an absl::Status whose message starts with
// `context`.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view context);

// Iterates keys with `prefix` in `cf` (all keys if empty) under `ro`.
std::unique_ptr<rocksdb::Iterator> NewPrefixIterator(
    const Db& db, Cf cf, const rocksdb::ReadOptions& ro,
    std::string_view prefix);

// Reads a triple's claim parts from the dictionary. NotFound if absent.
absl::StatusOr<Triple> ReadClaimTriple(const Db& db,
                                       const rocksdb::ReadOptions& ro,
                                       const TermId& claim);

// The full-text index over evidence quotes (kg/text_index.cc).

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

#endif  // KG_DB_INTERNAL_H_
