#include "query/executor.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/expr.h"

namespace kg::query {
namespace {

// Variables set while matching one step; unset again when backtracking.
class Undo {
 public:
  explicit Undo(Row& row) : row_(row) {}
  ~Undo() { Reset(); }
  void Set(int var, Value v) {
    row_[var] = std::move(v);
    vars_.push_back(var);
  }
  void Reset() {
    for (int v : vars_) row_[v] = Value();
    vars_.clear();
  }

 private:
  Row& row_;
  std::vector<int> vars_;
};

// The id a slot has in `row`, if it is constant or bound; `usable` is false
// if it is bound to something that is not a term (it then matches nothing).
absl::StatusOr<std::optional<TermId>> SlotId(Context& ctx, const Slot& slot, const Row& row,
                                             bool& usable) {
  usable = true;
  if (!slot.is_var()) return std::optional<TermId>(slot.id);
  const Value& v = row[slot.var];
  if (v.is_null()) return std::optional<TermId>();
  KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx.AsId(v));
  if (!id) usable = false;
  return id;
}

// Binds `slot` to `id` (or checks it against its value). False on mismatch.
absl::StatusOr<bool> BindSlot(Context& ctx, const Slot& slot, const TermId& id, Row& row,
                              Undo& undo) {
  if (!slot.is_var()) return slot.id == id;
  const Value& v = row[slot.var];
  if (v.is_null()) {
    undo.Set(slot.var, Value::Id(id));
    return true;
  }
  KG_ASSIGN_OR_RETURN(std::optional<TermId> bound, ctx.AsId(v));
  return bound && *bound == id;
}

void Merge(std::vector<std::pair<TermId, int>>& out, absl::flat_hash_map<TermId, size_t>& index,
           const TermId& id, int depth) {
  auto [it, inserted] = index.emplace(id, out.size());
  if (inserted) {
    out.emplace_back(id, depth);
  } else if (depth < out[it->second].second) {
    out[it->second].second = depth;
  }
}

}  // namespace

absl::Status Reach(Context& ctx, const CompiledPath& path, const TermId& from, bool forward,
                   std::vector<std::pair<TermId, int>>& out) {
  KG_RETURN_IF_ERROR(ctx.Tick());
  absl::flat_hash_map<TermId, size_t> index;
  switch (path.kind) {
    case PathAst::Kind::kPredicate: {
      TriplePattern q;
      q.p = path.predicate;
      (forward ? q.s : q.o) = from;
      TripleCursor c = ctx.snap().Scan(q);
      for (; c.Valid(); c.Next()) {
        KG_RETURN_IF_ERROR(ctx.Tick());
        Merge(out, index, forward ? c.triple().o : c.triple().s, 1);
      }
      return c.status();
    }
    case PathAst::Kind::kInverse:
      return Reach(ctx, path.children[0], from, !forward, out);
    case PathAst::Kind::kAlternative: {
      for (const CompiledPath& child : path.children) {
        std::vector<std::pair<TermId, int>> part;
        KG_RETURN_IF_ERROR(Reach(ctx, child, from, forward, part));
        for (const auto& [id, d] : part) Merge(out, index, id, d);
      }
      return absl::OkStatus();
    }
    case PathAst::Kind::kSequence: {
      std::vector<TermId> frontier = {from};
      const size_t n = path.children.size();
      for (size_t k = 0; k < n; ++k) {
        const CompiledPath& child = path.children[forward ? k : n - 1 - k];
        std::vector<std::pair<TermId, int>> next;
        absl::flat_hash_map<TermId, size_t> next_index;
        for (const TermId& f : frontier) {
          std::vector<std::pair<TermId, int>> part;
          KG_RETURN_IF_ERROR(Reach(ctx, child, f, forward, part));
          for (const auto& [id, d] : part) Merge(next, next_index, id, 1);
        }
        frontier.clear();
        for (const auto& [id, d] : next) frontier.push_back(id);
      }
      for (const TermId& id : frontier) Merge(out, index, id, 1);
      return absl::OkStatus();
    }
    case PathAst::Kind::kRepeat: {
      // The start is not marked visited: a cycle back to it reports it at
      // the cycle's length (a cites+ a), and expands nothing new.
      absl::flat_hash_set<TermId> visited;
      if (path.min == 0) Merge(out, index, from, 0);
      std::vector<TermId> frontier = {from};
      for (int level = 1; !frontier.empty() && (path.max < 0 || level <= path.max); ++level) {
        std::vector<TermId> next;
        for (const TermId& f : frontier) {
          std::vector<std::pair<TermId, int>> part;
          KG_RETURN_IF_ERROR(Reach(ctx, path.children[0], f, forward, part));
          for (const auto& [id, d] : part) {
            if (!visited.insert(id).second) continue;
            KG_RETURN_IF_ERROR(ctx.CountRow());
            next.push_back(id);
            if (level >= path.min) Merge(out, index, id, level);
          }
        }
        frontier = std::move(next);
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

Executor::Executor(Context& ctx, const MatchPlan& plan) : ctx_(ctx), plan_(plan) {}

absl::Status Executor::Run(const Sink& sink) {
  Row row(plan_.bindings.var_names.size());
  return From(plan_.steps, 0, row, sink).status();
}

absl::StatusOr<bool> Executor::From(const std::vector<Step>& steps, size_t i, Row& row,
                                    const Sink& sink) {
  if (i == steps.size()) return sink(row);
  KG_RETURN_IF_ERROR(ctx_.Tick());
  const Step& step = steps[i];
  switch (step.kind) {
    case Step::Kind::kScan: return Scan(steps, i, row, sink);
    case Step::Kind::kPath: return Path(steps, i, row, sink);
    case Step::Kind::kEvidence: return EvidenceStep(steps, i, row, sink);
    case Step::Kind::kDecompose: return Decompose(steps, i, row, sink);
    case Step::Kind::kFilter: {
      Evaluator eval(ctx_, plan_.bindings);
      KG_ASSIGN_OR_RETURN(bool pass, eval.Test(*step.filter, row));
      if (!pass) return true;
      return From(steps, i + 1, row, sink);
    }
    case Step::Kind::kOptional: {
      bool matched = false;
      Sink inner = [&](Row& r) -> absl::StatusOr<bool> {
        matched = true;
        return From(steps, i + 1, r, sink);
      };
      KG_ASSIGN_OR_RETURN(bool go_on, From(step.group, 0, row, inner));
      if (!go_on) return false;
      if (matched) return true;
      return From(steps, i + 1, row, sink);
    }
  }
  return true;
}

absl::StatusOr<bool> Executor::Scan(const std::vector<Step>& steps, size_t i, Row& row,
                                    const Sink& sink) {
  const Step& step = steps[i];
  Undo undo(row);
  // A bound claim variable: the triple is the claim's own.
  if (step.claim_var >= 0 && !row[step.claim_var].is_null()) {
    KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, ctx_.AsId(row[step.claim_var]));
    if (!claim || !claim->is_claim()) return true;
    auto triple = ctx_.snap().ClaimTriple(*claim);
    if (absl::IsNotFound(triple.status())) return true;
    if (!triple.ok()) return triple.status();
    KG_ASSIGN_OR_RETURN(bool asserted, ctx_.snap().Contains(*triple));
    if (!asserted) return true;
    for (auto [slot, id] : {std::pair{&step.s, triple->s}, std::pair{&step.p, triple->p},
                            std::pair{&step.o, triple->o}}) {
      KG_ASSIGN_OR_RETURN(bool ok, BindSlot(ctx_, *slot, id, row, undo));
      if (!ok) return true;
    }
    return From(steps, i + 1, row, sink);
  }
  TriplePattern q;
  for (auto [slot, target] : {std::pair{&step.s, &q.s}, std::pair{&step.p, &q.p},
                              std::pair{&step.o, &q.o}}) {
    bool usable = true;
    KG_ASSIGN_OR_RETURN(*target, SlotId(ctx_, *slot, row, usable));
    if (!usable) return true;
  }
  TripleCursor c = ctx_.snap().Scan(q);
  for (; c.Valid(); c.Next()) {
    KG_RETURN_IF_ERROR(ctx_.Tick());
    const Triple& t = c.triple();
    bool ok = true;
    for (auto [slot, id] : {std::pair{&step.s, t.s}, std::pair{&step.p, t.p},
                            std::pair{&step.o, t.o}}) {
      if (!ok) break;
      KG_ASSIGN_OR_RETURN(ok, BindSlot(ctx_, *slot, id, row, undo));
    }
    if (ok && step.claim_var >= 0) {
      KG_ASSIGN_OR_RETURN(const TermId claim, ctx_.snap().ClaimIdOf(t));
      undo.Set(step.claim_var, Value::Id(claim));
    }
    if (ok) {
      KG_ASSIGN_OR_RETURN(bool go_on, From(steps, i + 1, row, sink));
      if (!go_on) return false;
    }
    undo.Reset();
  }
  KG_RETURN_IF_ERROR(c.status());
  return true;
}

absl::StatusOr<bool> Executor::Path(const std::vector<Step>& steps, size_t i, Row& row,
                                    const Sink& sink) {
  const Step& step = steps[i];
  bool s_usable = true, o_usable = true;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> s, SlotId(ctx_, step.s, row, s_usable));
  KG_ASSIGN_OR_RETURN(std::optional<TermId> o, SlotId(ctx_, step.o, row, o_usable));
  if (!s_usable || !o_usable) return true;
  Undo undo(row);
  auto emit = [&](const TermId& start, const TermId& end, int depth) -> absl::StatusOr<bool> {
    KG_ASSIGN_OR_RETURN(bool a, BindSlot(ctx_, step.s, start, row, undo));
    bool b = false;
    if (a) {
      KG_ASSIGN_OR_RETURN(b, BindSlot(ctx_, step.o, end, row, undo));
    }
    bool go_on = true;
    if (a && b) {
      if (step.depth_var >= 0) undo.Set(step.depth_var, Value::Int(depth));
      KG_ASSIGN_OR_RETURN(go_on, From(steps, i + 1, row, sink));
    }
    undo.Reset();
    return go_on;
  };
  std::vector<TermId> starts;
  bool forward = true;
  if (s) {
    starts.push_back(*s);
  } else if (o) {
    starts.push_back(*o);
    forward = false;
  } else {
    // Neither end bound: every node the path's predicates touch may start it.
    absl::flat_hash_set<TermId> seen;
    std::vector<const CompiledPath*> stack = {step.path.get()};
    while (!stack.empty()) {
      const CompiledPath* p = stack.back();
      stack.pop_back();
      for (const CompiledPath& c : p->children) stack.push_back(&c);
      if (p->kind != PathAst::Kind::kPredicate) continue;
      TriplePattern q;
      q.p = p->predicate;
      TripleCursor c = ctx_.snap().Scan(q);
      for (; c.Valid(); c.Next()) {
        for (const TermId& id : {c.triple().s, c.triple().o}) {
          if (seen.insert(id).second) {
            KG_RETURN_IF_ERROR(ctx_.CountRow());
            starts.push_back(id);
          }
        }
      }
      KG_RETURN_IF_ERROR(c.status());
    }
  }
  for (const TermId& start : starts) {
    std::vector<std::pair<TermId, int>> reached;
    KG_RETURN_IF_ERROR(Reach(ctx_, *step.path, start, forward, reached));
    for (const auto& [node, depth] : reached) {
      KG_ASSIGN_OR_RETURN(bool go_on, forward ? emit(start, node, depth) : emit(node, start, depth));
      if (!go_on) return false;
    }
  }
  return true;
}

absl::StatusOr<bool> Executor::EvidenceStep(const std::vector<Step>& steps, size_t i, Row& row,
                                            const Sink& sink) {
  const Step& step = steps[i];
  bool usable = true;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, SlotId(ctx_, step.s, row, usable));
  if (!usable || !claim || !claim->is_claim()) return true;
  KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(*claim));
  Undo undo(row);
  const bool bound = !row[step.o.var].is_null();
  for (const EvidenceEntry& e : *all) {
    KG_RETURN_IF_ERROR(ctx_.Tick());
    Value v = Value::Evidence(e);
    if (bound) {
      KG_ASSIGN_OR_RETURN(bool same, ctx_.Equal(row[step.o.var], v));
      if (!same) continue;
      KG_ASSIGN_OR_RETURN(bool go_on, From(steps, i + 1, row, sink));
      if (!go_on) return false;
      continue;
    }
    undo.Set(step.o.var, std::move(v));
    KG_ASSIGN_OR_RETURN(bool go_on, From(steps, i + 1, row, sink));
    if (!go_on) return false;
    undo.Reset();
  }
  return true;
}

absl::StatusOr<bool> Executor::Decompose(const std::vector<Step>& steps, size_t i, Row& row,
                                         const Sink& sink) {
  const Step& step = steps[i];
  bool usable = true;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, SlotId(ctx_, step.s, row, usable));
  if (!usable || !claim || !claim->is_claim()) return true;
  auto triple = ctx_.snap().ClaimTriple(*claim);
  if (absl::IsNotFound(triple.status())) return true;
  if (!triple.ok()) return triple.status();
  Undo undo(row);
  const TermId ids[3] = {triple->s, triple->p, triple->o};
  for (int k = 0; k < 3; ++k) {
    KG_ASSIGN_OR_RETURN(bool ok, BindSlot(ctx_, step.parts[k], ids[k], row, undo));
    if (!ok) return true;
  }
  return From(steps, i + 1, row, sink);
}

}  // namespace kg::query
