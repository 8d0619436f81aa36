// Private to kg/*.cc: the open RocksDB instance behind a Store. This is the
// only header that names RocksDB types; it is not part of the public API.
#ifndef KG_DB_INTERNAL_H_
#define KG_DB_INTERNAL_H_

#include <array>
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
#include "kg/codec.h"
#include "kg/keys.h"
#include "kg/term_id.h"
#include "kg/store.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace kg {


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
  // The sequence number the next dictionary term gets; guarded by write_mu.
  uint64_t next_term = 1;
  uint64_t next_claim = 1;  // claims are numbered on their own; ditto
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

// A term of a prepared write, by its position in Prepared::terms.
using TermRef = uint32_t;
inline constexpr TermRef kNoTerm = ~TermRef{0};

// A document write validated and resolved to terms: its document record,
// each piece of evidence with its claim and record, the terms it uses and
// its entity declarations. Made without reading the store (Prepare, in
// store_prepare.cc); ResolveIds then gives every term its id, and the
// Encode functions produce the keys and values.
struct Prepared {
  struct Ev {
    TermRef claim = kNoTerm, s = kNoTerm, p = kNoTerm, o = kNoTerm;
    uint32_t ordinal = 0;
    EvidenceRecord record;  // ids empty: filled from the refs below by Encode
    TermRef agent = kNoTerm;
    std::vector<TermRef> via;
    std::vector<TermRef> qualifier_values;  // parallel to record.qualifiers
  };
  // Each term once; a claim's parts come before the claim.
  std::vector<Term> terms;
  std::vector<std::array<TermRef, 3>> parts;  // parallel to terms; claims only
  std::vector<std::string> values;  // parallel to terms: dictionary values of leaf terms
  absl::flat_hash_map<std::string, TermRef> index;  // TermKey -> position
  TermRef doc = kNoTerm;
  DocumentRecord doc_record;          // link target ids filled by Encode
  std::vector<TermRef> link_targets;  // parallel to doc_record.links
  std::vector<Ev> evidence;
  std::vector<Entity> entities;

  // Filled by ResolveIds.
  std::vector<TermId> ids;  // parallel to terms
  // Terms this write adds to the dictionary: id and dictionary value, in
  // allocation order.
  std::vector<std::pair<TermId, std::string>> new_terms;

  TermRef AddTerm(const Term& t);
  TermRef Find(const Term& t) const;  // kNoTerm if not added
  const TermId& id(TermRef r) const { return ids[r]; }
  TermId doc_id() const { return ids[doc]; }
  Triple TripleOf(const Ev& ev) const { return {ids[ev.s], ids[ev.p], ids[ev.o]}; }
  // The evidence value: empty for plain evidence (asserted, supporting, no
  // quote, span, agent, via or qualifiers: what an RDF import gives every
  // triple), else the record (kg/codec.h).
  std::string EncodeEvidenceValue(const Ev& ev) const;
  static bool IsPlain(const Ev& ev);
  DocumentRecord ResolvedDocumentRecord() const;
};

// Where ResolveIds gets ids: the store (under the write lock) or a bulk
// load's own map.
class IdSource {
 public:
  virtual ~IdSource() = default;
  // The id of the dictionary term with `value` (tag byte first); allocates
  // one (and sets *added) if the term is new.
  virtual absl::StatusOr<TermId> IdFor(std::string_view value, bool* added) = 0;
};

// Gives every term of `p` its id (inline, found, or newly allocated).
absl::Status ResolveIds(Prepared& p, IdSource& source);

// How a resolved write's evidence is stored: runs of plain evidence for
// claims this write numbered, with consecutive ids and ordinals (at least
// two long), and every other piece of evidence (indexes into p.evidence)
// under its own key.
struct EvidenceLayout {
  std::vector<EvidenceRun> runs;
  std::vector<size_t> keyed;
};
EvidenceLayout LayOutEvidence(const Prepared& p);

// History-ready (schemas/storage-format.md, "Reserved for history"): every
// evidence value, run and document value starts with the transaction that
// wrote it, a varint; 0 until the store records transactions.
inline constexpr uint64_t kNoTransaction = 0;

// The evidence record of an evidence value (added-tx varint, then nothing
// for plain evidence or the record).
absl::StatusOr<EvidenceRecord> DecodeEvidenceValue(std::string_view value);
// A document value: added-tx varint, then the record.
std::string EncodeDocumentValue(const DocumentRecord& record, uint64_t added_tx = kNoTransaction);
absl::StatusOr<DocumentRecord> DecodeDocumentValue(std::string_view value);

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

// Beside a store PATH during `kg upgrade` (kg/upgrade.cc): PATH.format3 is
// the complete new store, PATH.format2 the old one moved aside.
inline constexpr char kUpgradedSuffix[] = ".format3";
inline constexpr char kReplacedSuffix[] = ".format2";

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

// The id of the dictionary term with `dictionary_value` (term index), or
// nullopt if the store has no such term.
absl::StatusOr<std::optional<TermId>> LookupTermId(const Db& db, const rocksdb::ReadOptions& ro,
                                                   std::string_view dictionary_value);

// The run of plain evidence that holds `claim`'s evidence, if any.
absl::StatusOr<std::optional<EvidenceRun>> RunOfClaim(const Db& db, const rocksdb::ReadOptions& ro,
                                                      const TermId& claim);
// The runs of plain evidence of document `doc`, in claim order.
absl::StatusOr<std::vector<EvidenceRun>> RunsOfDocument(const Db& db,
                                                        const rocksdb::ReadOptions& ro,
                                                        const TermId& doc);

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
