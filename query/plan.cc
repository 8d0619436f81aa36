#include "query/plan.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "kg/keys.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/parser.h"

namespace kg::query {
namespace {

void CollectVars(const ExprAst& e, std::vector<std::string>& out) {
  if (e.kind == ExprAst::Kind::kTerm && e.term->kind == TermAst::Kind::kVar) {
    out.push_back(e.term->text);
  }
  for (const ExprPtr& c : e.children) CollectVars(*c, out);
}

Step StepOf(BoundPattern p) {
  Step s;
  switch (p.kind) {
    case BoundPattern::Kind::kScan: s.kind = Step::Kind::kScan; break;
    case BoundPattern::Kind::kPath:
      s.kind = Step::Kind::kPath;
      s.index = "breadth-first walk";
      break;
    case BoundPattern::Kind::kEvidence:
      s.kind = Step::Kind::kEvidence;
      s.index = "evidence by claim";
      break;
    case BoundPattern::Kind::kDecompose:
      s.kind = Step::Kind::kDecompose;
      s.index = "claim record";
      break;
  }
  s.s = p.s;
  s.p = p.p;
  s.o = p.o;
  for (int k = 0; k < 3; ++k) s.parts[k] = p.parts[k];
  s.claim_var = p.claim_var;
  s.depth_var = p.depth_var;
  s.path = std::move(p.path);
  s.pos = p.pos;
  s.text = std::move(p.text);
  return s;
}

class Planner {
 public:
  Planner(Context& ctx, MatchPlan& plan) : ctx_(ctx), plan_(plan) {}

  absl::Status Init() {
    KG_ASSIGN_OR_RETURN(totals_, ctx_.snap().Totals(/*count_predicates=*/false));
    return absl::OkStatus();
  }

  absl::StatusOr<PredicateStats> StatsOf(const TermId& p) {
    auto it = stats_.find(p);
    if (it != stats_.end()) return it->second;
    KG_ASSIGN_OR_RETURN(PredicateStats s, ctx_.snap().StatsFor(p));
    stats_.emplace(p, s);
    return s;
  }

  std::vector<int> VarsBoundBy(const Step& s) {
    std::vector<int> out;
    auto add = [&](const Slot& slot) {
      if (slot.is_var()) out.push_back(slot.var);
    };
    switch (s.kind) {
      case Step::Kind::kScan: add(s.s); add(s.p); add(s.o); break;
      case Step::Kind::kPath: add(s.s); add(s.o); break;
      case Step::Kind::kEvidence: add(s.o); break;
      case Step::Kind::kDecompose: for (const Slot& p : s.parts) add(p); break;
      default: break;
    }
    if (s.claim_var >= 0) out.push_back(s.claim_var);
    if (s.depth_var >= 0) out.push_back(s.depth_var);
    return out;
  }

  // Rows one input row yields, from the statistics; infinity if the step
  // cannot run yet.
  absl::StatusOr<double> Estimate(Step& s, const absl::flat_hash_set<int>& bound) {
    auto is_bound = [&](const Slot& slot) { return !slot.is_var() || bound.contains(slot.var); };
    const double n = static_cast<double>(std::max<uint64_t>(1, totals_.triples));
    switch (s.kind) {
      case Step::Kind::kEvidence:
        if (!is_bound(s.s)) return std::numeric_limits<double>::infinity();
        return std::max(1.0, static_cast<double>(totals_.evidence) / n);
      case Step::Kind::kDecompose:
        return is_bound(s.s) ? 1.0 : std::numeric_limits<double>::infinity();
      case Step::Kind::kPath: {
        const double hops = s.path->max < 0 ? 8 : std::max(1, s.path->max);
        if (is_bound(s.s) || is_bound(s.o)) return 4 * hops;
        return n * hops;
      }
      case Step::Kind::kScan: {
        const bool sb = is_bound(s.s), pb = is_bound(s.p), ob = is_bound(s.o);
        TriplePattern q;
        const TermId dummy = *InlineId(Term::Integer(0));
        if (sb) q.s = dummy;
        if (pb) q.p = dummy;
        if (ob) q.o = dummy;
        const ScanPlan sp = PlanScan(q);
        std::string positions;
        if (sb) positions += "s";
        if (pb) positions += "p";
        if (ob) positions += "o";
        s.index = StrCat(absl::AsciiStrToUpper(std::string(PermutationName(sp.perm))), " (bound: ",
                         positions.empty() ? "none" : positions, ")");
        if (s.claim_var >= 0 && bound.contains(s.claim_var)) {
          s.index = "claim record (claim bound)";
          return 1.0;
        }
        if (!s.p.is_var()) {
          KG_ASSIGN_OR_RETURN(PredicateStats st, StatsOf(s.p.id));
          const double t = static_cast<double>(st.triples);
          if (sb && ob) return std::min(1.0, t);
          if (sb) return t / std::max<double>(1, st.distinct_subjects);
          if (ob) return t / std::max<double>(1, st.distinct_objects);
          return t;
        }
        const double per_p = pb ? 1.0 / std::max<double>(1, totals_.predicates) : 1.0;
        if (sb && ob) return 1.0;
        if (sb || ob) return std::min(n, 10.0) * (pb ? 0.5 : 1.0);
        return n * per_p;
      }
      default: return 1.0;
    }
  }

  // Orders `steps` greedily by estimate; appends filters once their
  // variables are bound. `bound` is updated.
  absl::Status Order(std::vector<Step> steps, std::vector<ExprPtr>& filters,
                     absl::flat_hash_set<int>& bound, std::vector<Step>& out) {
    while (!steps.empty()) {
      size_t best = steps.size();
      double best_cost = std::numeric_limits<double>::infinity();
      for (size_t i = 0; i < steps.size(); ++i) {
        KG_ASSIGN_OR_RETURN(double cost, Estimate(steps[i], bound));
        if (cost < best_cost) {
          best_cost = cost;
          best = i;
        }
      }
      if (best == steps.size()) {
        const Step& s = steps.front();
        return absl::InvalidArgumentError(
            At(s.pos, StrCat("in ", s.text, ": ", SlotText(ctx_, plan_.bindings, s.s),
                             " must be bound to a claim by a pattern such as ?c = (s p o)")));
      }
      Step step = std::move(steps[best]);
      steps.erase(steps.begin() + best);
      step.estimate = best_cost;
      for (int v : VarsBoundBy(step)) bound.insert(v);
      out.push_back(std::move(step));
      PlaceFilters(filters, bound, out);
    }
    return absl::OkStatus();
  }

  void PlaceFilters(std::vector<ExprPtr>& filters, const absl::flat_hash_set<int>& bound,
                    std::vector<Step>& out) {
    for (auto it = filters.begin(); it != filters.end();) {
      std::vector<std::string> vars;
      CollectVars(**it, vars);
      bool ready = true;
      for (const std::string& v : vars) {
        auto slot = plan_.bindings.vars.find(v);
        ready &= slot != plan_.bindings.vars.end() && bound.contains(slot->second);
      }
      if (!ready) {
        ++it;
        continue;
      }
      Step f;
      f.kind = Step::Kind::kFilter;
      f.filter = *it;
      out.push_back(std::move(f));
      it = filters.erase(it);
    }
  }

  absl::Status Plan(BoundMatch bound) {
    KG_RETURN_IF_ERROR(Init());
    plan_.bindings = std::move(bound.bindings);
    std::vector<Step> main;
    for (BoundPattern& p : bound.patterns) main.push_back(StepOf(std::move(p)));
    std::vector<ExprPtr> filters = std::move(bound.filters);
    absl::flat_hash_set<int> bound_vars;
    PlaceFilters(filters, bound_vars, plan_.steps);
    KG_RETURN_IF_ERROR(Order(std::move(main), filters, bound_vars, plan_.steps));
    for (auto& patterns : bound.optionals) {
      std::vector<Step> group;
      for (BoundPattern& p : patterns) group.push_back(StepOf(std::move(p)));
      Step opt;
      opt.kind = Step::Kind::kOptional;
      std::vector<ExprPtr> none;
      KG_RETURN_IF_ERROR(Order(std::move(group), none, bound_vars, opt.group));
      opt.text = "OPTIONAL";
      plan_.steps.push_back(std::move(opt));
    }
    PlaceFilters(filters, bound_vars, plan_.steps);
    return absl::OkStatus();
  }

 private:
  Context& ctx_;
  MatchPlan& plan_;
  StoreTotals totals_;
  absl::flat_hash_map<TermId, PredicateStats> stats_;
};

}  // namespace

absl::StatusOr<MatchPlan> PlanMatch(Context& ctx, BoundMatch bound) {
  MatchPlan plan;
  Planner planner(ctx, plan);
  KG_RETURN_IF_ERROR(planner.Plan(std::move(bound)));
  return plan;
}

absl::StatusOr<MatchPlan> PlanClaimPattern(Context& ctx, const PatternAst& pattern,
                                           int* claim_slot) {
  KG_ASSIGN_OR_RETURN(BoundMatch bound, BindClaimPattern(ctx, pattern, claim_slot));
  return PlanMatch(ctx, std::move(bound));
}

}  // namespace kg::query
