// SPARQL 1.1 Query (with SPARQL 1.2 triple terms) over a kg store: a second
// front end onto the same binder, planner and executor as the kg language
// (query.h). Terms are seen as RDF through kg's mapping (kg/rdf_mapping.h):
// entities are IRIs under https://w3id.org/kg/entity/, documents under
// https://w3id.org/kg/doc/, and each document is a named graph holding the
// claims it has evidence for. Reference: docs/sparql.md.
//
//   auto result = kg::query::RunSparql(store.get(),
//       "SELECT ?what WHERE { kge:Iran kg:supplied ?what }", {});
//
// Errors are absl::Status values whose message starts with the position in
// the query text ("1:14: expected ..."), as for the kg language; codes as in
// query.h.
#ifndef KG_QUERY_SPARQL_H_
#define KG_QUERY_SPARQL_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"
#include "kg/term.h"
#include "query/query.h"

namespace kg::query {

struct SparqlResult {
  enum class Form { kSelect, kAsk, kGraph };  // kGraph: CONSTRUCT and DESCRIBE
  Form form = Form::kSelect;
  // kSelect: the projected variables (without '?'), and one row per
  // solution; an unbound variable is nullopt.
  std::vector<std::string> vars;
  std::vector<std::vector<std::optional<Term>>> rows;
  // kAsk.
  bool boolean = false;
  // kGraph: the triples, without duplicates, in the order first produced.
  std::vector<std::array<Term, 3>> triples;
  // EXPLAIN: the plan, one step per line (empty otherwise).
  std::string explain;
};

struct SparqlOptions {
  // The base IRI relative IRIs resolve against (BASE in the query wins).
  // Default: none (a relative IRI is an error)
  std::string base;
  // Plan only: fill SparqlResult::explain and run nothing.
  // Default: false
  bool explain = false;
  // The dataset, as the SPARQL 1.1 Protocol's default-graph-uri and
  // named-graph-uri give it: graph IRIs, each naming a document (its id when
  // the id is an absolute IRI, else kgd:id). When either is set it overrides
  // the query's FROM / FROM NAMED; a list left unset is then empty (no
  // default graph, or no named graphs).
  // Default: neither (the query's FROM / FROM NAMED if any, else the default
  // graph is every claim and every document is a named graph)
  std::optional<std::vector<std::string>> default_graphs;
  std::optional<std::vector<std::string>> named_graphs;
};

// Parses, binds, plans and runs one SPARQL query on a consistent snapshot.
absl::StatusOr<SparqlResult> RunSparql(Store* store, std::string_view text,
                                       const QueryOptions& options,
                                       const SparqlOptions& sparql = {});

// Checks the syntax of `text` without a store; the error names the position.
absl::Status CheckSparqlSyntax(std::string_view text, const SparqlOptions& sparql = {});

// Result serialisations (SPARQL 1.1 Query Results JSON, XML, CSV, TSV) of a
// kSelect or kAsk result. CSV and TSV have no boolean form: an ASK result
// is written as one column "boolean" with one row.
enum class SparqlResultsFormat { kJson, kXml, kCsv, kTsv };
std::string WriteSparqlResults(const SparqlResult& result, SparqlResultsFormat format);

}  // namespace kg::query

#endif  // KG_QUERY_SPARQL_H_
