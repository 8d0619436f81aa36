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
// Plain RDF (statements a graph asserts, nothing said about them: what most
// N-Triples and N-Quads files are) has a lane of its own that skips the
// document model: the caller encodes each term once (AppendPlain*), and
// WritePlain numbers terms and claims from maps of encoded values and
// triples of ids, and lays out the keys exactly as Write would for the same
// statements as a document of claims with empty evidence. A load takes
// either lane, not both.
//
// Not thread-safe. While a load is open, other writes to the store fail
// the load at Commit (it checks the store is still empty).
#ifndef KG_BULK_LOAD_H_
#define KG_BULK_LOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg {

struct BulkLoadOptions {
  // Memory for the encoded keys and values buffered before a sorted run is
  // written to disk, together with the load's map of the terms it has
  // numbered and (plain statements) its table of claims, 28 bytes a claim;
  // the buffers get at least half of it whatever the maps hold. Not
  // bounded by it: the maps themselves, and the 32 bytes per claim that
  // Commit sorts a plain load's claims in.
  // Default: 512 MiB
  uint64_t memory_budget = 512ull << 20;
  // Where runs and the final files are written; they are removed (or moved
  // into the store) when the load ends.
  // Default: a directory next to the store
  std::string temp_dir;
};

// Statements of one document for BulkLoad::WritePlain: three encoded terms
// (subject, predicate, object) per statement, back to back.
struct PlainBatch {
  std::string document_id;
  std::string terms;           // the encoded terms
  std::vector<uint32_t> ends;  // where each term ends in `terms`
  size_t statements() const { return ends.size() / 3; }
  std::string_view term(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(terms).substr(begin, ends[i] - begin);
  }
};

// Appends `t` to `batch` encoded for WritePlain (its inline id or its
// dictionary value). InvalidArgument if Prepare would refuse the term, or
// for a claim (a plain statement has no claims as values).
absl::Status AppendPlainTerm(const Term& t, PlainBatch* batch);
// The same for Term::Iri(iri) and Term::String(text, lang), without making
// the Term: the common case of an RDF load. Well-formedness is checked
// when the load first sees the term (WritePlain's worker, or here for
// inline strings).
absl::Status AppendPlainIri(std::string_view iri, PlainBatch* batch);
absl::Status AppendPlainString(std::string_view text, std::string_view lang, PlainBatch* batch);

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

  // Adds plain statements to document `batch.document_id`: creates it
  // (empty: no text or metadata) if this load does not have it yet, else
  // appends. Each statement is a claim with empty evidence, as if written
  // by Write/Append. FailedPrecondition if the load already took Write,
  // Append or PutEntities, or if the store held terms when it started;
  // InvalidArgument for a bad document id or term (a bad term may surface
  // only at a later call or at Commit: terms are checked on the worker).
  absl::Status WritePlain(PlainBatch batch);
  // Whether WritePlain can be used: the load has taken nothing else and the
  // store held no terms when it started.
  bool AcceptsPlain() const;

  // Merges everything and ingests it into the store atomically.
  absl::StatusOr<BulkLoadStats> Commit();

  struct Impl;  // implementation detail (kg/bulk_load.cc)

 private:
  explicit BulkLoad(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg

#endif  // KG_BULK_LOAD_H_
