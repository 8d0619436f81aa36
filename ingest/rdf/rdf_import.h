// `kg import`: loads N-Triples, N-Quads, Turtle and TriG files into the store
// per schemas/rdf-mapping.md. Each graph becomes one document; a kg export is
// recognised (document metadata, evidence reifiers, entities) so export ->
// import -> export is the identity.
//
// Two streaming passes, in memory bounded by a chunk of statements, never by
// the file: the first reads the whole file and reports every bad line; with
// any, the file loads nothing unless keep_going (load the good lines). The
// second writes each run of one graph's statements as document writes of
// about 20,000 statements (the first replaces the document, later ones
// append), each atomic, cut only between pieces of evidence so that no
// evidence reifier is ever split. A file is therefore all-or-nothing against
// bad input, but a crash during the second pass can leave a large document
// partly loaded; re-running the import replaces it.
//
// Into an empty store, large inputs (by default from 16 MB of files) take
// the bulk path instead (kg/bulk_load.h): one pass, every statement of every
// file collected, sorted and added with one atomic ingestion -- the whole
// import is all or nothing, also against a crash. A bad line (without
// keep_going) or a refused document then fails the whole import.
#ifndef KG_INGEST_RDF_IMPORT_H_
#define KG_INGEST_RDF_IMPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/rdf/rdf_reader.h"
#include "kg/store.h"

namespace kg::ingest {

struct RdfImportOptions {
  // The syntax of every file. Default: each file's own, from its name
  // (RdfSyntaxFromName) or else its first bytes (SniffRdfSyntax).
  std::optional<RdfSyntax> syntax;
  // The base IRI of Turtle and TriG files. Default: each file's file:// IRI
  std::string base;
  bool keep_going = false;  // load the good lines of a file with bad ones
  // Document id for default-graph triples; default: the file name without
  // its .nt/.nq/.ttl/.trig/.gz/.bz2 extensions.
  std::string default_doc;
  // kAuto: the bulk path when the store is empty and the input files add up
  // to at least bulk_threshold_bytes. kOn: the bulk path (FailedPrecondition
  // if the store is not empty). kOff: document by document.
  enum class Bulk { kAuto, kOn, kOff };
  Bulk bulk = Bulk::kAuto;
  uint64_t bulk_threshold_bytes = 16ull << 20;
  // Memory for sorting in the bulk path. Default: 512 MiB
  uint64_t bulk_memory = 512ull << 20;
  // In the bulk path, plain RDF (no kg vocabulary or namespaces, no triple
  // terms: what most RDF files are) goes through BulkLoad::WritePlain, which
  // skips the document model; the store is the same byte for byte. false
  // forces the document lane (tests compare the two). Default: true
  bool plain_lane = true;
  // Called with a document's id each time a write of it is committed
  // (durable): after each atomic write of the normal path (a large document
  // is written in several), or for every document once a bulk import
  // commits. Default: none
  std::function<void(const std::string& document_id)> on_commit;
  // Read, convert and validate every file as an import would (the store's
  // own checks of each document included), and write nothing: `on_commit`
  // is called once for each document that would be written. Never takes
  // the bulk path; works on a store opened read-only or as a follower.
  // Default: off
  bool dry_run = false;
};

struct RdfImportSummary {
  int files_loaded = 0;
  int files_failed = 0;
  int documents = 0;
  uint64_t statements = 0;
  uint64_t skipped_lines = 0;
  double seconds = 0;
  // The files that failed, and those that loaded with bad lines skipped
  // (--keep-going), in input order.
  std::vector<std::string> failed_files;
  std::vector<std::string> files_with_skipped_lines;
  // The syntax of each file read, in input order (one entry per path).
  std::vector<RdfSyntax> syntaxes;
  bool bulk = false;  // the bulk path was taken
  bool plain_lane = false;  // ... and its plain lane
  uint64_t bulk_runs = 0;
  double bulk_commit_seconds = 0;
  bool ok() const { return files_failed == 0 && skipped_lines == 0; }
};

absl::StatusOr<RdfImportSummary> ImportRdf(Store& store, const std::vector<std::string>& paths,
                                           const RdfImportOptions& options, std::ostream& err);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_IMPORT_H_
