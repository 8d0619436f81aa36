// Binding and planning a MATCH: names are resolved against the store
// (entities through their aliases, predicates against the statistics), and
// the patterns are ordered by estimated cost from the store's statistics --
// not by the order they were written in. Each step is one index scan (the
// permutation chosen from the positions bound when it runs), a path walk, an
// evidence lookup, a claim decomposition, a filter or an OPTIONAL group.
#ifndef KG_QUERY_PLAN_H_
#define KG_QUERY_PLAN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "kg/term_id.h"
#include "query/ast.h"
#include "query/context.h"
#include "query/value.h"

namespace kg::query {

// A position of a pattern: a constant term id or a variable slot.
struct Slot {
  int var = -1;
  TermId id;
  bool is_var() const { return var >= 0; }
};

struct CompiledPath {
  PathAst::Kind kind = PathAst::Kind::kPredicate;
  TermId predicate;
  std::string text;  // as written, for EXPLAIN
  std::vector<CompiledPath> children;
  int min = 1, max = 1;
};

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

// Resolved names and constants of a statement's expressions.
struct Bindings {
  std::vector<std::string> var_names;                  // slot -> name
  absl::flat_hash_map<std::string, int> vars;          // name -> slot
  absl::flat_hash_map<const ExprAst*, Value> consts;   // literal and name values
  int Slot(const std::string& name);                   // finds or adds
};

struct MatchPlan {
  Bindings bindings;
  std::vector<Step> steps;
};

// Resolves and plans `match`. InvalidArgument (with the position) for an
// unknown entity or predicate, a variable used before it can be bound, an
// aggregate inside WHERE, ...
absl::StatusOr<MatchPlan> PlanMatch(Context& ctx, const MatchAst& match);

// Resolves a term that must be constant (CONFLICTS ABOUT, TRACE parts).
absl::StatusOr<TermId> ResolveConstant(Context& ctx, const TermAst& term);

// Resolves a claim pattern (TRACE, SOURCES OF) into a one-step plan binding
// the claim to the hidden variable `claim_slot`.
absl::StatusOr<MatchPlan> PlanClaimPattern(Context& ctx, const PatternAst& pattern,
                                           int* claim_slot);

}  // namespace kg::query

#endif  // KG_QUERY_PLAN_H_
