// Lowering a parsed SPARQL query (sparql_ast.h) onto the planner's steps
// (plan.h): each basic graph pattern is bound to BoundPatterns and ordered
// by PlanBlock with the same statistics as a kg MATCH; OPTIONAL, UNION,
// MINUS, BIND, VALUES, GRAPH and sub-selects become the steps of the same
// name, FILTERs SparqlExpr steps placed as early as their variables allow.
// The provenance properties kg:root, kg:opposingRoot, kg:independentSources,
// kg:opposingSources and kg:circularSources become kCall steps.
#ifndef KG_QUERY_SPARQL_PLAN_H_
#define KG_QUERY_SPARQL_PLAN_H_

#include <memory>

#include "absl/container/flat_hash_set.h"
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "query/context.h"
#include "query/plan.h"
#include "query/sparql_ast.h"
#include "query/sparql_expr.h"

namespace kg::query::sparql {

// The solutions of a query's WHERE clause with its solution modifiers
// applied: one row per solution, a column per variable of `vars`.
struct Solutions {
  std::vector<std::string> vars;
  std::vector<std::vector<std::optional<Term>>> rows;
  std::vector<std::vector<std::string>> explain;  // when planned for EXPLAIN
};

// The graphs a query reads, as ids of GraphName terms.
struct Dataset {
  // Unset: the default graph is every claim.
  std::shared_ptr<const absl::flat_hash_set<TermId>> default_graphs;
  // Unset: every document is a named graph.
  std::shared_ptr<const absl::flat_hash_set<TermId>> named_graphs;
};

// The dataset of `q` run with `options`: the protocol's graphs if given,
// else the query's FROM / FROM NAMED, else everything.
absl::StatusOr<Dataset> DatasetOf(Context& ctx, const Query& q,
                                  const std::optional<std::vector<std::string>>& default_graphs,
                                  const std::optional<std::vector<std::string>>& named_graphs);

// Plans and runs `q` (any form: for CONSTRUCT and DESCRIBE, `vars` are every
// in-scope variable) over `dataset`. With `explain_only`, fills only
// `explain`.
absl::StatusOr<Solutions> Evaluate(Context& ctx, const Query& q, const Dataset& dataset,
                                   bool explain_only);

}  // namespace kg::query::sparql

#endif  // KG_QUERY_SPARQL_PLAN_H_
