#include "query/sparql_plan.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"
#include "query/executor.h"
#include "query/parser.h"
#include "query/sparql_parser_internal.h"

namespace kg::query::sparql {
namespace {

// Provenance properties: `claim kg:<name> ?x`.
constexpr std::string_view kProvenanceFunctions[] = {
    "root", "opposingRoot", "independentSources", "opposingSources", "circularSources"};

std::string TermText(const PTerm& t) {
  switch (t.kind) {
    case PTerm::Kind::kVar: return t.var.find('.') == std::string::npos ? StrCat("?", t.var) : "[]";
    case PTerm::Kind::kConst: {
      const RdfTerm r = ToRdf(t.term);
      if (r.is_iri()) return StrCat("<", r.value, ">");
      return t.term.ToString();
    }
    case PTerm::Kind::kTriple:
      return StrCat("<<( ", TermText((*t.parts)[0]), " ", TermText((*t.parts)[1]), " ",
                    TermText((*t.parts)[2]), " )>>");
  }
  return "";
}

bool Hidden(const std::string& var) { return var.find('.') != std::string::npos; }

void CollectAggregates(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::kAggregate) {
    out.push_back(&e);
    return;
  }
  for (const ExprPtr& c : e.children) CollectAggregates(*c, out);
}

bool HasAggregate(const Expr& e) {
  std::vector<const Expr*> found;
  CollectAggregates(e, found);
  return !found.empty();
}

// A key equal for equal optional terms (GROUP BY, DISTINCT).
std::string KeyOf(const std::vector<std::optional<Term>>& values) {
  std::string key;
  for (const auto& v : values) {
    if (!v) {
      key += "\x01|";
      continue;
    }
    StrAppend(&key, static_cast<int>(v->kind()), ":", v->ToString(), "\x02|");
  }
  return key;
}

class Lowering {
 public:
  Lowering(Context& ctx, const Dataset& dataset)
      : ctx_(ctx),
        dataset_(dataset),
        exists_(std::make_unique<absl::flat_hash_map<const Expr*, std::vector<Step>>>()) {}

  MatchPlan& plan() { return plan_; }

  int Slot(const std::string& name) { return plan_.bindings.Slot(name); }

  // A SparqlExpr over this plan's slots; plans the EXISTS patterns inside.
  absl::StatusOr<std::shared_ptr<const SparqlExpr>> MakeExpr(const ExprPtr& e,
                                                             const absl::flat_hash_set<int>& bound,
                                                             const PTerm* graph = nullptr) {
    KG_RETURN_IF_ERROR(PrepareExpr(*e, bound, graph));
    return std::make_shared<const SparqlExpr>(e, &plan_.bindings.vars, exists_.get(),
                                              Describe(*e));
  }

  absl::Status Group(const sparql::Group& g, absl::flat_hash_set<int>& bound,
                     std::vector<Step>& out, const PTerm* graph) {
    std::vector<Step> filters;
    for (const Element& e : g.elements) {
      if (e.kind != Element::Kind::kFilter) continue;
      Step f;
      f.kind = Step::Kind::kFilter;
      KG_ASSIGN_OR_RETURN(f.expr, MakeExpr(e.expr, bound, graph));
      filters.push_back(std::move(f));
    }
    for (const Element& e : g.elements) {
      switch (e.kind) {
        case Element::Kind::kFilter: break;
        case Element::Kind::kTriples:
          KG_RETURN_IF_ERROR(Triples(e.triples, bound, filters, out, graph));
          break;
        case Element::Kind::kGroup:
          KG_RETURN_IF_ERROR(Nested(*e.group, bound, out, graph));
          break;
        case Element::Kind::kOptional: {
          KG_ASSIGN_OR_RETURN(Step s, GroupStep(Step::Kind::kOptional, "OPTIONAL", *e.group,
                                                bound, graph));
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kUnion: {
          Step s;
          s.kind = Step::Kind::kUnion;
          s.text = "UNION";
          for (const auto& branch : e.groups) {
            absl::flat_hash_set<int> inner = bound;
            s.branches.emplace_back();
            KG_RETURN_IF_ERROR(Nested(*branch, inner, s.branches.back(), graph));
          }
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kMinus: {
          // The right side sees none of the left side's variables.
          KG_ASSIGN_OR_RETURN(Step s, GroupStep(Step::Kind::kMinus, "MINUS", *e.group, {}, graph));
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kBind: {
          Step s;
          s.kind = Step::Kind::kBind;
          KG_ASSIGN_OR_RETURN(s.expr, MakeExpr(e.expr, bound, graph));
          s.var = Slot(e.var);
          s.text = StrCat("?", e.var, " := ", s.expr->Text());
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kValues: {
          Step s;
          KG_RETURN_IF_ERROR(Table(e, s));
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kGraph: {
          if (e.graph.kind == PTerm::Kind::kVar) Slot(e.graph.var);
          if (e.group->elements.empty()) {
            KG_RETURN_IF_ERROR(EveryGraph(e.graph, bound, out));
            break;
          }
          KG_RETURN_IF_ERROR(Group(*e.group, bound, out, &e.graph));
          break;
        }
        case Element::Kind::kSubSelect: {
          Solutions sub;
          if (graph != nullptr) {
            KG_ASSIGN_OR_RETURN(sub, SubSelectInGraphs(*e.query, *graph));
          } else {
            KG_ASSIGN_OR_RETURN(sub, Evaluate(ctx_, *e.query, dataset_, /*explain_only=*/false));
          }
          Element values;
          values.vars = sub.vars;
          values.rows = std::move(sub.rows);
          Step s;
          KG_RETURN_IF_ERROR(Table(values, s));
          s.text = StrCat("sub-select: ", sub.vars.size(), " columns, ", s.table->size(), " rows");
          Push(std::move(s), bound, out);
          break;
        }
        case Element::Kind::kService:
          return absl::UnimplementedError(
              At(e.pos, "SERVICE: kg does not query other endpoints (no federation)"));
      }
    }
    for (Step& f : filters) out.push_back(std::move(f));
    return absl::OkStatus();
  }

 private:
  // Whether a FILTER of `g` (or of a group nested in it) reads a variable
  // that `g` does not bind: nested-loop evaluation would hand it the value
  // from outside, where the standard leaves it unbound.
  static bool ReadsOuterVariables(const sparql::Group& g) {
    std::vector<std::string> scope;
    internal::InScopeVars(g, scope);
    for (const Element& e : g.elements) {
      if (e.kind == Element::Kind::kFilter || e.kind == Element::Kind::kBind) {
        std::vector<std::string> used;
        internal::ExprVars(*e.expr, used);
        for (const std::string& v : used) {
          if (std::find(scope.begin(), scope.end(), v) == scope.end()) return true;
        }
      }
      if (e.kind == Element::Kind::kGroup && ReadsOuterVariables(*e.group)) return true;
    }
    return false;
  }

  // A step holding group `g` planned after the variables in `inner`
  // (OPTIONAL, MINUS, a group joined after it is evaluated on its own).
  absl::StatusOr<Step> GroupStep(Step::Kind kind, std::string text, const sparql::Group& g,
                                 absl::flat_hash_set<int> inner, const PTerm* graph) {
    Step s;
    s.kind = kind;
    s.text = std::move(text);
    KG_RETURN_IF_ERROR(Group(g, inner, s.group, graph));
    return s;
  }

  // A nested group or UNION branch joined into `out`: inline, or -- when a
  // FILTER or BIND in it reads a variable it does not bind -- evaluated on
  // its own, as the standard evaluates every group (the variable is unbound
  // there), then joined.
  absl::Status Nested(const sparql::Group& g, absl::flat_hash_set<int>& bound,
                      std::vector<Step>& out, const PTerm* graph) {
    if (!ReadsOuterVariables(g)) return Group(g, bound, out, graph);
    KG_ASSIGN_OR_RETURN(Step s, GroupStep(Step::Kind::kJoin, "{ ... } evaluated on its own", g,
                                          {}, graph));
    Push(std::move(s), bound, out);
    return absl::OkStatus();
  }

  void Push(Step s, absl::flat_hash_set<int>& bound, std::vector<Step>& out) {
    for (int v : VarsBoundBy(s)) bound.insert(v);
    out.push_back(std::move(s));
  }

  absl::Status PrepareExpr(const Expr& e, const absl::flat_hash_set<int>& bound,
                           const PTerm* graph) {
    if (e.kind == Expr::Kind::kVar) Slot(e.name);
    if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kNotExists) {
      std::vector<Step> steps;
      absl::flat_hash_set<int> inner = bound;
      KG_RETURN_IF_ERROR(Group(*e.group, inner, steps, graph));
      (*exists_)[&e] = std::move(steps);
    }
    for (const ExprPtr& c : e.children) KG_RETURN_IF_ERROR(PrepareExpr(*c, bound, graph));
    return absl::OkStatus();
  }

  std::string Describe(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kVar: return StrCat("?", e.name);
      case Expr::Kind::kConst: {
        PTerm t;
        t.term = e.term;
        return TermText(t);
      }
      case Expr::Kind::kOr: return StrCat("(", Describe(*e.children[0]), " || ", Describe(*e.children[1]), ")");
      case Expr::Kind::kAnd: return StrCat("(", Describe(*e.children[0]), " && ", Describe(*e.children[1]), ")");
      case Expr::Kind::kNot: return StrCat("!", Describe(*e.children[0]));
      case Expr::Kind::kCompare:
      case Expr::Kind::kArith:
        return StrCat("(", Describe(*e.children[0]), " ", e.name, " ", Describe(*e.children[1]), ")");
      case Expr::Kind::kNegate: return StrCat("-", Describe(*e.children[0]));
      case Expr::Kind::kPlus: return StrCat("+", Describe(*e.children[0]));
      case Expr::Kind::kExists: return "EXISTS {...}";
      case Expr::Kind::kNotExists: return "NOT EXISTS {...}";
      default: {
        std::string out = e.name.empty() ? TermText(PTerm{PTerm::Kind::kConst, "", e.term, nullptr, {}})
                                         : e.name;
        out += "(";
        if (e.distinct) out += "DISTINCT ";
        if (e.star) out += "*";
        for (size_t k = 0; k < e.children.size(); ++k) {
          if (k) out += ", ";
          out += Describe(*e.children[k]);
        }
        if (e.kind == Expr::Kind::kIn || e.kind == Expr::Kind::kNotIn) {
          return StrCat(Describe(*e.children[0]), e.kind == Expr::Kind::kIn ? " IN (...)" : " NOT IN (...)");
        }
        return out + ")";
      }
    }
  }

  // GRAPH g {}: each named graph (g a variable), or g if it is one.
  // The named graphs `graph` ranges over (one if it is constant), each with
  // its id: documents with evidence (cited-only ones hold no triples).
  absl::StatusOr<std::vector<std::pair<Term, TermId>>> NamedGraphs(const PTerm& graph) {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> docs, ctx_.snap().ListDocuments());
    std::optional<TermId> wanted;
    if (graph.kind == PTerm::Kind::kConst) {
      KG_ASSIGN_OR_RETURN(wanted, ctx_.snap().IdOf(graph.term));
    }
    std::vector<std::pair<Term, TermId>> out;
    for (const std::string& d : docs) {
      KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> held, ctx_.snap().EvidenceInDocument(d));
      if (held.empty()) continue;
      Term name = GraphName(d);
      KG_ASSIGN_OR_RETURN(const TermId id, ctx_.snap().IdOf(name));
      if (dataset_.named_graphs && !dataset_.named_graphs->contains(id)) continue;
      if (wanted && *wanted != id) continue;
      out.emplace_back(std::move(name), id);
    }
    return out;
  }

  // GRAPH g { SELECT ... }: the sub-select over each named graph as its
  // default graph, with g bound to that graph.
  absl::StatusOr<Solutions> SubSelectInGraphs(const Query& sub, const PTerm& graph) {
    KG_ASSIGN_OR_RETURN(auto graphs, NamedGraphs(graph));
    Solutions all;
    bool first = true;
    for (const auto& [name, id] : graphs) {
      Dataset d;
      d.default_graphs = std::make_shared<const absl::flat_hash_set<TermId>>(
          absl::flat_hash_set<TermId>{id});
      d.named_graphs = dataset_.named_graphs;
      KG_ASSIGN_OR_RETURN(Solutions one, Evaluate(ctx_, sub, d, /*explain_only=*/false));
      int at = -1;
      if (graph.kind == PTerm::Kind::kVar) {
        auto it = std::find(one.vars.begin(), one.vars.end(), graph.var);
        if (it == one.vars.end()) {
          one.vars.push_back(graph.var);
          for (auto& row : one.rows) row.push_back(name);
        } else {
          at = static_cast<int>(it - one.vars.begin());
        }
      }
      if (first) all.vars = one.vars;
      first = false;
      for (auto& row : one.rows) {
        if (at >= 0 && row[at] && !(*row[at] == name)) continue;
        if (at >= 0) row[at] = name;
        all.rows.push_back(std::move(row));
      }
    }
    if (first) {
      all.vars = sub.select_all ? sub.in_scope : std::vector<std::string>();
      for (const Projection& p : sub.projection) all.vars.push_back(p.var);
      if (graph.kind == PTerm::Kind::kVar) all.vars.push_back(graph.var);
    }
    return all;
  }

  absl::Status EveryGraph(const PTerm& graph, absl::flat_hash_set<int>& bound,
                          std::vector<Step>& out) {
    Element names;
    names.vars = {graph.kind == PTerm::Kind::kVar ? graph.var : StrCat("_n.", ++hidden_)};
    KG_ASSIGN_OR_RETURN(auto graphs, NamedGraphs(graph));
    for (auto& [name, id] : graphs) names.rows.push_back({name});
    Step s;
    KG_RETURN_IF_ERROR(Table(names, s));
    s.text = StrCat("GRAPH ", TermText(graph), " {}: ", names.rows.size(), " graphs");
    Push(std::move(s), bound, out);
    return absl::OkStatus();
  }

  absl::Status Table(const Element& e, Step& s) {
    s.kind = Step::Kind::kTable;
    for (const std::string& v : e.vars) s.table_vars.push_back(Slot(v));
    auto rows = std::make_shared<std::vector<std::vector<Value>>>();
    for (const auto& r : e.rows) {
      std::vector<Value> values;
      for (const auto& t : r) values.push_back(t ? Value::Of(*t) : Value());
      rows->push_back(std::move(values));
    }
    s.table = rows;
    if (s.text.empty()) s.text = StrCat("VALUES: ", e.vars.size(), " columns, ", rows->size(), " rows");
    return absl::OkStatus();
  }

  absl::StatusOr<kg::query::Slot> BindTerm(const PTerm& t, std::vector<BoundPattern>& extra) {
    kg::query::Slot slot;
    switch (t.kind) {
      case PTerm::Kind::kVar: slot.var = Slot(t.var); return slot;
      case PTerm::Kind::kConst: {
        KG_ASSIGN_OR_RETURN(slot.id, ctx_.snap().IdOf(t.term));
        return slot;
      }
      case PTerm::Kind::kTriple: {
        kg::query::Slot parts[3];
        for (int k = 0; k < 3; ++k) {
          KG_ASSIGN_OR_RETURN(parts[k], BindTerm((*t.parts)[k], extra));
        }
        if (!parts[0].is_var() && !parts[1].is_var() && !parts[2].is_var()) {
          KG_ASSIGN_OR_RETURN(slot.id, ctx_.snap().ClaimIdOf(kg::Triple{parts[0].id, parts[1].id, parts[2].id}));
          return slot;
        }
        BoundPattern d;
        d.kind = BoundPattern::Kind::kDecompose;
        d.pos = t.pos;
        slot.var = Slot(StrCat("_c.", ++hidden_));
        d.s = slot;
        for (int k = 0; k < 3; ++k) d.parts[k] = parts[k];
        d.text = StrCat(TermText(t), " (decompose)");
        extra.push_back(std::move(d));
        return slot;
      }
    }
    return slot;
  }

  // The subject of kg:evidence and the provenance properties: a triple
  // term with variables is matched against the stored claims (a scan that
  // binds the claim), not decomposed.
  absl::StatusOr<kg::query::Slot> ClaimSubject(const PTerm& t, std::vector<BoundPattern>& extra) {
    if (t.kind != PTerm::Kind::kTriple) return BindTerm(t, extra);
    BoundPattern scan;
    scan.kind = BoundPattern::Kind::kScan;
    scan.pos = t.pos;
    KG_ASSIGN_OR_RETURN(scan.s, BindTerm((*t.parts)[0], extra));
    KG_ASSIGN_OR_RETURN(scan.p, BindTerm((*t.parts)[1], extra));
    KG_ASSIGN_OR_RETURN(scan.o, BindTerm((*t.parts)[2], extra));
    if (!scan.s.is_var() && !scan.p.is_var() && !scan.o.is_var()) return BindTerm(t, extra);
    scan.claim_var = Slot(StrCat("_c.", ++hidden_));
    scan.text = StrCat(TermText(t), " (claims)");
    kg::query::Slot slot;
    slot.var = scan.claim_var;
    extra.push_back(std::move(scan));
    return slot;
  }

  static std::optional<FieldRef> EvidenceField(std::string_view local) {
    static const std::pair<std::string_view, FieldId> kFields[] = {
        {"quote", FieldId::kQuote},     {"document", FieldId::kDocument},
        {"hedge", FieldId::kHedge},     {"stance", FieldId::kStance},
        {"agent", FieldId::kAgent},     {"via", FieldId::kVia},
        {"start", FieldId::kStart},     {"end", FieldId::kEnd},
        {"negated", FieldId::kNegated}, {"context", FieldId::kContext},
        {"claim", FieldId::kClaim},
    };
    for (const auto& [name, id] : kFields) {
      if (name == local) return FieldRef{id, std::string(name)};
    }
    // A verdict's fields (kg:verdict, kg:rating, kg:reviewer, ...) are
    // qualifiers of its evidence.
    if (IsVerdictKey(local)) return FieldRef{FieldId::kQualifier, std::string(local)};
    return std::nullopt;
  }

  absl::StatusOr<CompiledPath> CompilePath(const Path& p) {
    CompiledPath c;
    c.kind = static_cast<PathAst::Kind>(static_cast<int>(p.kind));
    c.text = p.text;
    c.min = p.min;
    c.max = p.max;
    if (p.kind == Path::Kind::kPredicate) {
      KG_ASSIGN_OR_RETURN(c.predicate, ctx_.snap().IdOf(p.iri));
    }
    for (const PathPtr& child : p.children) {
      KG_ASSIGN_OR_RETURN(CompiledPath cc, CompilePath(*child));
      c.children.push_back(std::move(cc));
    }
    return c;
  }

  // A sequence path s p1/p2 o is the join s p1 ?v . ?v p2 o (each match a
  // solution, as the standard's translation says), and ^p a triple the other
  // way round; what is left is walked as a path (set semantics).
  void ExpandPaths(const sparql::Triple& t, std::vector<sparql::Triple>& out) {
    if (!t.path) {
      out.push_back(t);
      return;
    }
    const Path& p = *t.path;
    if (p.kind == Path::Kind::kPredicate) {
      sparql::Triple simple = t;
      simple.path = nullptr;
      simple.p.kind = PTerm::Kind::kConst;
      simple.p.term = p.iri;
      out.push_back(std::move(simple));
      return;
    }
    if (p.kind == Path::Kind::kInverse) {
      sparql::Triple back = t;
      std::swap(back.s, back.o);
      back.path = p.children[0];
      ExpandPaths(back, out);
      return;
    }
    if (p.kind == Path::Kind::kSequence) {
      PTerm from = t.s;
      for (size_t k = 0; k < p.children.size(); ++k) {
        PTerm to = t.o;
        if (k + 1 < p.children.size()) {
          to.kind = PTerm::Kind::kVar;
          to.var = StrCat("_p.", ++hidden_);
        }
        sparql::Triple step = t;
        step.s = from;
        step.o = to;
        step.path = p.children[k];
        ExpandPaths(step, out);
        from = to;
      }
      return;
    }
    out.push_back(t);
  }

  absl::Status Triples(const std::vector<sparql::Triple>& written, absl::flat_hash_set<int>& bound,
                       std::vector<Step>& filters, std::vector<Step>& out, const PTerm* graph) {
    std::vector<sparql::Triple> triples;
    for (const sparql::Triple& t : written) ExpandPaths(t, triples);
    std::vector<BoundPattern> patterns;
    const size_t first_new = out.size();
    for (const sparql::Triple& t : triples) {
      BoundPattern b;
      b.pos = t.pos;
      b.text = StrCat(TermText(t.s), " ", t.path ? t.path->text : TermText(t.p), " ", TermText(t.o));
      if (!t.path && t.p.kind == PTerm::Kind::kConst && t.p.term.kind() == TermKind::kIri &&
          std::string_view(t.p.term.text()).starts_with(kKgVocabNs)) {
        const std::string_view local = std::string_view(t.p.term.text()).substr(kKgVocabNs.size());
        if (local == "evidence") {
          if (t.o.kind != PTerm::Kind::kVar) {
            return absl::InvalidArgumentError(At(t.o.pos, "kg:evidence takes a variable as object"));
          }
          b.kind = BoundPattern::Kind::kEvidence;
          KG_ASSIGN_OR_RETURN(b.s, ClaimSubject(t.s, patterns));
          b.o.var = Slot(t.o.var);
          patterns.push_back(std::move(b));
          continue;
        }
        const auto field = EvidenceField(local);
        if (field || std::find(std::begin(kProvenanceFunctions), std::end(kProvenanceFunctions),
                               local) != std::end(kProvenanceFunctions)) {
          Step call;
          call.kind = Step::Kind::kCall;
          call.function = std::string(local);
          call.field = field;
          KG_ASSIGN_OR_RETURN(call.s, ClaimSubject(t.s, patterns));
          KG_ASSIGN_OR_RETURN(call.o, BindTerm(t.o, patterns));
          call.text = b.text;
          call.index = field ? "evidence field" : "provenance walk (RootsOf)";
          call.pos = t.pos;
          filters.push_back(std::move(call));
          continue;
        }
      }
      KG_ASSIGN_OR_RETURN(b.s, BindTerm(t.s, patterns));
      KG_ASSIGN_OR_RETURN(b.o, BindTerm(t.o, patterns));
      if (t.path) {
        b.kind = BoundPattern::Kind::kPath;
        KG_ASSIGN_OR_RETURN(CompiledPath c, CompilePath(*t.path));
        b.path = std::make_shared<const CompiledPath>(std::move(c));
      } else {
        b.kind = BoundPattern::Kind::kScan;
        KG_ASSIGN_OR_RETURN(b.p, BindTerm(t.p, patterns));
        if (graph != nullptr || dataset_.default_graphs) {
          b.claim_var = Slot(StrCat("_g.", ++hidden_));
          Step in_graph;
          in_graph.kind = Step::Kind::kGraph;
          in_graph.s.var = b.claim_var;
          if (graph != nullptr) {
            std::vector<BoundPattern> none;
            KG_ASSIGN_OR_RETURN(in_graph.o, BindTerm(*graph, none));
            in_graph.graphs = dataset_.named_graphs;
            in_graph.text = StrCat("GRAPH ", TermText(*graph), " { ", b.text, " }");
          } else {
            in_graph.graphs = dataset_.default_graphs;
            in_graph.graph_check = true;
            in_graph.text = StrCat("FROM { ", b.text, " }");
          }
          in_graph.index = "evidence by claim: its documents";
          filters.push_back(std::move(in_graph));
        }
      }
      patterns.push_back(std::move(b));
    }
    KG_RETURN_IF_ERROR(PlanBlock(ctx_, plan_.bindings, std::move(patterns), filters, bound, out));
    for (size_t k = first_new; k < out.size(); ++k) {
      for (int v : VarsBoundBy(out[k])) bound.insert(v);
    }
    return absl::OkStatus();
  }

  Context& ctx_;
  const Dataset& dataset_;
  MatchPlan plan_;
  // The plans of EXISTS patterns, which the expressions point into: the
  // Lowering outlives the run of its plan (Evaluate holds both).
  std::unique_ptr<absl::flat_hash_map<const Expr*, std::vector<Step>>> exists_;
  int hidden_ = 0;
};

}  // namespace

absl::StatusOr<Dataset> DatasetOf(Context& ctx, const Query& q,
                                  const std::optional<std::vector<std::string>>& default_graphs,
                                  const std::optional<std::vector<std::string>>& named_graphs) {
  Dataset d;
  const bool from_protocol = default_graphs.has_value() || named_graphs.has_value();
  if (!from_protocol && !q.has_dataset) return d;
  auto ids = [&](const std::vector<std::string>& iris)
      -> absl::StatusOr<std::shared_ptr<const absl::flat_hash_set<TermId>>> {
    auto out = std::make_shared<absl::flat_hash_set<TermId>>();
    for (const std::string& iri : iris) {
      KG_ASSIGN_OR_RETURN(Term t, FromRdf(RdfTerm::Iri(iri), "q"));
      KG_ASSIGN_OR_RETURN(const TermId id, ctx.snap().IdOf(t));
      out->insert(id);
    }
    return std::shared_ptr<const absl::flat_hash_set<TermId>>(std::move(out));
  };
  static const std::vector<std::string> kNone;
  KG_ASSIGN_OR_RETURN(d.default_graphs,
                      ids(from_protocol ? default_graphs.value_or(kNone) : q.from));
  KG_ASSIGN_OR_RETURN(d.named_graphs,
                      ids(from_protocol ? named_graphs.value_or(kNone) : q.from_named));
  return d;
}

absl::StatusOr<Solutions> Evaluate(Context& ctx, const Query& q, const Dataset& dataset,
                                   bool explain_only) {
  Lowering lower(ctx, dataset);
  absl::flat_hash_set<int> bound;
  std::vector<Step> steps;
  KG_RETURN_IF_ERROR(lower.Group(*q.where, bound, steps, nullptr));
  if (q.has_values) {
    // The trailing VALUES joins the solutions of the whole pattern (after
    // its OPTIONALs: an unbound variable is compatible with any value).
    auto group = std::make_shared<sparql::Group>();
    group->elements.push_back(q.values);
    KG_RETURN_IF_ERROR(lower.Group(*group, bound, steps, nullptr));
  }
  MatchPlan& plan = lower.plan();
  plan.steps = std::move(steps);

  // Expressions of the projection, GROUP BY, HAVING and ORDER BY.
  struct Projected {
    std::string var;
    int slot = -1;
    std::shared_ptr<const SparqlExpr> expr;
  };
  std::vector<Projected> projection;
  std::vector<Projected> group_by;
  std::vector<std::shared_ptr<const SparqlExpr>> having, order;
  bool grouped = !q.group_by.empty() || !q.having.empty();
  for (const Projection& p : q.projection) {
    Projected out{p.var, lower.Slot(p.var), nullptr};
    if (p.expr) {
      KG_ASSIGN_OR_RETURN(out.expr, lower.MakeExpr(p.expr, bound));
      grouped |= HasAggregate(*p.expr);
    }
    projection.push_back(std::move(out));
  }
  for (const Projection& g : q.group_by) {
    Projected out{g.var, g.var.empty() ? -1 : lower.Slot(g.var), nullptr};
    KG_ASSIGN_OR_RETURN(out.expr, lower.MakeExpr(g.expr, bound));
    if (g.var.empty() && g.expr->kind == Expr::Kind::kVar) out.slot = lower.Slot(g.expr->name);
    group_by.push_back(std::move(out));
  }
  for (const ExprPtr& h : q.having) {
    KG_ASSIGN_OR_RETURN(auto e, lower.MakeExpr(h, bound));
    having.push_back(e);
  }
  for (const OrderKey& k : q.order_by) {
    KG_ASSIGN_OR_RETURN(auto e, lower.MakeExpr(k.expr, bound));
    grouped |= HasAggregate(*k.expr);
    order.push_back(e);
  }

  Solutions result;
  if (q.select_all || q.form == Query::Form::kConstruct || q.form == Query::Form::kDescribe) {
    for (const std::string& v : q.in_scope) {
      if (!Hidden(v)) result.vars.push_back(v);
    }
    if (q.has_values) {
      for (const std::string& v : q.values.vars) {
        if (std::find(result.vars.begin(), result.vars.end(), v) == result.vars.end()) {
          result.vars.push_back(v);
        }
      }
    }
  }
  if (!q.select_all) {
    for (const Projected& p : projection) {
      if (std::find(result.vars.begin(), result.vars.end(), p.var) == result.vars.end()) {
        result.vars.push_back(p.var);
      }
    }
  }
  std::vector<int> out_slots;
  for (const std::string& v : result.vars) out_slots.push_back(lower.Slot(v));
  if (explain_only) {
    result.explain = ExplainRows(plan.steps);
    return result;
  }

  Executor exec(ctx, plan);
  const size_t width = plan.bindings.var_names.size();
  struct OutRow {
    Row row;
    std::vector<std::optional<Term>> keys;
  };
  std::vector<OutRow> rows;
  const bool streaming = !grouped && order.empty() && !q.distinct && !q.reduced;
  const uint64_t wanted = q.limit ? q.offset + *q.limit : UINT64_MAX;

  auto finish = [&](Row row, const AggregateValues* aggs) -> absl::Status {
    for (const Projected& p : projection) {
      if (!p.expr) continue;
      KG_ASSIGN_OR_RETURN(std::optional<Term> v, p.expr->EvalTerm(exec, row, aggs));
      row[p.slot] = v ? Value::Of(*v) : Value();
    }
    OutRow out;
    for (const auto& k : order) {
      KG_ASSIGN_OR_RETURN(std::optional<Term> v, k->EvalTerm(exec, row, aggs));
      out.keys.push_back(std::move(v));
    }
    out.row = std::move(row);
    KG_RETURN_IF_ERROR(ctx.CountRow());
    rows.push_back(std::move(out));
    return absl::OkStatus();
  };

  if (!grouped) {
    KG_RETURN_IF_ERROR(exec.Run([&](Row& row) -> absl::StatusOr<bool> {
      Row copy = row;
      copy.resize(width);
      KG_RETURN_IF_ERROR(finish(std::move(copy), nullptr));
      return !streaming || rows.size() < wanted;
    }));
  } else {
    std::vector<std::string> order_of_keys;
    std::map<std::string, std::pair<std::vector<std::optional<Term>>, std::vector<Row>>> groups;
    KG_RETURN_IF_ERROR(exec.Run([&](Row& row) -> absl::StatusOr<bool> {
      std::vector<std::optional<Term>> key;
      for (const Projected& g : group_by) {
        KG_ASSIGN_OR_RETURN(std::optional<Term> v, g.expr->EvalTerm(exec, row, nullptr));
        key.push_back(std::move(v));
      }
      const std::string k = KeyOf(key);
      auto [it, inserted] = groups.try_emplace(k);
      if (inserted) {
        order_of_keys.push_back(k);
        it->second.first = std::move(key);
      }
      KG_RETURN_IF_ERROR(ctx.CountRow());
      it->second.second.push_back(row);
      return true;
    }));
    if (groups.empty() && group_by.empty()) {
      order_of_keys.push_back("");
      groups[""];
    }
    std::vector<const Expr*> aggregates;
    for (const Projected& p : projection) {
      if (p.expr) CollectAggregates(p.expr->expr(), aggregates);
    }
    for (const auto& h : having) CollectAggregates(h->expr(), aggregates);
    for (const auto& o : order) CollectAggregates(o->expr(), aggregates);
    for (const std::string& k : order_of_keys) {
      auto& [key, members] = groups[k];
      AggregateValues aggs;
      for (const Expr* a : aggregates) {
        std::vector<std::optional<Term>> values;
        std::shared_ptr<const SparqlExpr> arg;
        if (!a->star) {
          KG_ASSIGN_OR_RETURN(arg, lower.MakeExpr(a->children[0], bound));
        }
        for (const Row& r : members) {
          if (a->star) {
            // COUNT(DISTINCT *) counts distinct solutions: one value per row.
            std::string key;
            if (a->distinct) {
              for (const Value& v : r) {
                KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx.AsTerm(v));
                StrAppend(&key, t ? t->ToString() : "", "\x01");
              }
            }
            values.push_back(a->distinct ? Term::String(key) : Term::Integer(1));
            continue;
          }
          KG_ASSIGN_OR_RETURN(std::optional<Term> v, arg->EvalTerm(exec, r, nullptr));
          values.push_back(std::move(v));
        }
        aggs[a] = Aggregate(*a, values);
      }
      Row row(width);
      for (size_t g = 0; g < group_by.size(); ++g) {
        if (group_by[g].slot >= 0 && key[g]) row[group_by[g].slot] = Value::Of(*key[g]);
      }
      bool keep = true;
      for (const auto& h : having) {
        KG_ASSIGN_OR_RETURN(std::optional<Term> v, h->EvalTerm(exec, row, &aggs));
        keep &= v && EffectiveBoolean(*v).value_or(false);
      }
      if (keep) KG_RETURN_IF_ERROR(finish(std::move(row), &aggs));
    }
  }
  if (!order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const OutRow& a, const OutRow& b) {
      for (size_t k = 0; k < order.size(); ++k) {
        const int c = OrderCompare(a.keys[k], b.keys[k]);
        if (c != 0) return q.order_by[k].descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  absl::flat_hash_set<std::string> seen;
  uint64_t skipped = 0;
  for (const OutRow& r : rows) {
    std::vector<std::optional<Term>> values;
    for (int slot : out_slots) {
      if (slot >= static_cast<int>(r.row.size()) || r.row[slot].is_null()) {
        values.emplace_back();
        continue;
      }
      const Value& v = r.row[slot];
      if (v.kind == Value::Kind::kEvidence) {
        // A piece of evidence is a blank node: its claim, document and ordinal.
        values.push_back(Term::BlankNode(StrCat("ev-", v.evidence->claim.ToHex(), "-",
                                                BlankScope(v.evidence->document_id), "-",
                                                v.evidence->ordinal)));
        continue;
      }
      KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx.AsTerm(v));
      values.push_back(std::move(t));
    }
    if ((q.distinct || q.reduced) && !seen.insert(KeyOf(values)).second) continue;
    if (skipped < q.offset) {
      ++skipped;
      continue;
    }
    if (q.limit && result.rows.size() >= *q.limit) break;
    result.rows.push_back(std::move(values));
  }
  return result;
}

}  // namespace kg::query::sparql
