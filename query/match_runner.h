// Runs a MATCH statement once it is planned (plan.h).
#ifndef KG_QUERY_MATCH_RUNNER_H_
#define KG_QUERY_MATCH_RUNNER_H_

#include "absl/status/statusor.h"
#include "query/ast.h"
#include "query/context.h"
#include "query/plan.h"
#include "query/query.h"

namespace kg::query {

// The result table of `match` planned as `plan`: its RETURN columns (or
// every named variable for RETURN *), grouped and aggregated, ordered, with
// DISTINCT, SKIP and LIMIT applied.
absl::StatusOr<Result> RunMatch(Context& ctx, const MatchAst& match, const MatchPlan& plan);

}  // namespace kg::query

#endif  // KG_QUERY_MATCH_RUNNER_H_
