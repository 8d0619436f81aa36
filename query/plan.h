// Planning a bound MATCH (binder.h): the patterns are ordered by estimated
// cost from the store's statistics -- not by the order they were written
// in. Each step is one index scan (the permutation chosen from the
// positions bound when it runs), a path walk, an evidence lookup, a claim
// decomposition, a filter or an OPTIONAL group.
#ifndef KG_QUERY_PLAN_H_
#define KG_QUERY_PLAN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "query/ast.h"
#include "query/binder.h"
#include "query/context.h"

namespace kg::query {

// A pattern step carries its bound pattern's slots (BoundPattern).
struct Step {
  enum class Kind { kScan, kPath, kEvidence, kDecompose, kFilter, kOptional };
  Kind kind = Kind::kScan;
  Slot s, p, o;         // kScan; kPath uses s, o; kEvidence: s = claim, o = evidence var
                        // kDecompose: s = the claim var, parts below
  Slot parts[3];        // kDecompose
  int claim_var = -1;   // kScan: `?c = (...)`
  int depth_var = -1;   // kPath
  std::shared_ptr<const CompiledPath> path;
  ExprPtr filter;       // kFilter
  std::vector<Step> group;  // kOptional
  Pos pos;              // where the pattern was written
  double estimate = 0;  // rows per input row
  std::string text;     // the pattern, for EXPLAIN
  std::string index;    // the permutation and bound positions, for EXPLAIN
};

struct MatchPlan {
  Bindings bindings;
  std::vector<Step> steps;
};

// Plans a bound MATCH (binder.h). InvalidArgument (with the position) for
// a pattern that can never run, such as `?c EVIDENCE ?e` with no pattern
// binding ?c to a claim.
absl::StatusOr<MatchPlan> PlanMatch(Context& ctx, BoundMatch bound);

// Binds and plans a claim pattern (TRACE, SOURCES OF): a one-step plan
// binding the claim to the hidden variable `claim_slot`.
absl::StatusOr<MatchPlan> PlanClaimPattern(Context& ctx, const PatternAst& pattern,
                                           int* claim_slot);

}  // namespace kg::query

#endif  // KG_QUERY_PLAN_H_
