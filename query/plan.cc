#include "query/plan.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "kg/closest_name.h"
#include "kg/keys.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/expr.h"
#include "query/parser.h"

namespace kg::query {

int Bindings::Slot(const std::string& name) {
  auto it = vars.find(name);
  if (it != vars.end()) return it->second;
  const int slot = static_cast<int>(var_names.size());
  var_names.push_back(name);
  vars.emplace(name, slot);
  return slot;
}

namespace {

// " (did you mean X?)" for the closest candidate within a small distance.
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string_view best =
      ClosestName(name, std::vector<std::string_view>(candidates.begin(), candidates.end()));
  return best.empty() ? "" : StrCat(" (did you mean ", best, "?)");
}

void CollectVars(const ExprAst& e, const Bindings& b, std::vector<std::string>& out) {
  if (e.kind == ExprAst::Kind::kTerm && e.term->kind == TermAst::Kind::kVar) {
    out.push_back(e.term->text);
  }
  for (const ExprPtr& c : e.children) CollectVars(*c, b, out);
}

void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprAst::Kind::kBinary && e->text == "AND") {
    SplitConjuncts(e->children[0], out);
    SplitConjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

class Planner {
 public:
  Planner(Context& ctx, MatchPlan& plan) : ctx_(ctx), plan_(plan) {}

  absl::Status Init() {
    KG_ASSIGN_OR_RETURN(totals_, ctx_.snap().Totals());
    return absl::OkStatus();
  }

  absl::StatusOr<TermId> ResolveName(const TermAst& t) {
    KG_ASSIGN_OR_RETURN(std::vector<TermId> ids, ctx_.snap().Resolve(t.text));
    if (ids.size() == 1) return ids[0];
    if (ids.size() > 1) {
      std::vector<std::string> names;
      for (const TermId& id : ids) {
        KG_ASSIGN_OR_RETURN(Term term, ctx_.Decode(id));
        names.push_back(term.ToString());
      }
      return absl::InvalidArgumentError(
          At(t.pos, StrCat("the name '", t.text, "' is ambiguous: it names ",
                           absl::StrJoin(names, " and "), "; write the one you mean")));
    }
    const TermId id = IdOf(Term::Entity(t.text));
    for (bool subject : {true, false}) {
      TriplePattern q;
      (subject ? q.s : q.o) = id;
      TripleCursor c = ctx_.snap().Scan(q);
      if (c.Valid()) return id;
      KG_RETURN_IF_ERROR(c.status());
    }
    KG_ASSIGN_OR_RETURN(std::vector<Entity> entities, ctx_.snap().ListEntities());
    std::vector<std::string> names;
    for (const Entity& e : entities) {
      names.push_back(e.name);
      for (const std::string& a : e.aliases) names.push_back(a);
    }
    return absl::InvalidArgumentError(
        At(t.pos, StrCat("unknown name '", t.text, "': no entity or alias is called that",
                         Suggest(t.text, names))));
  }

  absl::StatusOr<TermId> ResolvePredicate(const std::string& name, const Pos& pos,
                                          bool iri = false) {
    const TermId id = IdOf(iri ? Term::Iri(name) : Term::Entity(name));
    KG_ASSIGN_OR_RETURN(PredicateStats stats, StatsOf(id));
    if (stats.triples > 0) return id;
    KG_ASSIGN_OR_RETURN(auto all, ctx_.snap().AllPredicateStats());
    std::vector<std::string> names;
    for (const auto& [pid, st] : all) {
      KG_ASSIGN_OR_RETURN(Term term, ctx_.Decode(pid));
      names.push_back(term.kind() == TermKind::kEntity ? term.text() : term.ToString());
    }
    return absl::InvalidArgumentError(
        At(pos, StrCat("unknown predicate ", iri ? StrCat("<", name, ">") : StrCat("'", name, "'"),
                       ": no claim uses it", Suggest(name, names))));
  }

  absl::StatusOr<PredicateStats> StatsOf(const TermId& p) {
    auto it = stats_.find(p);
    if (it != stats_.end()) return it->second;
    KG_ASSIGN_OR_RETURN(PredicateStats s, ctx_.snap().StatsFor(p));
    stats_.emplace(p, s);
    return s;
  }

  // A constant term (not a variable, not a claim with variables).
  absl::StatusOr<Term> LiteralTerm(const TermAst& t) {
    switch (t.kind) {
      case TermAst::Kind::kDocument: return Term::Document(t.text);
      case TermAst::Kind::kIri: return Term::Iri(t.text);
      case TermAst::Kind::kString: return Term::String(t.text, t.extra);
      case TermAst::Kind::kInteger: {
        int64_t n = 0;
        if (!absl::SimpleAtoi(t.text, &n)) {
          return absl::InvalidArgumentError(At(t.pos, StrCat("integer out of range: ", t.text)));
        }
        return Term::Integer(n);
      }
      case TermAst::Kind::kDecimal: {
        auto d = Term::Decimal(t.text);
        if (!d.ok()) return absl::InvalidArgumentError(At(t.pos, std::string(d.status().message())));
        return *d;
      }
      case TermAst::Kind::kDate: {
        auto d = Term::ParseDate(t.text);
        if (!d.ok()) {
          return absl::InvalidArgumentError(
              At(t.pos, StrCat("invalid date ", t.text, ": ", d.status().message())));
        }
        return *d;
      }
      case TermAst::Kind::kTyped: {
        const std::string dt = absl::AsciiStrToLower(t.extra);
        absl::StatusOr<Term> out = absl::InvalidArgumentError("");
        if (dt == "date") {
          out = Term::ParseDate(t.text);
        } else if (dt == "decimal") {
          out = Term::Decimal(t.text);
        } else if (dt == "integer") {
          int64_t n = 0;
          out = absl::SimpleAtoi(t.text, &n) ? absl::StatusOr<Term>(Term::Integer(n))
                                             : absl::InvalidArgumentError("not an integer");
        } else if (!t.extra.empty() && t.extra.front() == '<') {
          out = Term::TypedLiteral(t.text, t.extra.substr(1, t.extra.size() - 2));
        } else {
          return absl::InvalidArgumentError(
              At(t.pos, StrCat("unknown datatype '", t.extra,
                               "': expected date, decimal, integer or an <IRI>")));
        }
        if (!out.ok()) {
          return absl::InvalidArgumentError(
              At(t.pos, StrCat("\"", t.text, "\" is not a valid ", t.extra, ": ",
                               out.status().message())));
        }
        return *out;
      }
      default: break;
    }
    return absl::InternalError("not a literal");
  }

  // Binds a pattern position; nested claims with variables get a hidden
  // variable and a decomposition step in `extra`.
  absl::StatusOr<Slot> BindTerm(const TermAst& t, std::vector<Step>& extra) {
    Slot slot;
    switch (t.kind) {
      case TermAst::Kind::kVar:
        slot.var = plan_.bindings.Slot(t.text);
        return slot;
      case TermAst::Kind::kName: {
        KG_ASSIGN_OR_RETURN(slot.id, ResolveName(t));
        return slot;
      }
      case TermAst::Kind::kClaim: {
        Step d;
        d.kind = Step::Kind::kDecompose;
        Slot parts[3];
        KG_ASSIGN_OR_RETURN(parts[0], BindTerm(*t.parts[0], extra));
        KG_ASSIGN_OR_RETURN(parts[1], BindPredicate(*t.parts[1]));
        KG_ASSIGN_OR_RETURN(parts[2], BindTerm(*t.parts[2], extra));
        if (!parts[0].is_var() && !parts[1].is_var() && !parts[2].is_var()) {
          slot.id = ClaimId(parts[0].id, parts[1].id, parts[2].id);
          return slot;
        }
        slot.var = plan_.bindings.Slot(StrCat("_claim", ++hidden_));
        d.s = slot;
        for (int k = 0; k < 3; ++k) d.parts[k] = parts[k];
        d.text = StrCat("?", plan_.bindings.var_names[slot.var], " = (",
                        SlotText(parts[0]), " ", SlotText(parts[1]), " ", SlotText(parts[2]), ")");
        d.index = "claim record";
        extra.push_back(std::move(d));
        return slot;
      }
      default: {
        KG_ASSIGN_OR_RETURN(Term term, LiteralTerm(t));
        slot.id = IdOf(term);
        return slot;
      }
    }
  }

  absl::StatusOr<Slot> BindPredicate(const TermAst& t) {
    Slot slot;
    if (t.kind == TermAst::Kind::kVar) {
      slot.var = plan_.bindings.Slot(t.text);
      return slot;
    }
    KG_ASSIGN_OR_RETURN(slot.id, ResolvePredicate(t.text, t.pos, t.kind == TermAst::Kind::kIri));
    return slot;
  }

  absl::StatusOr<CompiledPath> CompilePath(const PathAst& p) {
    CompiledPath c;
    c.kind = p.kind;
    c.min = p.min;
    c.max = p.max;
    if (p.kind == PathAst::Kind::kPredicate) {
      KG_ASSIGN_OR_RETURN(c.predicate, ResolvePredicate(p.predicate, p.pos, p.iri));
      c.text = p.iri ? StrCat("<", p.predicate, ">") : p.predicate;
      return c;
    }
    std::vector<std::string> parts;
    for (const PathPtr& child : p.children) {
      KG_ASSIGN_OR_RETURN(CompiledPath cc, CompilePath(*child));
      const bool group = cc.kind == PathAst::Kind::kSequence ||
                         cc.kind == PathAst::Kind::kAlternative;
      parts.push_back(group && p.kind != PathAst::Kind::kAlternative ? StrCat("(", cc.text, ")")
                                                                      : cc.text);
      c.children.push_back(std::move(cc));
    }
    switch (p.kind) {
      case PathAst::Kind::kInverse: c.text = StrCat("^", parts[0]); break;
      case PathAst::Kind::kSequence: c.text = absl::StrJoin(parts, "/"); break;
      case PathAst::Kind::kAlternative: c.text = absl::StrJoin(parts, "|"); break;
      case PathAst::Kind::kRepeat:
        if (p.min == 1 && p.max < 0) {
          c.text = StrCat(parts[0], "+");
        } else if (p.min == 0 && p.max < 0) {
          c.text = StrCat(parts[0], "*");
        } else if (p.min == 0 && p.max == 1) {
          c.text = StrCat(parts[0], "?");
        } else {
          c.text = StrCat(parts[0], "{", p.min, ",", p.max < 0 ? "" : StrCat(p.max), "}");
        }
        break;
      default: break;
    }
    return c;
  }

  std::string SlotText(const Slot& s) {
    if (s.is_var()) return StrCat("?", plan_.bindings.var_names[s.var]);
    auto t = ctx_.Decode(s.id);
    return t.ok() ? t->ToString() : s.id.ToHex();
  }

  absl::Status BindPattern(const PatternAst& pat, std::vector<Step>& out) {
    Step step;
    step.pos = pat.pos;
    std::vector<Step> extra;
    KG_ASSIGN_OR_RETURN(step.s, BindTerm(*pat.subject, extra));
    KG_ASSIGN_OR_RETURN(step.o, BindTerm(*pat.object, extra));
    switch (pat.kind) {
      case PatternAst::Kind::kTriple: {
        step.kind = Step::Kind::kScan;
        KG_ASSIGN_OR_RETURN(step.p, BindPredicate(*pat.predicate));
        if (!pat.claim_var.empty()) step.claim_var = plan_.bindings.Slot(pat.claim_var);
        step.text = StrCat(pat.claim_var.empty() ? "" : StrCat("?", pat.claim_var, " = "), "(",
                           SlotText(step.s), " ", SlotText(step.p), " ", SlotText(step.o), ")");
        break;
      }
      case PatternAst::Kind::kPath: {
        step.kind = Step::Kind::kPath;
        KG_ASSIGN_OR_RETURN(CompiledPath path, CompilePath(*pat.path));
        step.text = StrCat(SlotText(step.s), " ", path.text, " ", SlotText(step.o));
        step.path = std::make_shared<const CompiledPath>(std::move(path));
        if (!pat.depth_var.empty()) {
          step.depth_var = plan_.bindings.Slot(pat.depth_var);
          step.text += StrCat(" DEPTH ?", pat.depth_var);
        }
        step.index = "breadth-first walk";
        break;
      }
      case PatternAst::Kind::kEvidence:
        step.kind = Step::Kind::kEvidence;
        step.text = StrCat(SlotText(step.s), " EVIDENCE ", SlotText(step.o));
        step.index = "evidence by claim";
        break;
    }
    out.push_back(std::move(step));
    for (Step& e : extra) out.push_back(std::move(e));
    return absl::OkStatus();
  }

  // Values of the constants and names in an expression.
  absl::Status BindExpr(const ExprAst& e) {
    if (e.kind == ExprAst::Kind::kTerm) {
      const TermAst& t = *e.term;
      switch (t.kind) {
        case TermAst::Kind::kVar: break;
        case TermAst::Kind::kName: {
          Value v;
          v.kind = Value::Kind::kSymbol;
          v.text = std::make_shared<const std::string>(t.text);
          auto ids = ctx_.snap().Resolve(t.text);
          if (!ids.ok()) return ids.status();
          if (ids->size() == 1) {
            v.has_id = true;
            v.id = (*ids)[0];
          }
          plan_.bindings.consts[&e] = std::move(v);
          break;
        }
        case TermAst::Kind::kClaim: {
          std::vector<Step> extra;
          KG_ASSIGN_OR_RETURN(Slot s, BindTerm(t, extra));
          if (!extra.empty()) {
            return absl::InvalidArgumentError(
                At(t.pos, "a claim inside an expression cannot contain variables"));
          }
          plan_.bindings.consts[&e] = Value::Id(s.id);
          break;
        }
        default: {
          KG_ASSIGN_OR_RETURN(Term term, LiteralTerm(t));
          plan_.bindings.consts[&e] = Value::Of(std::move(term));
        }
      }
    }
    for (const ExprPtr& c : e.children) KG_RETURN_IF_ERROR(BindExpr(*c));
    return absl::OkStatus();
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
        const TermId dummy = IdOf(Term::Integer(0));
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
            At(s.pos, StrCat("in ", s.text, ": ", SlotText(s.s),
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
      CollectVars(**it, plan_.bindings, vars);
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

  absl::Status Plan(const MatchAst& m) {
    KG_RETURN_IF_ERROR(Init());
    std::vector<Step> main;
    for (const PatternAst& p : m.patterns) KG_RETURN_IF_ERROR(BindPattern(p, main));
    std::vector<std::vector<Step>> optionals;
    for (const auto& group : m.optionals) {
      optionals.emplace_back();
      for (const PatternAst& p : group) KG_RETURN_IF_ERROR(BindPattern(p, optionals.back()));
    }
    std::vector<ExprPtr> filters;
    if (m.where) {
      if (HasAggregate(*m.where)) {
        return absl::InvalidArgumentError(
            At(m.where->pos, "aggregates (COUNT, MIN, MAX, SUM) cannot be used in WHERE"));
      }
      KG_RETURN_IF_ERROR(BindExpr(*m.where));
      SplitConjuncts(m.where, filters);
      for (const ExprPtr& f : filters) KG_RETURN_IF_ERROR(CheckVars(*f));
    }
    absl::flat_hash_set<int> bound;
    PlaceFilters(filters, bound, plan_.steps);
    KG_RETURN_IF_ERROR(Order(std::move(main), filters, bound, plan_.steps));
    for (auto& group : optionals) {
      Step opt;
      opt.kind = Step::Kind::kOptional;
      std::vector<ExprPtr> none;
      KG_RETURN_IF_ERROR(Order(std::move(group), none, bound, opt.group));
      opt.text = "OPTIONAL";
      plan_.steps.push_back(std::move(opt));
    }
    PlaceFilters(filters, bound, plan_.steps);
    for (const ReturnItem& r : m.returns) {
      KG_RETURN_IF_ERROR(BindExpr(*r.expr));
      KG_RETURN_IF_ERROR(CheckVars(*r.expr));
    }
    for (const ExprPtr& g : m.group_by) {
      KG_RETURN_IF_ERROR(BindExpr(*g));
      KG_RETURN_IF_ERROR(CheckVars(*g));
    }
    for (const OrderItem& o : m.order_by) {
      KG_RETURN_IF_ERROR(BindExpr(*o.expr));
      // A variable in ORDER BY is bound by a pattern or names a column.
      std::vector<std::string> vars;
      CollectVars(*o.expr, plan_.bindings, vars);
      for (const std::string& v : vars) {
        bool column = false;
        for (const ReturnItem& r : m.returns) column |= r.name == v;
        if (!column && !plan_.bindings.vars.contains(v)) {
          return absl::InvalidArgumentError(At(
              o.expr->pos, StrCat("unknown variable ?", v, ": no pattern binds it and no column has that name")));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckVars(const ExprAst& e) {
    std::vector<std::string> vars;
    CollectVars(e, plan_.bindings, vars);
    for (const std::string& v : vars) {
      if (!plan_.bindings.vars.contains(v)) {
        return absl::InvalidArgumentError(
            At(e.pos, StrCat("unknown variable ?", v, ": no pattern binds it")));
      }
    }
    return absl::OkStatus();
  }

 private:
  Context& ctx_;
  MatchPlan& plan_;
  StoreTotals totals_;
  absl::flat_hash_map<TermId, PredicateStats> stats_;
  int hidden_ = 0;
};

}  // namespace

absl::StatusOr<MatchPlan> PlanMatch(Context& ctx, const MatchAst& match) {
  MatchPlan plan;
  Planner planner(ctx, plan);
  KG_RETURN_IF_ERROR(planner.Plan(match));
  return plan;
}

absl::StatusOr<TermId> ResolveConstant(Context& ctx, const TermAst& term) {
  MatchPlan plan;
  Planner planner(ctx, plan);
  std::vector<Step> extra;
  KG_ASSIGN_OR_RETURN(Slot s, planner.BindTerm(term, extra));
  if (s.is_var() || !extra.empty()) {
    return absl::InvalidArgumentError(At(term.pos, "expected a name or constant, not a variable"));
  }
  return s.id;
}

absl::StatusOr<MatchPlan> PlanClaimPattern(Context& ctx, const PatternAst& pattern,
                                           int* claim_slot) {
  PatternAst p = pattern;
  p.claim_var = "_traced";
  MatchAst m;
  m.patterns.push_back(std::move(p));
  KG_ASSIGN_OR_RETURN(MatchPlan plan, PlanMatch(ctx, m));
  *claim_slot = plan.bindings.vars.at("_traced");
  return plan;
}

}  // namespace kg::query
