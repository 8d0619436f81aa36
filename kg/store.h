// Store: the evidence knowledge graph on disk (RocksDB). Holds documents,
// the claims they make and the evidence for each claim, in three triple
// orders (SPO, POS, OSP), an evidence-by-document index, a full-text index
// over evidence quotes, an entity/alias index and per-predicate statistics.
// See schemas/storage-format.md.
//
// Thread-safety: all methods may be called concurrently. Writes are
// serialised inside the store; reads go through Snapshot objects, each a
// consistent point-in-time view. One process at a time may open a store for
// writing; others may open it read-only.
//
// Errors: every fallible call returns absl::Status / StatusOr. Codes used:
// InvalidArgument (bad input, nothing written), NotFound, FailedPrecondition
// (format mismatch, store locked, not a store), DataLoss (corrupt bytes),
// Unavailable/Internal (I/O errors from RocksDB).
#ifndef KG_STORE_H_
#define KG_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/keys.h"
#include "kg/model.h"
#include "kg/schema.h"
#include "kg/txlog.h"
#include "kg/term.h"
#include "kg/term_id.h"

namespace kg {

struct Db;  // private: the open RocksDB instance and its column families

// Testing hook: makes writes to the write-ahead log fail part-way, the way a
// full disk or a crash mid-write would. Thread-safe.
class FaultInjector {
 public:
  // The next `n` WAL appends succeed; the one after writes only half of its
  // bytes and fails, and every append after that fails.
  void FailWalAppendsAfter(int64_t n) { remaining_.store(n); armed_.store(true); }
  void Disarm() { armed_.store(false); }
  bool fired() const { return fired_.load(); }

  // Called by the store's file-system wrapper: the number of bytes of an
  // append of `size` bytes that may be written (size = no fault).
  size_t OnWalAppend(size_t size);

 private:
  std::atomic<bool> armed_{false};
  std::atomic<bool> fired_{false};
  std::atomic<int64_t> remaining_{0};
};

// How the store's files are laid out and cached. The defaults are the
// measured choices of schemas/storage-format.md ("RocksDB options"); the
// other values exist to measure them again (bench/options_bench). Layout
// options apply to files written from then on; a store reads files of any
// layout.
struct StorageTuning {
  enum class Compression { kNone, kLz4, kZstd };
  // Memory for cached data blocks, shared by every column family, in MiB.
  // Allocated as blocks are read, not up front; 0: no cache. Default: 256
  size_t block_cache_mb = 256;
  // Memory for decoded dictionary terms (ids to IRIs, names, literals),
  // shared by every snapshot, in MiB; 0: no cache. Queries that return
  // terms spend most of their time decoding them. Default: 64
  size_t term_cache_mb = 64;
  // Bloom filter bits per key in the column families read by point lookups
  // of absent keys (dictionary, triples in SPO order, evidence, documents,
  // entities, statistics); the others never get one. 0: none.
  // Default: 10
  int bloom_bits_per_key = 10;
  // Compression of data blocks (the metadata family is never compressed).
  // Default: kLz4
  Compression compression = Compression::kLz4;
  // Compression of the bottommost level, where a bulk load puts its files
  // and where most of a compacted store lives, in every family but `dict`
  // (which keeps `compression`: a query reads one of its blocks for
  // nearly every term it returns, and decompressing them is most of a
  // cold query's time). Default: kZstd
  Compression bottommost_compression = Compression::kZstd;
  // Uncompressed size of a data block, in KiB. Default: 4
  size_t block_size_kb = 4;
};

struct StoreOptions {
  // Create an empty store if `path` holds none.
  // Default: true
  bool create_if_missing = true;
  // Open without the write lock; writes fail with FailedPrecondition.
  // Default: false
  bool read_only = false;
  // Open as a follower of the store (implies read_only): it sees what a
  // writer in another process commits after each CatchUp(). The value is a
  // private directory for the follower's own log files (created if missing).
  // Default: empty (not a follower)
  std::string follower_dir;
  // fsync the write-ahead log on every committed document, so a document
  // reported as written survives power loss, not only a process kill.
  // Default: true
  bool sync_writes = true;
  // File layout and cache; see StorageTuning.
  StorageTuning tuning;
  // Testing only. Default: none
  std::shared_ptr<FaultInjector> fault_injector;
};

struct StoreTotals {
  uint64_t documents = 0;
  uint64_t evidence = 0;
  uint64_t triples = 0;  // asserted claims (each has >= 1 evidence)
  uint64_t predicates = 0;
};

// One piece of evidence as stored: which claim, which document, its position
// in the document's write (ordinal), and the evidence itself.
struct EvidenceEntry {
  TermId claim;
  std::string document_id;
  uint32_t ordinal = 0;
  Evidence evidence;
};

struct CheckReport {
  uint64_t triples = 0;
  uint64_t evidence = 0;
  uint64_t documents = 0;
  uint64_t dictionary_entries = 0;
  uint64_t text_postings = 0;
  std::vector<std::string> problems;  // one line per inconsistency
  // Findings that are not inconsistencies: table files the MANIFEST does
  // not list (left by a process killed mid-flush, or by a damaged MANIFEST)
  // and what a writer set aside in lost+found/.
  std::vector<std::string> notes;
  bool ok() const { return problems.empty(); }
};

// Iterates the triples matching a pattern, in the order of the permutation
// chosen for it. Move-only. Not thread-safe; one per thread.
class TripleCursor {
 public:
  TripleCursor(TripleCursor&&) noexcept;
  TripleCursor& operator=(TripleCursor&&) noexcept;
  ~TripleCursor();

  bool Valid() const;
  // REQUIRES: Valid().
  void Next();
  // REQUIRES: Valid().
  const Triple& triple() const;
  // Non-OK if the scan stopped on an error (then Valid() is false).
  absl::Status status() const;
  Permutation permutation() const;

 private:
  friend class Snapshot;
  struct Impl;
  explicit TripleCursor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A consistent read-only view of the store at the moment it was taken.
// Keeps the store's files alive while it exists. Thread-compatible: const
// methods may be called concurrently.
class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // All triples matching `pattern`, by one prefix scan of one permutation.
  TripleCursor Scan(const TriplePattern& pattern) const;
  absl::StatusOr<bool> Contains(const Triple& triple) const;

  // The term of `id` (from the id itself or the dictionary). NotFound if a
  // dictionary id has no dictionary entry.
  absl::StatusOr<Term> Decode(const TermId& id) const;
  // The parts of a claim id. NotFound if unknown.
  absl::StatusOr<Triple> ClaimTriple(const TermId& claim) const;

  // The id of `term`: inline, the one the store gave it, or -- for a term
  // the store does not hold -- a provisional id that this snapshot alone
  // knows (Decode and ClaimTriple answer for it; no index holds it, so
  // scans for it find nothing). Ids compare equal iff their terms do.
  absl::StatusOr<TermId> IdOf(const Term& term) const;
  // IdOf the claim (t.s, t.p, t.o).
  absl::StatusOr<TermId> ClaimIdOf(const Triple& t) const;
  // The id of `term` if the store holds it (or it is inline), else nullopt.
  absl::StatusOr<std::optional<TermId>> Find(const Term& term) const;

  // The entities whose canonical name or an alias folds to `name`
  // (case-insensitive, whitespace-normalised), in id order.
  absl::StatusOr<std::vector<TermId>> Resolve(std::string_view name) const;
  absl::StatusOr<std::optional<Entity>> GetEntity(const TermId& entity) const;
  // Every declared entity (entity records), in id order.
  absl::StatusOr<std::vector<Entity>> ListEntities() const;

  // The vocabulary's rules (kg/schema.h), in key order.
  absl::StatusOr<std::vector<SchemaRecord>> ListSchema() const;

  // Transaction records (kg/txlog.h): up to `limit` (0: all) from the
  // oldest, or from the newest when `newest_first`.
  absl::StatusOr<std::vector<TxRecord>> Transactions(size_t limit = 0,
                                                     bool newest_first = false) const;
  // The transactions of document `id`, newest first, up to `limit` (0: all).
  absl::StatusOr<std::vector<TxRecord>> TransactionsOf(std::string_view id,
                                                       size_t limit = 0) const;

  absl::StatusOr<std::optional<Document>> GetDocument(std::string_view id) const;
  absl::StatusOr<std::vector<std::string>> ListDocuments() const;

  // Every piece of evidence for `claim`, ordered by document id (the order
  // documents were first written), then ordinal.
  absl::StatusOr<std::vector<EvidenceEntry>> EvidenceFor(const TermId& claim) const;
  // Every piece of evidence document `id` gives, ordered by claim id.
  absl::StatusOr<std::vector<EvidenceEntry>> EvidenceInDocument(
      std::string_view id) const;

  // Full-text search over evidence quotes (the "text" index). The evidence
  // whose quote contains every token of `query` (QuoteTokens in
  // kg/text_index.h: case-insensitive, punctuation ignored); with `phrase`,
  // the query's tokens must also appear consecutively and in order in the
  // quote's tokens. Ordered like the evidence index: by claim id, then
  // document id, then ordinal. Returns the first `limit` matches if
  // limit > 0 (ask for one more to learn whether there are more), all of
  // them if limit == 0. InvalidArgument if `query` has no tokens.
  absl::StatusOr<std::vector<EvidenceEntry>> SearchQuotes(std::string_view query,
                                                          bool phrase,
                                                          size_t limit) const;

  // Zero counts for a predicate with no triples.
  absl::StatusOr<PredicateStats> StatsFor(const TermId& predicate) const;
  absl::StatusOr<std::vector<std::pair<TermId, PredicateStats>>>
  AllPredicateStats() const;
  // With `count_predicates` false, `predicates` is left 0 (it takes a scan
  // of the statistics; the counters are three point reads).
  absl::StatusOr<StoreTotals> Totals(bool count_predicates = true) const;

 private:
  // Reads the documents, evidence and triples counters into `totals`.
  absl::Status ReadCounters(StoreTotals& totals) const;

  friend class Store;
  struct Impl;
  explicit Snapshot(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Store {
 public:
  // Opens (or creates, see StoreOptions) the store in directory `path`.
  // FailedPrecondition if `path` holds a store of another format version or
  // something that is not a store, or if another process holds the write
  // lock.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes one document with all its claims, evidence, links and entity
  // declarations as one atomic batch: after a crash either all of it or none
  // of it is there. Writing a document id again replaces its earlier content:
  // its old evidence is removed, claims left without any evidence are
  // removed, and the statistics follow. Validates everything first
  // (InvalidArgument names the offending claim or field; nothing is
  // written): claims must be claim terms, names non-empty valid UTF-8, spans
  // inside the text and quotes equal to their spans. With `outcome`, says
  // whether the write replaced a stored document and whether the text
  // changed.
  struct WriteOutcome {
    bool replaced = false;
    bool text_changed = false;
  };
  absl::Status WriteDocument(const DocumentWrite& write, WriteOutcome* outcome = nullptr);

  // The checks WriteDocument makes before it writes, without writing: OK
  // exactly when WriteDocument would not refuse `write` as InvalidArgument.
  // Lets an importer whose one input file makes several documents refuse the
  // whole file before it writes any of them.
  static absl::Status ValidateDocument(const DocumentWrite& write);

  // Adds `more`'s claims, evidence, links and entity declarations to the
  // stored document `more.document.id` (NotFound if absent) as one atomic
  // batch, keeping what it already has; spans are checked against the stored
  // text, and the other Document fields of `more` are ignored. Lets importers
  // load a large document in bounded memory, one chunk per call.
  absl::Status AppendToDocument(const DocumentWrite& more);

  // Removes a document and its evidence, as WriteDocument would replace it
  // with nothing. NotFound if absent.
  absl::Status DeleteDocument(std::string_view id);

  // Declares entities (canonical name, aliases, type). Aliases of an entity
  // already known are added to its existing ones.
  absl::Status PutEntities(const std::vector<Entity>& entities);
  // Sets vocabulary rules (kg/schema.h), each replacing the stored rule of
  // the same kind and name, as one atomic write.
  absl::Status PutSchema(const std::vector<SchemaRecord>& records);

  std::unique_ptr<Snapshot> NewSnapshot() const;

  // Verifies that the three triple orders, the evidence and evidence-by-
  // document indexes, the text index, the dictionary, the alias index, the
  // document records (including each text's SHA-256) and the statistics all
  // agree; reports each inconsistency found. First, unless
  // `verify_file_checksums` is false, reads every block of every table file
  // against its checksum (a damaged file is named even where the index
  // checks would not read it; it costs a read of the whole store).
  absl::StatusOr<CheckReport> Check(bool verify_file_checksums = true) const;

  // Space taken by each column family's live table files (not the log or
  // the MANIFEST), and RocksDB's estimate of its number of keys (memtables
  // included; exact for bulk-loaded families), in column family order.
  struct FamilyUse {
    std::string name;
    uint64_t file_bytes = 0;
    uint64_t estimated_keys = 0;
  };
  absl::StatusOr<std::vector<FamilyUse>> StorageUse() const;

  // For a follower (StoreOptions::follower_dir): catches up with what the
  // writing process has committed since the last call; later snapshots see
  // it. For other stores: does nothing. Waits until no snapshot of this
  // store is alive (a follower's snapshots hold its data still instead of
  // using RocksDB snapshots), so a thread must not call it while holding one.
  absl::Status CatchUp();

  // Who holds the write lock on the store at `path`, as recorded by the
  // holder ("process 1234 (kg ingest corpus/) since 2026-11-22 22:30:01
  // UTC"), or empty if nobody does.
  static std::string WriterOf(const std::string& path);

  const std::string& path() const;

 private:
  friend class BulkLoad;
  explicit Store(std::shared_ptr<Db> db);
  std::shared_ptr<Db> db_;
};

}  // namespace kg

#endif  // KG_STORE_H_
