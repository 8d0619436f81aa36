// Whether a SPARQL result matches the expected one, as the W3C SPARQL test
// suites mean it: the same multiset of solutions up to one consistent
// renaming of blank nodes across the whole result (a bijection), RDF term
// equality for values (lexical form, datatype, language tag in any case;
// numbers by value, see ResultsCompareOptions); in order where the query
// orders its results.
#ifndef KG_TESTS_SUPPORT_SPARQL_RESULTS_COMPARE_H_
#define KG_TESTS_SUPPORT_SPARQL_RESULTS_COMPARE_H_

#include <string>
#include <vector>

#include "tests/support/sparql_results.h"

namespace kg::testing {

struct ResultsCompareOptions {
  // Compare the order of the rows too. Default: false
  bool ordered = false;
  // With `ordered`: the variables the query orders by (ORDER BY ?a DESC(?b)).
  // Only their values must follow the expected sequence, so rows that tie on
  // them may come in any order. Empty: the whole rows, in sequence.
  std::vector<std::string> order_keys;
  // mf:LaxCardinality (REDUCED): a solution may come fewer times than
  // expected, but at least once. Default: false
  bool lax_cardinality = false;
  // Also require the same set of variables, when both sides list them.
  // Default: true
  bool compare_vars = true;
  // Numeric literals (xsd:integer and its subtypes, xsd:decimal, xsd:float,
  // xsd:double) of the same datatype are equal when their values are:
  // the suites write computed numbers in forms no engine need produce
  // ("-3"^^xsd:double for -(3e0), "2.0"^^xsd:decimal for an average), as
  // Jena's equalsByValue accepts. Other literals compare as terms.
  // Default: true
  bool numbers_by_value = true;
};

// True if `actual` matches `expected`; otherwise false with `*why` saying
// how they differ (missing and unexpected solutions, or the first row out
// of order).
bool SameResults(const SparqlResultTable& expected,
                 const SparqlResultTable& actual,
                 const ResultsCompareOptions& options, std::string* why);

// The table for a failure message: variables, then one line per row (terms
// in N-Triples form), at most `max_rows`.
std::string FormatResultTable(const SparqlResultTable& table,
                              size_t max_rows = 40);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_SPARQL_RESULTS_COMPARE_H_
