// The bulk import's plain lane (rdf_import.h): plain RDF -- statements that
// say nothing about kg documents or evidence (no kg namespace, no triple
// term, no rdf:reifies) -- parsed on both cores and handed to
// BulkLoad::WritePlain in the chunks the document lane would write, so the
// store is the same byte for byte. Private to ingest/rdf/rdf_import.cc.
#ifndef KG_INGEST_RDF_PLAIN_LANE_H_
#define KG_INGEST_RDF_PLAIN_LANE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/rdf.h"
#include "ingest/rdf/rdf_reader.h"
#include "kg/bulk_load.h"

namespace kg::ingest {

// Statements per document write when streaming: bounds the memory of an
// import whatever the file size.
inline constexpr size_t kChunkStatements = 20000;

// Bad lines reported per file; the rest are counted.
inline constexpr int kMaxReportedErrors = 100;

// Whether a chunk of a graph may start at `q` (rdf_import.cc).
bool MayStartChunk(const RdfQuad& q);

// The document id of a graph, for statements of `default_doc`'s file.
std::string DocIdOf(const std::optional<RdfTerm>& graph, const std::string& default_doc);

// Whether the document lane (GraphToDocument) makes of `q` nothing but the
// claim (s p o) with empty evidence, whatever else its graph holds: no kg
// name (entity, document, vocabulary, quantity datatype), no triple term,
// no rdf:reifies, no owl:annotatedSource (an axiom annotation may carry
// evidence).
bool IsPlainStatement(const RdfQuad& q);

// Appends `t` to `batch` encoded for BulkLoad::WritePlain as FromRdf maps it,
// blank nodes scoped with `scope` (a document's BlankScope plus "."). The
// same bytes as AppendPlainTerm(FromRdf(t, ...)) for every term of a plain
// statement that the store accepts (IRIs and strings skip the Term and
// leave their checks to the load).
absl::Status AppendPlainRdfTerm(const RdfTerm& t, const std::string& scope, PlainBatch* batch);

struct PlainFileResult {
  bool not_plain = false;    // a statement is not plain: nothing was written
  bool read_failed = false;  // a bad line (without keep_going) or a read error
  bool refused = false;      // the store refused a term (reported)
  int64_t bad_lines = 0;     // reported (at most kMaxReportedErrors) and counted
  uint64_t statements = 0;
  int documents = 0;         // documents this file started
};

// Parses `path` (N-Triples and N-Quads: blocks of whole lines, parsed on two
// threads; Turtle and TriG: parsed on this thread, encoded on two) and
// writes its statements to `load` in order, in chunks cut as the document lane cuts
// them. Errors and bad lines are reported to `err` as the document lane
// reports them, unless the file turns out not to be plain (not_plain: the
// load must be abandoned, and the document lane reports them when it reads
// the file again). `written`: the documents of the whole import so far.
absl::StatusOr<PlainFileResult> LoadPlainFile(BulkLoad& load, const std::string& path,
                                              const std::string& default_doc, RdfSyntax syntax,
                                              const std::string& base, bool keep_going,
                                              std::set<std::string>* written, std::ostream& err,
                                              size_t block_bytes = 1 << 20);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_PLAIN_LANE_H_
