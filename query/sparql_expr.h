// SPARQL expressions over rows (SPARQL 1.1 section 17): operators and
// functions on RDF terms with SPARQL's rules -- an error (an unbound
// variable, a type error) is a value of its own that FILTER reads as false
// and BIND leaves unbound. The value space they work in (numbers,
// comparisons, casts, order, aggregates) is sparql_values.h.
#ifndef KG_QUERY_SPARQL_EXPR_H_
#define KG_QUERY_SPARQL_EXPR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "kg/term.h"
#include "query/executor.h"
#include "query/plan.h"
#include "query/sparql_ast.h"
#include "query/sparql_values.h"

namespace kg::query::sparql {

// Values of the aggregate calls of one group (nullopt: the aggregate
// raised an error).
using AggregateValues = absl::flat_hash_map<const Expr*, std::optional<Term>>;

class SparqlExpr : public RowExpr {
 public:
  // `slots`: variable name -> row slot, the plan's Bindings::vars (a
  // variable without one is unbound). `exists`: the planned pattern of each
  // EXISTS / NOT EXISTS node. Neither is owned (the plan holds this
  // expression); both must outlive every Eval.
  SparqlExpr(ExprPtr expr, const absl::flat_hash_map<std::string, int>* slots,
             const absl::flat_hash_map<const Expr*, std::vector<Step>>* exists, std::string text);

  absl::StatusOr<std::optional<Value>> Eval(Executor& exec, const Row& row) const override;
  absl::StatusOr<bool> Test(Executor& exec, const Row& row) const override;
  std::vector<int> Vars() const override;
  std::string Text() const override { return text_; }

  // The value with the group's aggregates (for SELECT, HAVING and ORDER BY
  // of a grouped query).
  absl::StatusOr<std::optional<Term>> EvalTerm(Executor& exec, const Row& row,
                                               const AggregateValues* aggregates) const;
  absl::StatusOr<std::optional<Term>> EvalNode(const Expr& e, Executor& exec, const Row& row,
                                               const AggregateValues* aggregates) const;
  const Expr& expr() const { return *expr_; }

 private:
  absl::StatusOr<std::optional<Term>> Call(const Expr& e, Executor& exec, const Row& row,
                                           const AggregateValues* aggregates) const;

  ExprPtr expr_;
  const absl::flat_hash_map<std::string, int>* slots_;
  const absl::flat_hash_map<const Expr*, std::vector<Step>>* exists_;
  std::string text_;
};

}  // namespace kg::query::sparql

#endif  // KG_QUERY_SPARQL_EXPR_H_
