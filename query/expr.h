// Evaluating bound expressions (WHERE, RETURN, ORDER BY, GROUP BY) over a
// row: variables, constants, fields and functions as the binder resolved
// them (binder.h). Comparisons with a list on either side hold if they hold
// for some item (`evidence(?c).hedge IN (asserted, reported)` = some
// evidence has one of those hedges). A field that a value turns out not to
// have (?x.name of a document) is null, and null is false in a filter.
#ifndef KG_QUERY_EXPR_H_
#define KG_QUERY_EXPR_H_

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "query/ast.h"
#include "query/context.h"
#include "query/binder.h"
#include "query/value.h"

namespace kg::query {

// Values of aggregate calls for one group.
using AggregateValues = absl::flat_hash_map<const ExprAst*, Value>;

class Evaluator {
 public:
  Evaluator(Context& ctx, const Bindings& bindings) : ctx_(ctx), bindings_(bindings) {}

  absl::StatusOr<Value> Eval(const ExprAst& e, const Row& row,
                             const AggregateValues* aggregates = nullptr);
  absl::StatusOr<bool> Test(const ExprAst& e, const Row& row);

  // A field of a value: ?e.hedge, ?c.subject, ?d.title ... (null if absent).
  absl::StatusOr<Value> Field(const Value& v, const FieldRef& field);

 private:
  absl::StatusOr<Value> TermField(const Term& t, const FieldRef& field);
  absl::StatusOr<Value> Call(const ExprAst& e, const Row& row, const AggregateValues* aggs);
  // contains(), starts_with() and regex() of evaluated arguments.
  absl::StatusOr<Value> TextMatch(const ExprAst& e, FunctionId f, const std::vector<Value>& args);
  absl::StatusOr<bool> Truthy(const Value& v);

  Context& ctx_;
  const Bindings& bindings_;
};

// Whether `e` is a call of an aggregate (count, min, max, sum).
bool IsAggregateCall(const ExprAst& e);
// Whether `e` or any expression inside it is an aggregate call.
bool HasAggregate(const ExprAst& e);

}  // namespace kg::query

#endif  // KG_QUERY_EXPR_H_
