#include "query/sparql.h"

namespace kg::query {

absl::StatusOr<SparqlResult> RunSparql(Store*, std::string_view, const QueryOptions&,
                                       const SparqlOptions&) {
  return absl::UnimplementedError("SPARQL: not yet");
}

absl::Status CheckSparqlSyntax(std::string_view, const SparqlOptions&) {
  return absl::UnimplementedError("SPARQL: not yet");
}

}  // namespace kg::query
