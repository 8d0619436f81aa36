// Runs a MatchPlan: index nested-loop joins over the planned steps, each
// solution handed to a sink as soon as it is found (memory grows with what
// the sink keeps, not with the store). Path steps walk breadth-first with a
// visited set, so cycles end the walk.
#ifndef KG_QUERY_EXECUTOR_H_
#define KG_QUERY_EXECUTOR_H_

#include <functional>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "absl/status/statusor.h"
#include "query/context.h"
#include "query/plan.h"
#include "query/value.h"

namespace kg::query {

// Returns false to stop the search (e.g. LIMIT reached).
using Sink = std::function<absl::StatusOr<bool>(Row& row)>;

class Executor {
 public:
  Executor(Context& ctx, const MatchPlan& plan);
  // Runs the plan from an empty row.
  absl::Status Run(const Sink& sink);
  // Runs `steps` from `row` (EXISTS, sub-plans); `row` is as it was after.
  absl::StatusOr<bool> RunFrom(const std::vector<Step>& steps, Row& row, const Sink& sink);
  // Whether `steps` has a solution extending `row`.
  absl::StatusOr<bool> Exists(const std::vector<Step>& steps, Row& row);

  Context& ctx() { return ctx_; }
  const Bindings& bindings() const { return plan_.bindings; }

 private:
  absl::StatusOr<bool> From(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> Scan(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> Path(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> EvidenceStep(const std::vector<Step>& steps, size_t i, Row& row,
                                    const Sink& sink);
  absl::StatusOr<bool> Decompose(const std::vector<Step>& steps, size_t i, Row& row,
                                 const Sink& sink);
  absl::StatusOr<bool> Minus(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> JoinGroup(const std::vector<Step>& steps, size_t i, Row& row,
                                 const Sink& sink);
  // The solutions of `step.group` evaluated from an empty row, found once.
  absl::StatusOr<const std::vector<Row>*> GroupRows(const Step& step, size_t width);
  absl::StatusOr<bool> Table(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> Graph(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  absl::StatusOr<bool> Call(const std::vector<Step>& steps, size_t i, Row& row, const Sink& sink);
  // Binds the step's object to each of `results` in turn and runs the rest.
  absl::StatusOr<bool> BindResults(const std::vector<Step>& steps, size_t i, Row& row,
                                   const Sink& sink, std::vector<Value> results);
  // Binds `var` to `v`, or checks it against its value; false on mismatch.
  absl::StatusOr<bool> BindValue(int var, Value v, Row& row, std::vector<int>& set);

  Context& ctx_;
  const MatchPlan& plan_;
  // MINUS and kJoin: the solutions of each group evaluated on its own.
  absl::flat_hash_map<const Step*, std::vector<Row>> group_rows_;
  // GRAPH: the id of each document's graph name, looked up once (a FROM
  // dataset checks every triple a scan meets).
  absl::flat_hash_map<std::string, TermId> graph_ids_;
};

// Nodes reachable from `from` along `path` (forward, or backward when
// `forward` is false), each with its depth: for a repetition the shortest
// number of repetitions, otherwise 1.
absl::Status Reach(Context& ctx, const CompiledPath& path, const TermId& from, bool forward,
                   std::vector<std::pair<TermId, int>>& out);

}  // namespace kg::query

#endif  // KG_QUERY_EXECUTOR_H_
