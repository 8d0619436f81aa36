// `kg export --format nq`: the store (or one document) as canonical N-Quads
// with RDF 1.2 triple terms, per schemas/rdf-mapping.md.
#ifndef KG_INGEST_RDF_EXPORT_H_
#define KG_INGEST_RDF_EXPORT_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "kg/store.h"

namespace kg::ingest {

// Every document (or only `doc_id`) in its own graph: its metadata, the
// claims it states and one reifier per piece of evidence; then (for a whole
// store) the declared entities in the default graph. Deterministic order.
absl::Status ExportNQuads(const Snapshot& snap, const std::optional<std::string>& doc_id,
                          std::ostream& out);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_EXPORT_H_
