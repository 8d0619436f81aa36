// Planning a bound MATCH (binder.h): the patterns are ordered by estimated
// cost from the store's statistics -- not by the order they were written
// in. Each step is one index scan (the permutation chosen from the
// positions bound when it runs), a path walk, an evidence lookup, a claim
// decomposition, a filter or an OPTIONAL group.
#ifndef KG_QUERY_PLAN_H_
#define KG_QUERY_PLAN_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "query/ast.h"
#include "query/binder.h"
#include "query/context.h"

namespace kg::query {

class Executor;

// An expression the executor evaluates over a row without the kg
// evaluator (expr.h): SPARQL's FILTER and BIND expressions
// (sparql_expr.h), which follow SPARQL's rules for errors and types.
class RowExpr {
 public:
  virtual ~RowExpr() = default;
  // The value; nullopt when evaluation raises an error (an unbound
  // variable, a type error), which SPARQL does not treat as a failure.
  // Status errors are real failures (the store, a timeout).
  virtual absl::StatusOr<std::optional<Value>> Eval(Executor& exec, const Row& row) const = 0;
  // The effective boolean value; false on an evaluation error.
  virtual absl::StatusOr<bool> Test(Executor& exec, const Row& row) const = 0;
  // The slots the expression reads (a filter runs once they are bound).
  virtual std::vector<int> Vars() const = 0;
  // The expression as written, for EXPLAIN.
  virtual std::string Text() const = 0;
};

// A pattern step carries its bound pattern's slots (BoundPattern).
struct Step {
  enum class Kind {
    kScan, kPath, kEvidence, kDecompose, kFilter, kOptional,
    kUnion,   // each of `branches` in turn, each followed by the rest
    kMinus,   // drops the row if `group` matches it on a shared variable
    kBind,    // `var` := `expr` (left unbound on an error)
    kTable,   // joins the rows of `table` (VALUES, a sub-select's results)
    kGraph,   // s = a claim, o = a document with evidence for it (GRAPH)
    kCall,    // a provenance function: s = claim, o = its result (`function`)
    kJoin,    // `group` evaluated on its own, once, joined with each row
  };
  Kind kind = Kind::kScan;
  Slot s, p, o;         // kScan; kPath uses s, o; kEvidence: s = claim, o = evidence var
                        // kDecompose: s = the claim var, parts below
  Slot parts[3];        // kDecompose
  int claim_var = -1;   // kScan: `?c = (...)`
  int depth_var = -1;   // kPath
  std::shared_ptr<const CompiledPath> path;
  ExprPtr filter;       // kFilter (the kg language)
  std::shared_ptr<const RowExpr> expr;  // kFilter (SPARQL), kBind
  int var = -1;         // kBind
  std::vector<Step> group;  // kOptional, kMinus
  std::vector<std::vector<Step>> branches;  // kUnion
  std::vector<int> table_vars;               // kTable: slot of each column
  std::shared_ptr<const std::vector<std::vector<Value>>> table;  // kTable; null value: UNDEF
  std::string function; // kCall: "root", "independentSources", ...
  // kGraph: the graphs (GraphName ids) it may bind; null: every document.
  // With `graph_check`, it binds nothing and passes a row on once if the
  // claim is in any of them (a default graph made of several graphs).
  std::shared_ptr<const absl::flat_hash_set<TermId>> graphs;
  bool graph_check = false;
  std::optional<FieldRef> field;  // kCall: an evidence field (kg:quote, ...) instead
  Pos pos;              // where the pattern was written
  double estimate = 0;  // rows per input row
  std::string text;     // the pattern, for EXPLAIN
  std::string index;    // the permutation and bound positions, for EXPLAIN
};

struct MatchPlan {
  Bindings bindings;
  std::vector<Step> steps;
};

// The slots a step binds when it runs (for a group, those all its branches
// bind).
std::vector<int> VarsBoundBy(const Step& step);

// Plans one block of patterns (a basic graph pattern) to run after the
// variables in `bound` are bound: orders `patterns` by estimated cost and
// places each filter of `filters` (kFilter steps) as soon as its variables
// are bound, appending the steps to `out`. `bound` is updated; filters
// that never become ready stay in `filters`.
absl::Status PlanBlock(Context& ctx, const Bindings& bindings, std::vector<BoundPattern> patterns,
                       std::vector<Step>& filters, absl::flat_hash_set<int>& bound,
                       std::vector<Step>& out);

// One EXPLAIN row per step: step number ("2.1" inside a group), operator,
// pattern, index, estimate.
std::vector<std::vector<std::string>> ExplainRows(const std::vector<Step>& steps);

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
