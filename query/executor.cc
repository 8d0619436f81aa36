#include "query/executor.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/expr.h"
#include "query/provenance.h"

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

// Whether `id` is the subject or object of some triple.
absl::StatusOr<bool> IsNode(Context& ctx, const TermId& id) {
  for (bool subject : {true, false}) {
    TriplePattern q;
    (subject ? q.s : q.o) = id;
    TripleCursor c = ctx.snap().Scan(q);
    if (c.Valid()) return true;
    KG_RETURN_IF_ERROR(c.status());
  }
  return false;
}

bool HasNegatedSet(const CompiledPath& p) {
  if (p.kind == PathAst::Kind::kNegated) return true;
  for (const CompiledPath& c : p.children) {
    if (HasNegatedSet(c)) return true;
  }
  return false;
}

// The claim `slot` holds in `row`; nullopt if it holds no claim (unbound,
// another term, or not a term at all).
absl::StatusOr<std::optional<TermId>> ClaimIn(Context& ctx, const Slot& slot, const Row& row) {
  bool usable = true;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, SlotId(ctx, slot, row, usable));
  if (!usable || !claim || !claim->is_claim()) return std::optional<TermId>();
  return claim;
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
    case PathAst::Kind::kNegated: {
      // Forward members exclude predicates from `from` outwards; inverse
      // members exclude them inwards. With no inverse member, only the
      // outward direction is walked, and the other way round.
      absl::flat_hash_set<TermId> excluded[2];  // [0] forward, [1] inverse
      for (const CompiledPath& c : path.children) {
        const bool inverse = c.kind == PathAst::Kind::kInverse;
        excluded[inverse].insert(inverse ? c.children[0].predicate : c.predicate);
      }
      bool has[2] = {false, false};
      for (const CompiledPath& c : path.children) has[c.kind == PathAst::Kind::kInverse] = true;
      for (int dir = 0; dir < 2; ++dir) {
        if (!has[dir]) continue;
        const bool outward = (dir == 0) == forward;
        TriplePattern q;
        (outward ? q.s : q.o) = from;
        TripleCursor c = ctx.snap().Scan(q);
        for (; c.Valid(); c.Next()) {
          KG_RETURN_IF_ERROR(ctx.Tick());
          if (excluded[dir].contains(c.triple().p)) continue;
          Merge(out, index, outward ? c.triple().o : c.triple().s, 1);
        }
        KG_RETURN_IF_ERROR(c.status());
      }
      return absl::OkStatus();
    }
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

absl::StatusOr<bool> Executor::RunFrom(const std::vector<Step>& steps, Row& row,
                                       const Sink& sink) {
  return From(steps, 0, row, sink);
}

absl::StatusOr<bool> Executor::Exists(const std::vector<Step>& steps, Row& row) {
  bool found = false;
  KG_RETURN_IF_ERROR(From(steps, 0, row, [&](Row&) -> absl::StatusOr<bool> {
                       found = true;
                       return false;
                     }).status());
  return found;
}

absl::StatusOr<bool> Executor::BindValue(int var, Value v, Row& row, std::vector<int>& set) {
  if (row[var].is_null()) {
    row[var] = std::move(v);
    set.push_back(var);
    return true;
  }
  KG_ASSIGN_OR_RETURN(std::optional<TermId> a, ctx_.AsId(row[var]));
  KG_ASSIGN_OR_RETURN(std::optional<TermId> b, ctx_.AsId(v));
  if (a && b) return *a == *b;
  return ctx_.Equal(row[var], v);
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
      bool pass = false;
      if (step.expr) {
        KG_ASSIGN_OR_RETURN(pass, step.expr->Test(*this, row));
      } else {
        Evaluator eval(ctx_, plan_.bindings);
        KG_ASSIGN_OR_RETURN(pass, eval.Test(*step.filter, row));
      }
      if (!pass) return true;
      return From(steps, i + 1, row, sink);
    }
    case Step::Kind::kBind: {
      KG_ASSIGN_OR_RETURN(std::optional<Value> v, step.expr->Eval(*this, row));
      if (!v || v->is_null()) return From(steps, i + 1, row, sink);
      std::vector<int> set;
      KG_ASSIGN_OR_RETURN(bool ok, BindValue(step.var, std::move(*v), row, set));
      absl::StatusOr<bool> go_on = true;
      if (ok) go_on = From(steps, i + 1, row, sink);
      for (int var : set) row[var] = Value();
      return go_on;
    }
    case Step::Kind::kUnion: {
      Sink rest = [&](Row& r) -> absl::StatusOr<bool> { return From(steps, i + 1, r, sink); };
      for (const std::vector<Step>& branch : step.branches) {
        KG_ASSIGN_OR_RETURN(bool go_on, From(branch, 0, row, rest));
        if (!go_on) return false;
      }
      return true;
    }
    case Step::Kind::kMinus: return Minus(steps, i, row, sink);
    case Step::Kind::kJoin: return JoinGroup(steps, i, row, sink);
    case Step::Kind::kTable: return Table(steps, i, row, sink);
    case Step::Kind::kGraph: return Graph(steps, i, row, sink);
    case Step::Kind::kCall: return Call(steps, i, row, sink);
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
  } else if (HasNegatedSet(*step.path)) {
    // Neither end bound and any predicate may be walked: every subject (and
    // object, for walks against the arrows) may start it.
    absl::flat_hash_set<TermId> seen;
    TripleCursor c = ctx_.snap().Scan(TriplePattern{});
    for (; c.Valid(); c.Next()) {
      KG_RETURN_IF_ERROR(ctx_.Tick());
      for (const TermId& id : {c.triple().s, c.triple().o}) {
        if (seen.insert(id).second) {
          KG_RETURN_IF_ERROR(ctx_.CountRow());
          starts.push_back(id);
        }
      }
    }
    KG_RETURN_IF_ERROR(c.status());
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
  // A start the row bound (not a constant of the query) matches itself at
  // zero length only if it is a node of the graph, as when the path is
  // evaluated before the join that binds it.
  const Slot& start_slot = s ? step.s : step.o;
  for (const TermId& start : starts) {
    std::vector<std::pair<TermId, int>> reached;
    KG_RETURN_IF_ERROR(Reach(ctx_, *step.path, start, forward, reached));
    bool in_graph = true;
    if (start_slot.is_var() && (s || o)) {
      KG_ASSIGN_OR_RETURN(in_graph, IsNode(ctx_, start));
    }
    for (const auto& [node, depth] : reached) {
      if (depth == 0 && !in_graph) continue;
      KG_ASSIGN_OR_RETURN(bool go_on, forward ? emit(start, node, depth) : emit(node, start, depth));
      if (!go_on) return false;
    }
  }
  return true;
}

absl::StatusOr<bool> Executor::EvidenceStep(const std::vector<Step>& steps, size_t i, Row& row,
                                            const Sink& sink) {
  const Step& step = steps[i];
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, ClaimIn(ctx_, step.s, row));
  if (!claim) return true;
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
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, ClaimIn(ctx_, step.s, row));
  if (!claim) return true;
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

absl::StatusOr<bool> Executor::Minus(const std::vector<Step>& steps, size_t i, Row& row,
                                     const Sink& sink) {
  const Step& step = steps[i];
  // The right-hand side is evaluated on its own (it sees none of the row's
  // variables), once; a row is dropped when some solution of it agrees with
  // the row on the variables both bind, and they bind at least one.
  KG_ASSIGN_OR_RETURN(const std::vector<Row>* right, GroupRows(step, row.size()));
  for (const Row& r : *right) {
    bool shared = false, compatible = true;
    for (size_t v = 0; v < row.size() && compatible; ++v) {
      if (row[v].is_null() || r[v].is_null()) continue;
      shared = true;
      KG_ASSIGN_OR_RETURN(std::optional<TermId> a, ctx_.AsId(row[v]));
      KG_ASSIGN_OR_RETURN(std::optional<TermId> b, ctx_.AsId(r[v]));
      compatible = a && b && *a == *b;
    }
    if (shared && compatible) return true;
  }
  return From(steps, i + 1, row, sink);
}

absl::StatusOr<const std::vector<Row>*> Executor::GroupRows(const Step& step, size_t width) {
  auto it = group_rows_.find(&step);
  if (it == group_rows_.end()) {
    std::vector<Row> found;
    Row empty(width);
    KG_RETURN_IF_ERROR(From(step.group, 0, empty, [&](Row& r) -> absl::StatusOr<bool> {
                         KG_RETURN_IF_ERROR(ctx_.CountRow());
                         found.push_back(r);
                         return true;
                       }).status());
    it = group_rows_.emplace(&step, std::move(found)).first;
  }
  return &it->second;
}

absl::StatusOr<bool> Executor::JoinGroup(const std::vector<Step>& steps, size_t i, Row& row,
                                         const Sink& sink) {
  KG_ASSIGN_OR_RETURN(const std::vector<Row>* rows, GroupRows(steps[i], row.size()));
  for (const Row& r : *rows) {
    KG_RETURN_IF_ERROR(ctx_.Tick());
    std::vector<int> set;
    bool ok = true;
    for (size_t v = 0; v < r.size() && ok; ++v) {
      if (r[v].is_null()) continue;
      KG_ASSIGN_OR_RETURN(ok, BindValue(static_cast<int>(v), r[v], row, set));
    }
    absl::StatusOr<bool> go_on = true;
    if (ok) go_on = From(steps, i + 1, row, sink);
    for (int var : set) row[var] = Value();
    if (!go_on.ok() || !*go_on) return go_on;
  }
  return true;
}

absl::StatusOr<bool> Executor::Table(const std::vector<Step>& steps, size_t i, Row& row,
                                     const Sink& sink) {
  const Step& step = steps[i];
  for (const std::vector<Value>& values : *step.table) {
    KG_RETURN_IF_ERROR(ctx_.Tick());
    std::vector<int> set;
    bool ok = true;
    for (size_t k = 0; k < values.size() && ok; ++k) {
      if (values[k].is_null()) continue;
      KG_ASSIGN_OR_RETURN(ok, BindValue(step.table_vars[k], values[k], row, set));
    }
    absl::StatusOr<bool> go_on = true;
    if (ok) go_on = From(steps, i + 1, row, sink);
    for (int var : set) row[var] = Value();
    if (!go_on.ok() || !*go_on) return go_on;
  }
  return true;
}

absl::StatusOr<bool> Executor::Graph(const std::vector<Step>& steps, size_t i, Row& row,
                                     const Sink& sink) {
  const Step& step = steps[i];
  KG_ASSIGN_OR_RETURN(std::optional<TermId> claim, ClaimIn(ctx_, step.s, row));
  if (!claim) return true;
  KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(*claim));
  absl::flat_hash_set<std::string> seen;
  Undo undo(row);
  for (const EvidenceEntry& e : *all) {
    if (!seen.insert(e.document_id).second) continue;
    auto cached = graph_ids_.find(e.document_id);
    if (cached == graph_ids_.end()) {
      KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(GraphName(e.document_id)));
      cached = graph_ids_.emplace(e.document_id, id).first;
    }
    const TermId doc = cached->second;
    if (step.graphs && !step.graphs->contains(doc)) continue;
    if (step.graph_check) return From(steps, i + 1, row, sink);
    KG_ASSIGN_OR_RETURN(bool ok, BindSlot(ctx_, step.o, doc, row, undo));
    if (ok) {
      KG_ASSIGN_OR_RETURN(bool go_on, From(steps, i + 1, row, sink));
      if (!go_on) return false;
    }
    undo.Reset();
  }
  return true;
}

absl::StatusOr<bool> Executor::Call(const std::vector<Step>& steps, size_t i, Row& row,
                                    const Sink& sink) {
  const Step& step = steps[i];
  std::vector<Value> results;
  const Value* subject = step.s.is_var() ? &row[step.s.var] : nullptr;
  std::optional<std::vector<EvidenceEntry>> only;
  if (subject != nullptr && subject->kind == Value::Kind::kEvidence) {
    if (step.field.has_value()) {
      // A field of a piece of evidence: kg:quote, kg:hedge, kg:document ...
      Evaluator eval(ctx_, plan_.bindings);
      KG_ASSIGN_OR_RETURN(Value v, eval.Field(*subject, *step.field));
      if (v.kind == Value::Kind::kList) {
        for (const Value& item : *v.list) results.push_back(item);
      } else if (!v.is_null()) {
        results.push_back(std::move(v));
      }
    } else {
      only.emplace(1, *subject->evidence);  // the chains of this evidence only
    }
  }
  if (step.field.has_value()) {
    const bool vocabulary_value =
        step.field->id == FieldId::kHedge || step.field->id == FieldId::kStance;
    for (Value& v : results) {
      // Hedges and stances are kg vocabulary terms (kg:claimed), as in an RDF
      // export; other text is a string.
      if (v.kind == Value::Kind::kText && vocabulary_value) {
        v = Value::Of(Term::Iri(StrCat(kKgVocabNs, *v.text)));
      }
      if (v.kind == Value::Kind::kText) v = Value::Of(Term::String(*v.text));
      if (v.kind == Value::Kind::kTerm && v.term->kind() == TermKind::kDocument) {
        v = Value::Of(GraphName(v.term->text()));  // as GRAPH names it
      }
      if (v.kind == Value::Kind::kInt) v = Value::Of(Term::Integer(v.number));
      if (v.kind == Value::Kind::kBool) {
        v = Value::Of(Term::TypedLiteral(v.number ? "true" : "false",
                                         "http://www.w3.org/2001/XMLSchema#boolean"));
      }
    }
    return BindResults(steps, i, row, sink, std::move(results));
  }
  std::optional<TermId> claim;
  if (only) {
    claim = only->front().claim;
  } else {
    KG_ASSIGN_OR_RETURN(claim, ClaimIn(ctx_, step.s, row));
  }
  if (!claim) return true;
  KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots,
                      RootsOf(ctx_, *claim, only ? &*only : nullptr));
  if (step.function == "root" || step.function == "opposingRoot") {
    absl::flat_hash_set<TermId> seen;
    for (const RootSource& r : roots) {
      if (r.cycle || r.opposes != (step.function == "opposingRoot")) continue;
      for (const Term& t : r.roots) {
        KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(t));
        if (seen.insert(id).second) results.push_back(Value::Id(id));
      }
    }
  } else {
    const SourceCounts counts = CountSources(roots);
    const int64_t n = step.function == "independentSources" ? counts.supporting
                      : step.function == "opposingSources"  ? counts.opposing
                                                            : counts.circular;
    results.push_back(Value::Of(Term::Integer(n)));
  }
  return BindResults(steps, i, row, sink, std::move(results));
}

absl::StatusOr<bool> Executor::BindResults(const std::vector<Step>& steps, size_t i, Row& row,
                                           const Sink& sink, std::vector<Value> results) {
  const Step& step = steps[i];
  for (Value& v : results) {
    std::vector<int> set;
    KG_ASSIGN_OR_RETURN(bool ok, step.o.is_var() ? BindValue(step.o.var, v, row, set)
                                                 : absl::StatusOr<bool>(false));
    if (!step.o.is_var()) {
      KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx_.AsId(v));
      ok = id && *id == step.o.id;
    }
    absl::StatusOr<bool> go_on = true;
    if (ok) go_on = From(steps, i + 1, row, sink);
    for (int var : set) row[var] = Value();
    if (!go_on.ok() || !*go_on) return go_on;
  }
  return true;
}

}  // namespace kg::query
