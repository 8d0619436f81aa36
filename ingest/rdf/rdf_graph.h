// From the statements of one RDF graph to a kg document write, recognising
// kg's own export vocabulary (schemas/rdf-mapping.md); used by kg import
// (rdf_import.cc).
#ifndef KG_INGEST_RDF_GRAPH_H_
#define KG_INGEST_RDF_GRAPH_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/rdf.h"
#include "kg/model.h"

namespace kg::ingest {

// The write of document `doc_id` made of `quads` (one graph, or one chunk of
// it), recognising kg's own export vocabulary; every other statement becomes
// a claim the document asserts. `claim_nodes` maps
// the blank nodes kg wrote for claims in subject position to their triple
// terms; it is read and extended, and must outlive the chunks of one
// document, since such a node is defined once per document at its first use.
absl::StatusOr<DocumentWrite> GraphToDocument(std::string doc_id, std::vector<RdfQuad> quads,
                                              std::map<std::string, RdfTerm>* claim_nodes);

// If `q` declares an entity in the default graph (kg:alias, kg:entityType),
// records it in `entities` and returns true.
bool TakeEntity(const RdfQuad& q, std::map<std::string, Entity>* entities);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_GRAPH_H_
