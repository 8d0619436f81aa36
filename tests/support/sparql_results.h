// SPARQL query results as the W3C SPARQL test suites write them, read into
// one model for comparison (sparql_results_compare.h): the SPARQL 1.1 Query
// Results JSON (.srj), TSV and CSV formats, the DAWG result-set vocabulary
// (rs:ResultSet graphs in Turtle or RDF/XML), and the XML format (srx.h).
// Test-only code: it reads what the suites contain and reports anything
// else as an error rather than guessing.
#ifndef KG_TESTS_SUPPORT_SPARQL_RESULTS_H_
#define KG_TESTS_SUPPORT_SPARQL_RESULTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/rdf.h"

namespace kg::testing {

// One solution: each bound variable (without '?') and its value.
using SparqlSolution = std::map<std::string, kg::RdfTerm>;

// A SELECT result (variables and solutions) or an ASK result (a boolean).
struct SparqlResultTable {
  bool is_boolean = false;
  bool boolean = false;
  std::vector<std::string> vars;
  std::vector<SparqlSolution> rows;
  // The rows carry an order (rs:index in the result-set vocabulary).
  bool ordered = false;
};

// SPARQL 1.1 Query Results JSON Format (also "typed-literal" of the 2007
// note, and RDF 1.2 "triple" values).
absl::StatusOr<SparqlResultTable> ReadSrj(const std::string& path);

// SPARQL 1.1 Query Results TSV Format: terms in Turtle/N-Triples syntax,
// bare numbers and booleans as their XSD literals; an empty field is
// unbound.
absl::StatusOr<SparqlResultTable> ParseTsv(const std::string& text);
absl::StatusOr<SparqlResultTable> ReadTsv(const std::string& path);

// SPARQL 1.1 Query Results CSV Format, which keeps only the text of each
// value: a field "_:x" becomes blank node x (so results compare up to blank
// node renaming), an empty field unbound, anything else a plain literal of
// its text. Both sides of a CSV comparison must go through this.
absl::StatusOr<SparqlResultTable> ParseCsv(const std::string& text);

// The result set of an rs:ResultSet graph (DAWG result-set vocabulary:
// rs:resultVariable, rs:solution / rs:binding / rs:variable / rs:value,
// rs:index, rs:boolean); nullopt if `quads` has no rs:ResultSet.
absl::StatusOr<std::optional<SparqlResultTable>> ResultSetFromGraph(
    const std::vector<kg::RdfQuad>& quads);

// The statements of an RDF file the suites use for data or results:
// Turtle (.ttl), N-Triples (.nt) or RDF/XML (.rdf, rdfxml.h); relative IRIs
// resolve against the file's file:// IRI.
absl::StatusOr<std::vector<kg::RdfQuad>> ReadRdfFile(const std::string& path);

// What a test's mf:result holds: a result table, or a graph (CONSTRUCT and
// DESCRIBE). .srx, .srj and .tsv are tables; .ttl, .nt and .rdf are graphs
// unless they hold an rs:ResultSet. (.csv is not handled here: see
// ParseCsv.)
struct ExpectedResult {
  std::optional<SparqlResultTable> table;
  std::vector<kg::RdfQuad> graph;  // when !table
};
absl::StatusOr<ExpectedResult> ReadExpectedResult(const std::string& path);

// Reads a whole file.
absl::StatusOr<std::string> ReadFileText(const std::string& path);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_SPARQL_RESULTS_H_
