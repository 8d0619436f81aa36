// BindMatch and friends (binder.h): patterns and terms here; the names in
// expressions -- fields, functions, aggregates -- in binder_expr.cc.
#include "query/binder.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "kg/keys.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/binder_internal.h"
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

std::string SlotText(Context& ctx, const Bindings& bindings, const Slot& slot) {
  if (slot.is_var()) return StrCat("?", bindings.var_names[slot.var]);
  auto t = ctx.Decode(slot.id);
  return t.ok() ? t->ToString() : slot.id.ToHex();
}

namespace binder_internal {

std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string_view best =
      ClosestName(name, std::vector<std::string_view>(candidates.begin(), candidates.end()));
  return best.empty() ? "" : StrCat(" (did you mean ", best, "?)");
}

namespace {

void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprAst::Kind::kBinary && e->text == "AND") {
    SplitConjuncts(e->children[0], out);
    SplitConjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

}  // namespace

absl::StatusOr<TermId> Binder::ResolveName(const TermAst& t) {
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
  KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(Term::Entity(t.text)));
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

absl::StatusOr<TermId> Binder::ResolvePredicate(const std::string& name, const Pos& pos,
                                                bool iri) {
  KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(iri ? Term::Iri(name) : Term::Entity(name)));
  KG_ASSIGN_OR_RETURN(PredicateStats stats, ctx_.snap().StatsFor(id));
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

absl::StatusOr<Term> Binder::LiteralTerm(const TermAst& t) {
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

void Binder::NoteVar(int slot, Kind kind) {
  auto [it, inserted] = var_kinds_.emplace(slot, kind);
  if (inserted || it->second == kind) return;
  // A claim variable also used as a subject or object is still a claim.
  const bool claim_term = (it->second == Kind::kClaim && kind == Kind::kTerm) ||
                          (it->second == Kind::kTerm && kind == Kind::kClaim);
  it->second = claim_term ? Kind::kClaim : Kind::kAny;
}

Type Binder::VarType(int slot) const {
  auto it = var_kinds_.find(slot);
  return Type{it == var_kinds_.end() ? Kind::kAny : it->second};
}

absl::StatusOr<Slot> Binder::BindTerm(const TermAst& t, std::vector<BoundPattern>& extra) {
  Slot slot;
  switch (t.kind) {
    case TermAst::Kind::kVar:
      slot.var = b_.Slot(t.text);
      NoteVar(slot.var, Kind::kTerm);
      return slot;
    case TermAst::Kind::kName: {
      KG_ASSIGN_OR_RETURN(slot.id, ResolveName(t));
      return slot;
    }
    case TermAst::Kind::kClaim: {
      BoundPattern d;
      d.kind = BoundPattern::Kind::kDecompose;
      d.pos = t.pos;
      Slot parts[3];
      KG_ASSIGN_OR_RETURN(parts[0], BindTerm(*t.parts[0], extra));
      KG_ASSIGN_OR_RETURN(parts[1], BindPredicate(*t.parts[1]));
      KG_ASSIGN_OR_RETURN(parts[2], BindTerm(*t.parts[2], extra));
      if (!parts[0].is_var() && !parts[1].is_var() && !parts[2].is_var()) {
        KG_ASSIGN_OR_RETURN(slot.id, ctx_.snap().ClaimIdOf(Triple{parts[0].id, parts[1].id, parts[2].id}));
        return slot;
      }
      slot.var = b_.Slot(StrCat("_claim", ++hidden_));
      NoteVar(slot.var, Kind::kClaim);
      d.s = slot;
      for (int k = 0; k < 3; ++k) d.parts[k] = parts[k];
      d.text = StrCat("?", b_.var_names[slot.var], " = (", Text(parts[0]), " ", Text(parts[1]),
                      " ", Text(parts[2]), ")");
      extra.push_back(std::move(d));
      return slot;
    }
    default: {
      KG_ASSIGN_OR_RETURN(Term term, LiteralTerm(t));
      KG_ASSIGN_OR_RETURN(slot.id, ctx_.snap().IdOf(term));
      return slot;
    }
  }
}

absl::StatusOr<Slot> Binder::BindPredicate(const TermAst& t) {
  Slot slot;
  if (t.kind == TermAst::Kind::kVar) {
    slot.var = b_.Slot(t.text);
    NoteVar(slot.var, Kind::kTerm);
    return slot;
  }
  KG_ASSIGN_OR_RETURN(slot.id, ResolvePredicate(t.text, t.pos, t.kind == TermAst::Kind::kIri));
  return slot;
}

absl::StatusOr<CompiledPath> Binder::CompilePath(const PathAst& p) {
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

absl::Status Binder::BindPattern(const PatternAst& pat, std::vector<BoundPattern>& out) {
  BoundPattern bp;
  bp.pos = pat.pos;
  std::vector<BoundPattern> extra;
  KG_ASSIGN_OR_RETURN(bp.s, BindTerm(*pat.subject, extra));
  if (pat.kind == PatternAst::Kind::kEvidence) {
    bp.o.var = b_.Slot(pat.object->text);  // the parser allows only a variable here
    NoteVar(bp.o.var, Kind::kEvidence);
  } else {
    KG_ASSIGN_OR_RETURN(bp.o, BindTerm(*pat.object, extra));
  }
  switch (pat.kind) {
    case PatternAst::Kind::kTriple: {
      bp.kind = BoundPattern::Kind::kScan;
      KG_ASSIGN_OR_RETURN(bp.p, BindPredicate(*pat.predicate));
      if (!pat.claim_var.empty()) {
        bp.claim_var = b_.Slot(pat.claim_var);
        NoteVar(bp.claim_var, Kind::kClaim);
      }
      bp.text = StrCat(pat.claim_var.empty() ? "" : StrCat("?", pat.claim_var, " = "), "(",
                       Text(bp.s), " ", Text(bp.p), " ", Text(bp.o), ")");
      break;
    }
    case PatternAst::Kind::kPath: {
      bp.kind = BoundPattern::Kind::kPath;
      KG_ASSIGN_OR_RETURN(CompiledPath path, CompilePath(*pat.path));
      bp.text = StrCat(Text(bp.s), " ", path.text, " ", Text(bp.o));
      bp.path = std::make_shared<const CompiledPath>(std::move(path));
      if (!pat.depth_var.empty()) {
        bp.depth_var = b_.Slot(pat.depth_var);
        NoteVar(bp.depth_var, Kind::kNumber);
        bp.text += StrCat(" DEPTH ?", pat.depth_var);
      }
      break;
    }
    case PatternAst::Kind::kEvidence:
      bp.kind = BoundPattern::Kind::kEvidence;
      bp.text = StrCat(Text(bp.s), " EVIDENCE ", Text(bp.o));
      break;
  }
  out.push_back(std::move(bp));
  for (BoundPattern& e : extra) out.push_back(std::move(e));
  return absl::OkStatus();
}

absl::Status Binder::Match(const MatchAst& m) {
  for (const PatternAst& p : m.patterns) KG_RETURN_IF_ERROR(BindPattern(p, out_.patterns));
  for (const auto& group : m.optionals) {
    out_.optionals.emplace_back();
    for (const PatternAst& p : group) KG_RETURN_IF_ERROR(BindPattern(p, out_.optionals.back()));
  }
  if (m.where) {
    if (HasAggregate(*m.where)) {
      return absl::InvalidArgumentError(
          At(m.where->pos, "aggregates (COUNT, MIN, MAX, SUM) cannot be used in WHERE"));
    }
    SplitConjuncts(m.where, out_.filters);
    for (const ExprPtr& f : out_.filters) {
      KG_RETURN_IF_ERROR(BindExpr(*f, Clause::kWhere, false).status());
    }
  }
  bool grouped = !m.group_by.empty();
  for (const ReturnItem& r : m.returns) {
    KG_RETURN_IF_ERROR(BindExpr(*r.expr, Clause::kReturn, false).status());
    grouped |= HasAggregate(*r.expr);
  }
  for (const ExprPtr& g : m.group_by) {
    KG_RETURN_IF_ERROR(BindExpr(*g, Clause::kGroupBy, false).status());
  }
  if (grouped && m.return_all) {
    return absl::InvalidArgumentError(At(m.group_by.empty() ? Pos{} : m.group_by[0]->pos,
                                         "RETURN * cannot be combined with GROUP BY"));
  }
  for (const ReturnItem& r : m.returns) columns_.push_back(r.name);
  if (m.return_all) {  // every variable a pattern binds, hidden ones excluded
    for (const std::string& v : b_.var_names) {
      if (!v.empty() && v[0] != '_') columns_.push_back(v);
    }
  }
  for (const OrderItem& o : m.order_by) {
    KG_RETURN_IF_ERROR(BindOrderItem(*o.expr));
    if (!grouped && HasAggregate(*o.expr)) {
      return absl::InvalidArgumentError(
          At(o.expr->pos, "ORDER BY an aggregate needs an aggregate in RETURN or GROUP BY"));
    }
  }
  return absl::OkStatus();
}

}  // namespace binder_internal

absl::StatusOr<BoundMatch> BindMatch(Context& ctx, const MatchAst& match) {
  BoundMatch out;
  binder_internal::Binder binder(ctx, out);
  KG_RETURN_IF_ERROR(binder.Match(match));
  return out;
}

absl::StatusOr<BoundMatch> BindClaimPattern(Context& ctx, const PatternAst& pattern,
                                            int* claim_slot) {
  PatternAst p = pattern;
  p.claim_var = "_traced";
  MatchAst m;
  m.patterns.push_back(std::move(p));
  KG_ASSIGN_OR_RETURN(BoundMatch bound, BindMatch(ctx, m));
  *claim_slot = bound.bindings.vars.at("_traced");
  return bound;
}

absl::StatusOr<TermId> ResolveConstant(Context& ctx, const TermAst& term) {
  BoundMatch scratch;
  binder_internal::Binder binder(ctx, scratch);
  std::vector<BoundPattern> extra;
  KG_ASSIGN_OR_RETURN(Slot s, binder.BindTerm(term, extra));
  if (s.is_var() || !extra.empty()) {
    return absl::InvalidArgumentError(At(term.pos, "expected a name or constant, not a variable"));
  }
  return s.id;
}

}  // namespace kg::query
