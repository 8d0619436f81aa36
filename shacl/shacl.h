// SHACL Core validation for kg: the entry points that read a shapes file
// and validate an RDF file or a kg store against it. The pieces live in
// graph.h (in-memory graphs), shapes.h (the shapes), validator.h (the
// report) and report.h (Turtle and JSON output). See docs/shacl.md.
#ifndef KG_SHACL_SHACL_H_
#define KG_SHACL_SHACL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "kg/store.h"
#include "shacl/graph.h"
#include "shacl/report.h"
#include "shacl/shapes.h"
#include "shacl/validator.h"

namespace kg::shacl {

// The shapes of the RDF file `path` (Turtle, TriG, N-Triples, N-Quads),
// their terms interned in `pool`. InvalidArgument "file:line:col: error:
// ..." for a syntax error, InvalidArgument naming the file and the shape
// for an ill-formed shape, Unimplemented for features outside the subset,
// NotFound for a missing file.
absl::StatusOr<Shapes> ReadShapesFile(const std::string& path,
                                      const std::shared_ptr<TermPool>& pool);

// Validates the RDF file `path` (all its triples, named graphs merged).
// REQUIRES: `shapes` was read into the pool the data is to use
// (shapes.pool).
absl::StatusOr<Report> ValidateFile(const std::string& path, const Shapes& shapes);

// The data graph of a kg store: every asserted claim as the RDF triple the
// SPARQL endpoint's default graph shows for it (ToRdf of its subject,
// predicate and object; a claim about a claim has a triple term as its
// subject). Document metadata, evidence and entity declarations are not
// part of it. Does not call Finish().
absl::Status ReadStoreGraph(const Snapshot& snap, Graph* graph);

// Validates the claims of a store (ReadStoreGraph).
absl::StatusOr<Report> ValidateStore(const Snapshot& snap, const Shapes& shapes);

}  // namespace kg::shacl

#endif  // KG_SHACL_SHACL_H_
