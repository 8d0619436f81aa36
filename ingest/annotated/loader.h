// Resolves a parsed annotated document against the vocabulary into the
// store's DocumentWrite: names to entities, claim ids to their quoted spans,
// attributes to evidence fields. Reports every error with its position.
#ifndef KG_INGEST_ANNOTATED_LOADER_H_
#define KG_INGEST_ANNOTATED_LOADER_H_

#include <optional>

#include "ingest/annotated/annotated_parser.h"
#include "ingest/diagnostics.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/model.h"

namespace kg::ingest {

// nullopt if `diag` holds any error afterwards. `vocab` is not changed:
// entities the document declares are visible only to it (and stored with
// it); a document that declares one resolves against its own copy. Runs
// even after syntax errors, so one pass reports every error; errors that a
// syntax error would cause (a claim whose span did not parse) are then
// left out.
struct ResolveOptions {
  // A claim that breaks a vocabulary rule (kg/schema.h) is a warning and the
  // document still resolves (`kg ingest --lenient`), not an error. Default:
  // off
  bool lenient = false;
};

std::optional<DocumentWrite> ResolveDocument(const ParsedFile& parsed,
                                             const Vocabulary& vocab, Diagnostics* diag,
                                             const ResolveOptions& options = {});

}  // namespace kg::ingest

#endif  // KG_INGEST_ANNOTATED_LOADER_H_
