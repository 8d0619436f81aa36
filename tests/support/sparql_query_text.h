// What the W3C SPARQL harness reads off a query's text without parsing it:
// the outer ORDER BY (to compare results in order) and the FROM / FROM
// NAMED IRIs (to load those files). Comments and string literals are
// ignored; anything it cannot read simply is not reported.
#ifndef KG_TESTS_SUPPORT_SPARQL_QUERY_TEXT_H_
#define KG_TESTS_SUPPORT_SPARQL_QUERY_TEXT_H_

#include <string>
#include <utility>
#include <vector>

namespace kg::testing {

// The outer query's ORDER BY: whether there is one (at brace depth 0: a
// subquery's does not order the result), and its conditions when each is a
// variable, ASC(?v) or DESC(?v) (`keys_known`; else `keys` is empty).
struct QueryOrdering {
  bool ordered = false;
  bool keys_known = false;
  std::vector<std::string> keys;  // variable names without '?'
};
QueryOrdering OrderingOf(const std::string& query);

// The IRIs of FROM (second = false) and FROM NAMED (true) clauses, resolved
// against `base`.
std::vector<std::pair<std::string, bool>> DatasetClauses(
    const std::string& query, const std::string& base);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_SPARQL_QUERY_TEXT_H_
