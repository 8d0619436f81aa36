// Bulk loading into an empty store: documents are validated and encoded as
// for Store::WriteDocument, but instead of one transactional write each,
// every key of every column family is collected, sorted in memory-bounded
// runs (spilled to SST files), merged, and added to the store with one
// RocksDB IngestExternalFiles call -- all column families at once, so the
// load is all or nothing: a failed, abandoned or killed load leaves the
// store as it was (empty). Statistics and counters are computed from the
// merged indexes in the same pass.
//
//   auto load = BulkLoad::Start(store, {});
//   load->Write(doc1); load->Append(more_of_doc1); load->Write(doc2);
//   load->Commit();   // nothing is visible before this returns OK
//
// Not thread-safe. While a load is open, other writes to the store fail
// the load at Commit (it checks the store is still empty).
#ifndef KG_BULK_LOAD_H_
#define KG_BULK_LOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg {

struct BulkLoadOptions {
  // Bytes of encoded keys and values held in memory before a sorted run is
  // written to disk.
  // Default: 512 MiB
  uint64_t memory_budget = 512ull << 20;
  // Where runs and the final files are written; they are removed (or moved
  // into the store) when the load ends.
  // Default: a directory next to the store
  std::string temp_dir;
};

struct BulkLoadStats {
  uint64_t documents = 0;
  uint64_t evidence = 0;
  uint64_t triples = 0;
  uint64_t runs = 0;        // sorted runs spilled to disk
  uint64_t bytes_ingested = 0;
  double commit_seconds = 0;  // merging runs, writing and ingesting files
};

class BulkLoad {
 public:
  // FailedPrecondition unless `store` is writable and holds no documents.
  static absl::StatusOr<std::unique_ptr<BulkLoad>> Start(Store& store,
                                                         const BulkLoadOptions& options);
  // Abandons the load if Commit has not succeeded: nothing reaches the store.
  ~BulkLoad();

  // Adds a new document (InvalidArgument if this load already has it, or for
  // the same mistakes Store::WriteDocument refuses).
  absl::Status Write(const DocumentWrite& write);
  // Adds claims, links and entities to a document of this load, like
  // Store::AppendToDocument.
  absl::Status Append(const DocumentWrite& more);
  absl::Status PutEntities(const std::vector<Entity>& entities);

  // Merges everything and ingests it into the store atomically.
  absl::StatusOr<BulkLoadStats> Commit();

  struct Impl;  // implementation detail (kg/bulk_load.cc)

 private:
  explicit BulkLoad(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg

#endif  // KG_BULK_LOAD_H_
