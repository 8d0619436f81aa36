// Private to kg/*.cc: the open RocksDB instance behind a Store and the
// helpers of db_internal.cc and store.cc over it. With kg/prepared.h (the
// write path's prepared documents) and kg/text_index_internal.h (postings),
// the only headers that name RocksDB types; not part of the public API.
#ifndef KG_DB_INTERNAL_H_
#define KG_DB_INTERNAL_H_

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/keys.h"
#include "kg/term_id.h"
#include "kg/store.h"
#include "kg/txlog.h"
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
  // The id the next transaction record (kg/txlog.h) gets; guarded by
  // write_mu. With the writing process's user and command line.
  uint64_t next_tx = 1;
  std::string tx_user, tx_command;
  bool writer = false;  // holds the write lock; owns the writer file
  // A write failed (disk full, I/O error): the write-ahead log's writer may
  // hold the error, and flushing memtables on close would write to it again,
  // which Debian's librocksdb (built with assertions) answers with an abort.
  std::atomic<bool> write_failed{false};
  // A follower (secondary instance) has no RocksDB snapshots: its data only
  // changes in CatchUp, which takes this exclusively while snapshots hold
  // it shared.
  std::shared_mutex follow_mu;
  // A read-only open (not a follower) never sees another state of the
  // store, so its counters are read once (Snapshot::Totals; the planner
  // asks for them on every statement).
  std::mutex totals_mu;
  std::optional<StoreTotals> read_only_totals;  // guarded by totals_mu
};

// The record of the transaction `db` commits next (kg/txlog.h): its id, the
// time now, and the writing process's user and command.
// REQUIRES: db.write_mu held.
TxRecord NextTx(const Db& db, std::string kind, std::string_view document, uint64_t count);

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

}  // namespace kg

#endif  // KG_DB_INTERNAL_H_
