// SPARQL queries, group graph patterns, triples and property paths
// (sparql_parser.h); terms and expressions are in sparql_parser_terms.cc.
#include "query/sparql_parser.h"

#include <algorithm>
#include <utility>

#include "kg/iri.h"
#include "kg/rdf.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/sparql_parser_internal.h"

namespace kg::query::sparql {
namespace internal {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void AddVar(std::vector<std::string>& out, const std::string& v) {
  if (!Contains(out, v)) out.push_back(v);
}

void PTermVars(const PTerm& t, std::vector<std::string>& out) {
  if (t.kind == PTerm::Kind::kVar) AddVar(out, t.var);
  if (t.kind == PTerm::Kind::kTriple) {
    for (const PTerm& p : *t.parts) PTermVars(p, out);
  }
}

// The group-level variables of an aggregate query that an expression uses
// outside any aggregate.
void FreeVars(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kAggregate) return;
  if (e.kind == Expr::Kind::kVar) out.push_back(e.name);
  for (const ExprPtr& c : e.children) FreeVars(*c, out);
}

}  // namespace

void InScopeVars(const Group& g, std::vector<std::string>& out) {
  for (const Element& e : g.elements) {
    switch (e.kind) {
      case Element::Kind::kTriples:
        for (const Triple& t : e.triples) {
          PTermVars(t.s, out);
          PTermVars(t.p, out);
          PTermVars(t.o, out);
        }
        break;
      case Element::Kind::kOptional:
      case Element::Kind::kGroup: InScopeVars(*e.group, out); break;
      case Element::Kind::kUnion:
        for (const auto& b : e.groups) InScopeVars(*b, out);
        break;
      case Element::Kind::kGraph:
        PTermVars(e.graph, out);
        InScopeVars(*e.group, out);
        break;
      case Element::Kind::kBind: AddVar(out, e.var); break;
      case Element::Kind::kValues:
        for (const std::string& v : e.vars) AddVar(out, v);
        break;
      case Element::Kind::kSubSelect:
        for (const std::string& v : e.query->in_scope) AddVar(out, v);
        break;
      default: break;
    }
  }
}

Term Rdf(std::string_view local, Parser& p) { return p.IriTerm(StrCat(kRdf, local)); }

absl::Status Parser::DatasetClauses() {
  return absl::OkStatus();
}

absl::StatusOr<PathPtr> Parser::PathPrimary() {
  Skip();
  auto path = std::make_shared<Path>();
  const size_t start = i_;
  if (Punct("(")) {
    KG_RETURN_IF_ERROR(Enter());
    KG_ASSIGN_OR_RETURN(PathPtr inner, PathAlternative());
    KG_RETURN_IF_ERROR(Expect(")"));
    Leave();
    return inner;
  }
  if (Punct("!")) {
    path->kind = Path::Kind::kNegated;
    auto one = [&]() -> absl::Status {
      const bool inverse = Punct("^");
      auto p = std::make_shared<Path>();
      if (Keyword("A")) {
        p->iri = Rdf("type", *this);
      } else {
        KG_ASSIGN_OR_RETURN(std::string iri, Iri());
        p->iri = IriTerm(iri);
      }
      if (inverse) {
        auto inv = std::make_shared<Path>();
        inv->kind = Path::Kind::kInverse;
        inv->children.push_back(p);
        path->children.push_back(inv);
      } else {
        path->children.push_back(p);
      }
      return absl::OkStatus();
    };
    if (Punct("(")) {
      if (!Punct(")")) {
        do {
          KG_RETURN_IF_ERROR(one());
        } while (Punct("|"));
        KG_RETURN_IF_ERROR(Expect(")"));
      }
    } else {
      KG_RETURN_IF_ERROR(one());
    }
  } else if (Keyword("A")) {
    path->iri = Rdf("type", *this);
  } else {
    if (!PeekIri()) return Error("a predicate or path");
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    path->iri = IriTerm(iri);
  }
  path->text = std::string(text_.substr(start, i_ - start));
  return PathPtr(path);
}

absl::StatusOr<PathPtr> Parser::PathElt() {
  const bool inverse = Punct("^");
  KG_ASSIGN_OR_RETURN(PathPtr primary, PathPrimary());
  // A modifier follows directly ('?' then a name would be a variable).
  PathPtr out = primary;
  if (i_ < text_.size() && (text_[i_] == '*' || text_[i_] == '+' ||
                            (text_[i_] == '?' && (i_ + 1 >= text_.size() ||
                                                  !std::isalnum(static_cast<unsigned char>(text_[i_ + 1])))))) {
    auto rep = std::make_shared<Path>();
    rep->kind = Path::Kind::kRepeat;
    rep->min = text_[i_] == '+' ? 1 : 0;
    rep->max = text_[i_] == '?' ? 1 : -1;
    rep->children.push_back(primary);
    rep->text = StrCat(primary->text, std::string(1, text_[i_]));
    ++i_;
    out = rep;
  }
  if (!inverse) return out;
  auto inv = std::make_shared<Path>();
  inv->kind = Path::Kind::kInverse;
  inv->children.push_back(out);
  inv->text = StrCat("^", out->text);
  return PathPtr(inv);
}

absl::StatusOr<PathPtr> Parser::PathSequence() {
  KG_ASSIGN_OR_RETURN(PathPtr first, PathElt());
  if (Peek() != '/') return first;
  auto seq = std::make_shared<Path>();
  seq->kind = Path::Kind::kSequence;
  seq->children.push_back(first);
  seq->text = first->text;
  while (Punct("/")) {
    KG_ASSIGN_OR_RETURN(PathPtr next, PathElt());
    seq->children.push_back(next);
    seq->text += StrCat("/", next->text);
  }
  return PathPtr(seq);
}

absl::StatusOr<PathPtr> Parser::PathAlternative() {
  KG_ASSIGN_OR_RETURN(PathPtr first, PathSequence());
  if (Peek() != '|' || Peek(1) == '}') return first;
  auto alt = std::make_shared<Path>();
  alt->kind = Path::Kind::kAlternative;
  alt->children.push_back(first);
  alt->text = first->text;
  while (Peek() == '|' && Peek(1) != '}' && Punct("|")) {
    KG_ASSIGN_OR_RETURN(PathPtr next, PathSequence());
    alt->children.push_back(next);
    alt->text += StrCat("|", next->text);
  }
  return PathPtr(alt);
}

absl::StatusOr<PTerm> Parser::GraphNode(std::vector<Triple>& out, bool allow_paths) {
  Skip();
  const Pos pos = Here();
  if (Peek() == '(' && Peek(1) != ')') {
    // A collection: a list of rdf:first / rdf:rest nodes.
    Punct("(");
    KG_RETURN_IF_ERROR(Enter());
    std::vector<PTerm> items;
    while (!Punct(")")) {
      if (AtEnd()) return Error("')' to end the collection");
      KG_ASSIGN_OR_RETURN(PTerm item, GraphNode(out, allow_paths));
      items.push_back(std::move(item));
    }
    Leave();
    PTerm head;
    head.pos = pos;
    head.term = Rdf("nil", *this);
    for (size_t k = items.size(); k-- > 0;) {
      PTerm node = FreshBlank(pos);
      PTerm first, rest;
      first.term = Rdf("first", *this);
      rest.term = Rdf("rest", *this);
      out.push_back(Triple{node, first, items[k], nullptr, pos});
      out.push_back(Triple{node, rest, head, nullptr, pos});
      head = node;
    }
    return head;
  }
  if (Peek() == '[') {
    const size_t save = i_;
    Punct("[");
    if (Punct("]")) {
      i_ = save;
      return BlankNode();
    }
    KG_RETURN_IF_ERROR(Enter());
    PTerm node = FreshBlank(pos);
    KG_RETURN_IF_ERROR(PropertyList(node, out, allow_paths, /*required=*/true));
    KG_RETURN_IF_ERROR(Expect("]"));
    Leave();
    return node;
  }
  if (text_.substr(i_).starts_with("<<") && !text_.substr(i_).starts_with("<<(")) {
    // A reified triple << s p o ~ r >>: the reifier r rdf:reifies <<( s p o )>>.
    Punct("<<");
    KG_RETURN_IF_ERROR(Enter());
    std::vector<PTerm> parts;
    KG_ASSIGN_OR_RETURN(PTerm s, GraphNode(out, allow_paths));
    PTerm p;
    p.pos = Here();
    if (PeekVar()) {
      p.kind = PTerm::Kind::kVar;
      KG_ASSIGN_OR_RETURN(p.var, Var());
    } else if (Keyword("A")) {
      p.term = Rdf("type", *this);
    } else {
      KG_ASSIGN_OR_RETURN(std::string iri, Iri());
      p.term = IriTerm(iri);
    }
    KG_ASSIGN_OR_RETURN(PTerm o, GraphNode(out, allow_paths));
    PTerm reifier;
    if (Punct("~")) {
      if (Peek() == '>') {
        reifier = FreshBlank(pos);
      } else {
        KG_ASSIGN_OR_RETURN(reifier, VarOrTerm());
      }
    } else {
      reifier = FreshBlank(pos);
    }
    KG_RETURN_IF_ERROR(Expect(">>"));
    Leave();
    PTerm triple;
    triple.kind = PTerm::Kind::kTriple;
    triple.pos = pos;
    triple.parts = std::make_shared<const std::vector<PTerm>>(std::vector<PTerm>{s, p, o});
    PTerm reifies;
    reifies.term = Rdf("reifies", *this);
    out.push_back(Triple{reifier, reifies, triple, nullptr, pos});
    return reifier;
  }
  return VarOrTerm();
}

absl::Status Parser::ObjectList(const PTerm& subject, const PTerm& verb, const PathPtr& path,
                                std::vector<Triple>& out, bool allow_paths) {
  do {
    const Pos pos = Here();
    std::vector<Triple> nested;
    KG_ASSIGN_OR_RETURN(PTerm object, GraphNode(nested, allow_paths));
    Triple t{subject, verb, object, path, pos};
    out.push_back(t);
    for (Triple& n : nested) out.push_back(std::move(n));
    // RDF 1.2 reifiers and annotations: s p o ~ r {| ... |}
    PTerm reifier;
    bool has_reifier = false;
    while (Peek() == '~' || (Peek() == '{' && Peek(1) == '|')) {
      if (path) return ErrorAt(pos, "a property path cannot be annotated");
      if (Punct("~")) {
        if (PeekVar() || PeekIri() || Peek() == '_' || Peek() == '[') {
          KG_ASSIGN_OR_RETURN(reifier, VarOrTerm());
        } else {
          reifier = FreshBlank(pos);
        }
        has_reifier = true;
      } else {
        Punct("{|");
        if (!has_reifier) reifier = FreshBlank(pos);
        has_reifier = true;
        KG_RETURN_IF_ERROR(PropertyList(reifier, out, allow_paths, /*required=*/true));
        KG_RETURN_IF_ERROR(Expect("|}"));
      }
      PTerm triple;
      triple.kind = PTerm::Kind::kTriple;
      triple.pos = pos;
      triple.parts =
          std::make_shared<const std::vector<PTerm>>(std::vector<PTerm>{subject, verb, object});
      PTerm reifies;
      reifies.term = Rdf("reifies", *this);
      out.push_back(Triple{reifier, reifies, triple, nullptr, pos});
    }
  } while (Punct(","));
  return absl::OkStatus();
}

absl::Status Parser::PropertyList(const PTerm& subject, std::vector<Triple>& out,
                                  bool allow_paths, bool required) {
  bool first = true;
  for (;;) {
    Skip();
    const Pos pos = Here();
    PTerm verb;
    verb.pos = pos;
    PathPtr path;
    if (PeekVar()) {
      verb.kind = PTerm::Kind::kVar;
      KG_ASSIGN_OR_RETURN(verb.var, Var());
    } else if (PeekKeyword("A")) {
      Keyword("A");
      verb.term = Rdf("type", *this);
      if (allow_paths && (Peek() == '/' || Peek() == '|' || Peek() == '*' || Peek() == '+')) {
        i_ -= 1;
        KG_ASSIGN_OR_RETURN(path, PathAlternative());
      }
    } else if (allow_paths && (PeekIri() || Peek() == '^' || Peek() == '!' || Peek() == '(')) {
      KG_ASSIGN_OR_RETURN(path, PathAlternative());
    } else if (!allow_paths && PeekIri()) {
      KG_ASSIGN_OR_RETURN(std::string iri, Iri());
      verb.term = IriTerm(iri);
    } else {
      if (first && required) return Error("a predicate");
      return absl::OkStatus();
    }
    if (path && path->kind == Path::Kind::kPredicate) {
      verb.term = path->iri;
      path = nullptr;
    }
    first = false;
    KG_RETURN_IF_ERROR(ObjectList(subject, verb, path, out, allow_paths));
    if (!Punct(";")) return absl::OkStatus();
    while (Punct(";")) {
    }
  }
}

absl::Status Parser::TriplesBlock(std::vector<Triple>& out, bool allow_paths) {
  for (;;) {
    Skip();
    std::vector<Triple> nested;
    const bool node_subject = (Peek() == '(' && Peek(1) != ')') ||
                              (Peek() == '[' && Peek(1) != ']');
    KG_ASSIGN_OR_RETURN(PTerm subject, GraphNode(nested, allow_paths));
    for (Triple& n : nested) out.push_back(std::move(n));
    KG_RETURN_IF_ERROR(PropertyList(subject, out, allow_paths, /*required=*/!node_subject));
    block_ended_with_dot_ = Punct(".");
    if (!block_ended_with_dot_) return absl::OkStatus();
    Skip();
    const char c = Peek();
    if (c == '}' || c == '\0' || PeekKeyword("OPTIONAL") || PeekKeyword("FILTER") ||
        PeekKeyword("BIND") || PeekKeyword("VALUES") || PeekKeyword("MINUS") ||
        PeekKeyword("GRAPH") || PeekKeyword("SERVICE") || c == '{' || c == '.') {
      return absl::OkStatus();
    }
  }
}

absl::StatusOr<Element> Parser::InlineData(bool full) {
  Element e;
  e.kind = Element::Kind::kValues;
  e.pos = Here();
  bool single = false;
  if (PeekVar()) {
    single = true;
    KG_ASSIGN_OR_RETURN(std::string v, Var());
    e.vars.push_back(v);
  } else {
    KG_RETURN_IF_ERROR(Expect("("));
    while (!Punct(")")) {
      KG_ASSIGN_OR_RETURN(std::string v, Var());
      if (Contains(e.vars, v)) return ErrorAt(e.pos, StrCat("VALUES names ?", v, " twice"));
      e.vars.push_back(v);
    }
  }
  (void)full;
  KG_RETURN_IF_ERROR(Expect("{"));
  auto value = [&]() -> absl::StatusOr<std::optional<Term>> {
    if (Keyword("UNDEF")) return std::optional<Term>();
    KG_ASSIGN_OR_RETURN(PTerm t, VarOrTerm());
    if (t.kind == PTerm::Kind::kVar) return ErrorAt(t.pos, "VALUES takes constants, not variables");
    if (t.kind == PTerm::Kind::kTriple) {
      for (const PTerm& p : *t.parts) {
        if (p.kind != PTerm::Kind::kConst) return ErrorAt(t.pos, "VALUES takes constant triple terms");
      }
      return std::optional<Term>(
          Term::Claim((*t.parts)[0].term, (*t.parts)[1].term, (*t.parts)[2].term));
    }
    return std::optional<Term>(t.term);
  };
  while (!Punct("}")) {
    std::vector<std::optional<Term>> row;
    const Pos rpos = Here();
    if (single) {
      KG_ASSIGN_OR_RETURN(auto v, value());
      row.push_back(std::move(v));
    } else {
      KG_RETURN_IF_ERROR(Expect("("));
      while (!Punct(")")) {
        KG_ASSIGN_OR_RETURN(auto v, value());
        row.push_back(std::move(v));
      }
      if (row.size() != e.vars.size()) {
        return ErrorAt(rpos, StrCat("a VALUES row has ", row.size(), " value",
                                    row.size() == 1 ? "" : "s", " for ", e.vars.size(),
                                    " variable", e.vars.size() == 1 ? "" : "s"));
      }
    }
    e.rows.push_back(std::move(row));
  }
  return e;
}

absl::StatusOr<std::shared_ptr<const Group>> Parser::GroupGraphPattern() {
  KG_RETURN_IF_ERROR(Enter());
  KG_RETURN_IF_ERROR(Expect("{"));
  auto group = std::make_shared<Group>();
  if (PeekKeyword("SELECT")) {
    Element e;
    e.kind = Element::Kind::kSubSelect;
    e.pos = Here();
    KG_ASSIGN_OR_RETURN(Query sub, SubSelect(e.pos));
    e.query = std::make_shared<const Query>(std::move(sub));
    group->elements.push_back(std::move(e));
    KG_RETURN_IF_ERROR(Expect("}"));
    Leave();
    return std::shared_ptr<const Group>(group);
  }
  ++bgp_;
  bool triples_need_dot = false;
  for (;;) {
    Skip();
    const Pos pos = Here();
    if (Punct("}")) break;
    if (!(PeekVar() || PeekIri() || PeekLiteral() || Peek() == '[' || Peek() == '(' ||
          Peek() == '_' || Peek() == '<')) {
      triples_need_dot = false;
    }
    if (AtEnd()) return Error("'}'");
    Element e;
    e.pos = pos;
    if (Keyword("OPTIONAL")) {
      e.kind = Element::Kind::kOptional;
      KG_ASSIGN_OR_RETURN(e.group, GroupGraphPattern());
    } else if (Keyword("MINUS")) {
      e.kind = Element::Kind::kMinus;
      KG_ASSIGN_OR_RETURN(e.group, GroupGraphPattern());
    } else if (Keyword("GRAPH")) {
      e.kind = Element::Kind::kGraph;
      if (!PeekVar() && !PeekIri()) return Error("a variable or IRI after GRAPH");
      KG_ASSIGN_OR_RETURN(e.graph, VarOrTerm());
      KG_ASSIGN_OR_RETURN(e.group, GroupGraphPattern());
    } else if (Keyword("SERVICE")) {
      e.kind = Element::Kind::kService;
      Keyword("SILENT");
      KG_ASSIGN_OR_RETURN(e.graph, VarOrTerm());
      KG_ASSIGN_OR_RETURN(e.group, GroupGraphPattern());
    } else if (Keyword("FILTER")) {
      e.kind = Element::Kind::kFilter;
      KG_ASSIGN_OR_RETURN(e.expr, Constraint());
      group->elements.push_back(std::move(e));
      Punct(".");
      continue;  // a FILTER does not end a basic graph pattern
    } else if (Keyword("BIND")) {
      e.kind = Element::Kind::kBind;
      KG_RETURN_IF_ERROR(Expect("("));
      KG_ASSIGN_OR_RETURN(e.expr, Expression());
      KG_RETURN_IF_ERROR(ExpectKeyword("AS"));
      const Pos vpos = Here();
      KG_ASSIGN_OR_RETURN(e.var, Var());
      KG_RETURN_IF_ERROR(Expect(")"));
      std::vector<std::string> before;
      InScopeVars(*group, before);
      if (Contains(before, e.var)) {
        return ErrorAt(vpos, StrCat("BIND assigns ?", e.var,
                                    ", which the group pattern before it already binds"));
      }
    } else if (Keyword("VALUES")) {
      KG_ASSIGN_OR_RETURN(e, InlineData(true));
    } else if (Peek() == '{') {
      KG_ASSIGN_OR_RETURN(auto first, GroupGraphPattern());
      if (PeekKeyword("UNION")) {
        e.kind = Element::Kind::kUnion;
        e.groups.push_back(first);
        while (Keyword("UNION")) {
          KG_ASSIGN_OR_RETURN(auto next, GroupGraphPattern());
          e.groups.push_back(next);
        }
      } else {
        e.kind = Element::Kind::kGroup;
        e.group = first;
      }
    } else {
      // Triples: joined to the previous block unless something else came between.
      if (triples_need_dot) return Error("'.' between triples, or '}'");
      std::vector<Triple> triples;
      KG_RETURN_IF_ERROR(TriplesBlock(triples, /*allow_paths=*/true));
      // A block not ended by '.' may be followed only by something else.
      triples_need_dot = !block_ended_with_dot_;
      Element* last = nullptr;
      for (auto it = group->elements.rbegin(); it != group->elements.rend(); ++it) {
        if (it->kind == Element::Kind::kFilter) continue;
        if (it->kind == Element::Kind::kTriples) last = &*it;
        break;
      }
      if (last != nullptr) {
        for (Triple& t : triples) last->triples.push_back(std::move(t));
        continue;
      }
      e.kind = Element::Kind::kTriples;
      e.triples = std::move(triples);
      group->elements.push_back(std::move(e));
      continue;
    }
    group->elements.push_back(std::move(e));
    ++bgp_;
    Punct(".");
  }
  Leave();
  return std::shared_ptr<const Group>(group);
}

absl::Status Parser::SelectClause(Query& q) {
  KG_RETURN_IF_ERROR(ExpectKeyword("SELECT"));
  if (Keyword("DISTINCT")) {
    q.distinct = true;
  } else if (Keyword("REDUCED")) {
    q.reduced = true;
  }
  if (Punct("*")) {
    q.select_all = true;
    return absl::OkStatus();
  }
  aggregates_allowed_ = true;
  for (;;) {
    Skip();
    Projection p;
    if (PeekVar()) {
      KG_ASSIGN_OR_RETURN(p.var, Var());
    } else if (Punct("(")) {
      KG_ASSIGN_OR_RETURN(p.expr, Expression());
      KG_RETURN_IF_ERROR(ExpectKeyword("AS"));
      KG_ASSIGN_OR_RETURN(p.var, Var());
      KG_RETURN_IF_ERROR(Expect(")"));
    } else {
      break;
    }
    for (const Projection& other : q.projection) {
      if (other.var == p.var && (p.expr || other.expr)) {
        aggregates_allowed_ = false;
        return ErrorAt(Here(), StrCat("?", p.var, " is projected twice"));
      }
    }
    q.projection.push_back(std::move(p));
  }
  aggregates_allowed_ = false;
  if (q.projection.empty()) return Error("'*', a variable or '(' expression AS ?var ')'");
  return absl::OkStatus();
}

absl::Status Parser::SolutionModifiers(Query& q) {
  std::vector<std::string> group_keys;
  bool grouped = saw_aggregate_;
  if (Keyword("GROUP")) {
    KG_RETURN_IF_ERROR(ExpectKeyword("BY"));
    grouped = true;
    do {
      Skip();
      Projection p;
      if (PeekVar()) {
        auto e = std::make_shared<Expr>();
        e->kind = Expr::Kind::kVar;
        e->pos = Here();
        KG_ASSIGN_OR_RETURN(e->name, Var());
        group_keys.push_back(e->name);
        p.expr = e;
      } else if (Punct("(")) {
        KG_ASSIGN_OR_RETURN(p.expr, Expression());
        if (Keyword("AS")) {
          KG_ASSIGN_OR_RETURN(p.var, Var());
          group_keys.push_back(p.var);
        }
        KG_RETURN_IF_ERROR(Expect(")"));
      } else {
        KG_ASSIGN_OR_RETURN(p.expr, Constraint());
      }
      q.group_by.push_back(std::move(p));
      Skip();
    } while (PeekVar() || Peek() == '(' || PeekIri() ||
             (std::isalpha(static_cast<unsigned char>(Peek())) && !PeekKeyword("HAVING") && !PeekKeyword("ORDER") &&
                                             !PeekKeyword("LIMIT") && !PeekKeyword("OFFSET") &&
                                             !PeekKeyword("VALUES")));
  }
  aggregates_allowed_ = true;
  if (Keyword("HAVING")) {
    grouped = true;
    do {
      KG_ASSIGN_OR_RETURN(ExprPtr e, Constraint());
      q.having.push_back(e);
      Skip();
    } while (Peek() == '(' || PeekIri() ||
             (std::isalpha(static_cast<unsigned char>(Peek())) && !PeekKeyword("ORDER") && !PeekKeyword("LIMIT") &&
                               !PeekKeyword("OFFSET") && !PeekKeyword("VALUES")));
  }
  if (Keyword("ORDER")) {
    KG_RETURN_IF_ERROR(ExpectKeyword("BY"));
    do {
      OrderKey k;
      if (Keyword("ASC")) {
        KG_ASSIGN_OR_RETURN(k.expr, BrackettedExpression());
      } else if (Keyword("DESC")) {
        k.descending = true;
        KG_ASSIGN_OR_RETURN(k.expr, BrackettedExpression());
      } else if (PeekVar()) {
        auto e = std::make_shared<Expr>();
        e->kind = Expr::Kind::kVar;
        e->pos = Here();
        KG_ASSIGN_OR_RETURN(e->name, Var());
        k.expr = e;
      } else {
        KG_ASSIGN_OR_RETURN(k.expr, Constraint());
      }
      q.order_by.push_back(std::move(k));
      Skip();
    } while (PeekVar() || Peek() == '(' || PeekIri() ||
             (std::isalpha(static_cast<unsigned char>(Peek())) && !PeekKeyword("LIMIT") &&
              !PeekKeyword("OFFSET") && !PeekKeyword("VALUES")));
  }
  aggregates_allowed_ = false;
  for (int k = 0; k < 2; ++k) {
    auto number = [&]() -> absl::StatusOr<uint64_t> {
      Skip();
      size_t j = i_;
      while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
      if (j == i_) return Error("a non-negative integer");
      uint64_t n = 0;
      for (size_t m = i_; m < j; ++m) n = std::min<uint64_t>(n * 10 + (text_[m] - '0'), 1ull << 62);
      i_ = j;
      return n;
    };
    if (!q.limit && Keyword("LIMIT")) {
      KG_ASSIGN_OR_RETURN(uint64_t n, number());
      q.limit = n;
    } else if (Keyword("OFFSET")) {
      KG_ASSIGN_OR_RETURN(q.offset, number());
    }
  }
  // Grouping: what the projection may use outside aggregates.
  if (grouped) {
    if (q.select_all) return ErrorAt(Here(), "SELECT * with GROUP BY or an aggregate");
    std::vector<std::string> known = group_keys;
    for (const Projection& p : q.projection) {
      std::vector<std::string> free;
      if (p.expr) {
        FreeVars(*p.expr, free);
      } else {
        free.push_back(p.var);
      }
      for (const std::string& v : free) {
        if (!Contains(known, v)) {
          return ErrorAt(p.expr ? p.expr->pos : Here(),
                         StrCat("?", v, " is neither grouped nor aggregated (GROUP BY it, or use "
                                "an aggregate such as SAMPLE(?", v, "))"));
        }
      }
      known.push_back(p.var);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Query> Parser::SubSelect(Pos pos) {
  (void)pos;
  Query q;
  const bool saved = saw_aggregate_;
  saw_aggregate_ = false;
  KG_RETURN_IF_ERROR(SelectClause(q));
  Keyword("WHERE");
  KG_ASSIGN_OR_RETURN(q.where, GroupGraphPattern());
  InScopeVars(*q.where, q.in_scope);
  KG_RETURN_IF_ERROR(SolutionModifiers(q));
  if (Keyword("VALUES")) {
    KG_ASSIGN_OR_RETURN(q.values, InlineData(true));
    q.has_values = true;
  }
  saw_aggregate_ = saved;
  if (!q.select_all) {
    std::vector<std::string> projected;
    for (const Projection& p : q.projection) projected.push_back(p.var);
    q.in_scope = projected;
  }
  return q;
}

absl::StatusOr<std::vector<Triple>> Parser::ConstructTemplate() {
  KG_RETURN_IF_ERROR(Expect("{"));
  std::vector<Triple> out;
  in_template_ = true;
  while (!Punct("}")) {
    if (AtEnd()) return Error("'}'");
    auto s = TriplesBlock(out, /*allow_paths=*/false);
    if (!s.ok()) {
      in_template_ = false;
      return s;
    }
  }
  in_template_ = false;
  return out;
}

absl::StatusOr<Query> Parser::ParseQuery() {
  Query q;
  if (Keyword("EXPLAIN")) q.explain = true;
  for (;;) {
    if (Keyword("BASE")) {
      KG_ASSIGN_OR_RETURN(base_, IriRef());
    } else if (Keyword("PREFIX")) {
      Skip();
      size_t j = i_;
      while (j < text_.size() && text_[j] != ':' && !std::isspace(static_cast<unsigned char>(text_[j]))) ++j;
      if (j >= text_.size() || text_[j] != ':') return Error("a prefix name ending in ':'");
      const std::string name(text_.substr(i_, j - i_));
      const Pos pos = Here();
      const bool starts_well =
          name.empty() || std::isalpha(static_cast<unsigned char>(name[0])) ||
          static_cast<unsigned char>(name[0]) >= 0x80;
      if (!starts_well || (!name.empty() && name.back() == '.') ||
          name.find_first_of(":") != std::string::npos) {
        return ErrorAt(pos, StrCat("'", name, ":' is not a prefix name (a letter first, then "
                                   "letters, digits, '_', '-' or '.', not ending with '.')"));
      }
      i_ = j + 1;
      KG_ASSIGN_OR_RETURN(prefixes_[name], IriRef());
    } else {
      break;
    }
  }
  Skip();
  q.dataset_pos = Here();
  auto dataset = [&]() -> absl::Status {
    while (Keyword("FROM")) {
      const bool named = Keyword("NAMED");
      KG_ASSIGN_OR_RETURN(std::string iri, Iri());
      (named ? q.from_named : q.from).push_back(std::move(iri));
      q.has_dataset = true;
    }
    return absl::OkStatus();
  };
  if (PeekKeyword("SELECT")) {
    KG_RETURN_IF_ERROR(SelectClause(q));
    KG_RETURN_IF_ERROR(dataset());
    Keyword("WHERE");
    KG_ASSIGN_OR_RETURN(q.where, GroupGraphPattern());
  } else if (Keyword("CONSTRUCT")) {
    q.form = Query::Form::kConstruct;
    if (Peek() == '{') {
      KG_ASSIGN_OR_RETURN(q.construct, ConstructTemplate());
      KG_RETURN_IF_ERROR(dataset());
      Keyword("WHERE");
      KG_ASSIGN_OR_RETURN(q.where, GroupGraphPattern());
    } else {
      KG_RETURN_IF_ERROR(dataset());
      KG_RETURN_IF_ERROR(ExpectKeyword("WHERE"));
      KG_RETURN_IF_ERROR(Expect("{"));
      auto group = std::make_shared<Group>();
      Element e;
      e.kind = Element::Kind::kTriples;
      while (!Punct("}")) {
        if (AtEnd()) return Error("'}'");
        KG_RETURN_IF_ERROR(TriplesBlock(e.triples, /*allow_paths=*/false));
      }
      q.construct = e.triples;
      group->elements.push_back(std::move(e));
      q.where = group;
    }
  } else if (Keyword("DESCRIBE")) {
    q.form = Query::Form::kDescribe;
    if (Punct("*")) {
      q.select_all = true;
    } else {
      do {
        KG_ASSIGN_OR_RETURN(PTerm t, VarOrTerm());
        q.describe.push_back(std::move(t));
        Skip();
      } while (PeekVar() || PeekIri());
    }
    KG_RETURN_IF_ERROR(dataset());
    if (Keyword("WHERE") || Peek() == '{') {
      KG_ASSIGN_OR_RETURN(q.where, GroupGraphPattern());
    } else {
      q.where = std::make_shared<const Group>();
    }
  } else if (Keyword("ASK")) {
    q.form = Query::Form::kAsk;
    KG_RETURN_IF_ERROR(dataset());
    Keyword("WHERE");
    KG_ASSIGN_OR_RETURN(q.where, GroupGraphPattern());
  } else {
    return Error("SELECT, CONSTRUCT, DESCRIBE or ASK");
  }
  InScopeVars(*q.where, q.in_scope);
  // A projected expression may not rebind a variable the pattern binds.
  for (const Projection& p : q.projection) {
    if (p.expr && Contains(q.in_scope, p.var)) {
      return ErrorAt(p.expr->pos, StrCat("(... AS ?", p.var, ") assigns ?", p.var,
                                         ", which the WHERE clause already binds"));
    }
  }
  KG_RETURN_IF_ERROR(SolutionModifiers(q));
  if (Keyword("VALUES")) {
    KG_ASSIGN_OR_RETURN(q.values, InlineData(true));
    q.has_values = true;
  }
  if (!AtEnd()) return Error("the end of the query");
  return q;
}

}  // namespace internal

absl::StatusOr<Query> ParseSparql(std::string_view text, std::string_view base) {
  internal::Parser parser(text, base);
  return parser.ParseQuery();
}

}  // namespace kg::query::sparql
