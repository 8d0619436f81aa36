#include "query/plan.h"

#include <algorithm>
#include <cstdio>
#include <functional>
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

// The slots a filter-like step needs bound before it runs: a filter's
// variables; the claim of a GRAPH or provenance step.
std::vector<int> FilterVars(const Bindings& bindings, const Step& f) {
  if (f.kind == Step::Kind::kGraph || f.kind == Step::Kind::kCall) {
    return f.s.is_var() ? std::vector<int>{f.s.var} : std::vector<int>{};
  }
  if (f.expr) return f.expr->Vars();
  std::vector<std::string> names;
  CollectVars(*f.filter, names);
  std::vector<int> out;
  for (const std::string& v : names) {
    auto slot = bindings.vars.find(v);
    out.push_back(slot == bindings.vars.end() ? -1 : slot->second);
  }
  return out;
}

class Planner {
 public:
  Planner(Context& ctx, const Bindings& bindings) : ctx_(ctx), bindings_(bindings) {}

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
  absl::Status Order(std::vector<Step> steps, std::vector<Step>& filters,
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
            At(s.pos, StrCat("in ", s.text, ": ", SlotText(ctx_, bindings_, s.s),
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

  // Places every filter-like step whose variables are bound, cheapest first:
  // filters, then GRAPH checks and evidence fields, then provenance walks; a
  // placed step's outputs count as bound, so a filter on them follows it
  // before any walk that does not need them.
  void PlaceFilters(std::vector<Step>& filters, absl::flat_hash_set<int>& bound,
                    std::vector<Step>& out) {
    auto cost = [](const Step& s) {
      if (s.kind == Step::Kind::kFilter) return 0;
      if (s.kind == Step::Kind::kCall && !s.field.has_value()) return 2;
      return 1;
    };
    for (;;) {
      auto best = filters.end();
      for (auto it = filters.begin(); it != filters.end(); ++it) {
        bool ready = true;
        for (int v : FilterVars(bindings_, *it)) ready &= v >= 0 && bound.contains(v);
        if (ready && (best == filters.end() || cost(*it) < cost(*best))) best = it;
      }
      if (best == filters.end()) return;
      for (int v : VarsBoundBy(*best)) bound.insert(v);
      out.push_back(std::move(*best));
      filters.erase(best);
    }
  }


  // The kg language's MATCH: its patterns, then its OPTIONAL groups, each
  // filter as soon as its variables are bound.
  absl::Status Plan(BoundMatch bound, std::vector<Step>& out) {
    KG_RETURN_IF_ERROR(Init());
    std::vector<Step> main;
    for (BoundPattern& p : bound.patterns) main.push_back(StepOf(std::move(p)));
    std::vector<Step> filters;
    for (ExprPtr& e : bound.filters) {
      Step f;
      f.kind = Step::Kind::kFilter;
      f.filter = std::move(e);
      filters.push_back(std::move(f));
    }
    absl::flat_hash_set<int> bound_vars;
    PlaceFilters(filters, bound_vars, out);
    KG_RETURN_IF_ERROR(Order(std::move(main), filters, bound_vars, out));
    for (auto& patterns : bound.optionals) {
      std::vector<Step> group;
      for (BoundPattern& p : patterns) group.push_back(StepOf(std::move(p)));
      Step opt;
      opt.kind = Step::Kind::kOptional;
      std::vector<Step> none;
      KG_RETURN_IF_ERROR(Order(std::move(group), none, bound_vars, opt.group));
      opt.text = "OPTIONAL";
      out.push_back(std::move(opt));
    }
    PlaceFilters(filters, bound_vars, out);
    return absl::OkStatus();
  }

  absl::Status Block(std::vector<BoundPattern> patterns, std::vector<Step>& filters,
                     absl::flat_hash_set<int>& bound, std::vector<Step>& out) {
    KG_RETURN_IF_ERROR(Init());
    std::vector<Step> steps;
    for (BoundPattern& p : patterns) steps.push_back(StepOf(std::move(p)));
    PlaceFilters(filters, bound, out);
    return Order(std::move(steps), filters, bound, out);
  }

 private:
  Context& ctx_;
  const Bindings& bindings_;
  StoreTotals totals_;
  absl::flat_hash_map<TermId, PredicateStats> stats_;
};

}  // namespace

absl::StatusOr<MatchPlan> PlanMatch(Context& ctx, BoundMatch bound) {
  MatchPlan plan;
  plan.bindings = std::move(bound.bindings);
  Planner planner(ctx, plan.bindings);
  KG_RETURN_IF_ERROR(planner.Plan(std::move(bound), plan.steps));
  return plan;
}

absl::Status PlanBlock(Context& ctx, const Bindings& bindings, std::vector<BoundPattern> patterns,
                       std::vector<Step>& filters, absl::flat_hash_set<int>& bound,
                       std::vector<Step>& out) {
  Planner planner(ctx, bindings);
  return planner.Block(std::move(patterns), filters, bound, out);
}

std::vector<int> VarsBoundBy(const Step& s) {
  std::vector<int> out;
  auto add = [&](const Slot& slot) {
    if (slot.is_var()) out.push_back(slot.var);
  };
  auto add_group = [&](const std::vector<Step>& group) {
    for (const Step& g : group) {
      for (int v : VarsBoundBy(g)) out.push_back(v);
    }
  };
  switch (s.kind) {
    case Step::Kind::kScan: add(s.s); add(s.p); add(s.o); break;
    case Step::Kind::kPath: add(s.s); add(s.o); break;
    case Step::Kind::kEvidence: add(s.o); break;
    case Step::Kind::kDecompose: for (const Slot& p : s.parts) add(p); break;
    case Step::Kind::kBind: out.push_back(s.var); break;
    case Step::Kind::kTable: out = s.table_vars; break;
    case Step::Kind::kGraph: case Step::Kind::kCall: add(s.o); break;
    case Step::Kind::kOptional: case Step::Kind::kJoin: add_group(s.group); break;
    case Step::Kind::kUnion:
      for (const auto& b : s.branches) add_group(b);
      break;
    default: break;
  }
  if (s.claim_var >= 0) out.push_back(s.claim_var);
  if (s.depth_var >= 0) out.push_back(s.depth_var);
  return out;
}

std::vector<std::vector<std::string>> ExplainRows(const std::vector<Step>& steps) {
  std::vector<std::vector<std::string>> rows;
  std::function<void(const std::vector<Step>&, const std::string&)> add =
      [&](const std::vector<Step>& group, const std::string& prefix) {
        int n = 0;
        for (const Step& s : group) {
          const std::string number = StrCat(prefix, ++n);
          std::string op, estimate;
          switch (s.kind) {
            case Step::Kind::kScan: op = "scan"; break;
            case Step::Kind::kPath: op = "path"; break;
            case Step::Kind::kEvidence: op = "evidence"; break;
            case Step::Kind::kDecompose: op = "decompose"; break;
            case Step::Kind::kFilter: op = "filter"; break;
            case Step::Kind::kOptional: op = "optional"; break;
            case Step::Kind::kUnion: op = "union"; break;
            case Step::Kind::kMinus: op = "minus"; break;
            case Step::Kind::kBind: op = "bind"; break;
            case Step::Kind::kTable: op = "values"; break;
            case Step::Kind::kGraph: op = "graph"; break;
            case Step::Kind::kCall: op = s.field ? "field" : "provenance"; break;
            case Step::Kind::kJoin: op = "join"; break;
          }
          if (s.kind == Step::Kind::kScan || s.kind == Step::Kind::kPath ||
              s.kind == Step::Kind::kEvidence || s.kind == Step::Kind::kDecompose) {
            char buf[32];
            std::snprintf(buf, sizeof(buf), "%.3g", s.estimate);
            estimate = buf;
          }
          std::string text = s.text;
          if (s.kind == Step::Kind::kFilter) text = s.expr ? s.expr->Text() : s.filter->source;
          rows.push_back({number, op, text, s.index, estimate});
          if (s.kind == Step::Kind::kOptional || s.kind == Step::Kind::kMinus ||
              s.kind == Step::Kind::kJoin) {
            add(s.group, number + ".");
          }
          for (size_t b = 0; b < s.branches.size(); ++b) {
            add(s.branches[b], StrCat(number, ".", b + 1, "."));
          }
        }
      };
  add(steps, "");
  return rows;
}

absl::StatusOr<MatchPlan> PlanClaimPattern(Context& ctx, const PatternAst& pattern,
                                           int* claim_slot) {
  KG_ASSIGN_OR_RETURN(BoundMatch bound, BindClaimPattern(ctx, pattern, claim_slot));
  return PlanMatch(ctx, std::move(bound));
}

}  // namespace kg::query
