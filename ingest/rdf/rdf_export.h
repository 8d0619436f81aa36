// `kg export --format nq|trig|ttl`: the store (or one document) as
// canonical N-Quads, or TriG / Turtle for people to read, with RDF 1.2
// triple terms, per schemas/rdf-mapping.md.
#ifndef KG_INGEST_RDF_EXPORT_H_
#define KG_INGEST_RDF_EXPORT_H_

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "kg/store.h"

namespace kg::ingest {

// Every document (or only `doc_id`) in its own graph: its metadata, the
// claims it states and one reifier per piece of evidence; then (for a whole
// store) the declared entities in the default graph. Deterministic order.
absl::Status ExportNQuads(const Snapshot& snap, const std::optional<std::string>& doc_id,
                          std::ostream& out);

// The same as TriG (each document a named graph) or as Turtle. Turtle has no
// named graphs: it takes one document (`doc_id`, or a store that holds only
// one), written in the default graph -- import it back with --doc set to
// that document's id. InvalidArgument for a store of several documents
// without `doc_id`.
absl::Status ExportTurtle(const Snapshot& snap, const std::optional<std::string>& doc_id,
                          bool trig, std::ostream& out);

// The prefixes a Turtle / TriG export declares: rdf, rdfs, owl, xsd, prov, dct and
// kg's namespaces (kg: vocabulary, kge: entities, kgd: documents).
std::vector<std::pair<std::string, std::string>> ExportPrefixes();

// A graph of kg terms (a SPARQL CONSTRUCT or DESCRIBE result) as Turtle
// (with ExportPrefixes) or, when `turtle` is false, canonical N-Triples. A
// claim in subject position becomes a blank node that rdf:reifies it (RDF
// 1.2 allows triple terms only as objects), written once per claim.
void WriteTriples(const std::vector<std::array<Term, 3>>& triples, bool turtle, std::ostream& out);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_EXPORT_H_
