// `kg export --format jsonl`: the store (or one document) as JSON lines, one
// object per document, entity and piece of evidence. Terms are tagged
// objects ({"entity": "Iran"}, {"string": "x", "lang": "en"}, {"claim": {...}}).
#ifndef KG_INGEST_JSON_EXPORT_H_
#define KG_INGEST_JSON_EXPORT_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "kg/json.h"
#include "kg/store.h"

namespace kg::ingest {

// Writes every document (or only `doc_id`) with its evidence, then (for a
// whole-store export) every declared entity. NotFound if `doc_id` is absent.
absl::Status ExportJsonLines(const Snapshot& snap, const std::optional<std::string>& doc_id,
                             std::ostream& out);

using kg::JsonString;
// The tagged JSON object of a term.
std::string JsonTerm(const Term& t);

}  // namespace kg::ingest

#endif  // KG_INGEST_JSON_EXPORT_H_
