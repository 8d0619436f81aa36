// The hand-written recursive-descent parser of SPARQL 1.1 Query (the W3C
// grammar, https://www.w3.org/TR/sparql11-query/#grammar) with SPARQL 1.2
// triple terms `<<( s p o )>>`, reified triples `<< s p o >>` and the 1.2
// functions. kg additions: an optional `EXPLAIN` before the query, and the
// prefixes kg:, kge: and kgd: (kg's vocabulary, entities and documents)
// declared unless the query declares them itself.
#ifndef KG_QUERY_SPARQL_PARSER_H_
#define KG_QUERY_SPARQL_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "query/sparql_ast.h"

namespace kg::query::sparql {

// Parses one query. `base` resolves relative IRIs (a BASE in the query
// wins); empty: a relative IRI with no BASE is an error. InvalidArgument
// with "line:col: expected ..., found ..." on the first error, including the
// scope rules the grammar alone does not catch (a variable bound twice by
// BIND or a projection, an ungrouped variable beside an aggregate, a blank
// node label used in two basic graph patterns).
absl::StatusOr<Query> ParseSparql(std::string_view text, std::string_view base);

// Nested more than this (groups, expressions, paths) is an error.
inline constexpr int kMaxSparqlNesting = 200;

}  // namespace kg::query::sparql

#endif  // KG_QUERY_SPARQL_PARSER_H_
