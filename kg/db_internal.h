// Private to kg/*.cc: the open RocksDB instance behind a Store. This is the
// only header that names RocksDB types; it is not part of the public API.
#ifndef KG_DB_INTERNAL_H_
#define KG_DB_INTERNAL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "kg/keys.h"
#include "kg/store.h"
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
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // indexed by Cf
  std::mutex write_mu;  // serialises WriteDocument/DeleteDocument/PutEntities
};

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

}  // namespace kg

#endif  // KG_DB_INTERNAL_H_
