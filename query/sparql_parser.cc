// SPARQL group graph patterns, triples, collections, reified triples and
// property paths (sparql_parser_internal.h); the query forms and solution
// modifiers are in sparql_parser_query.cc, terms and expressions in
// sparql_parser_terms.cc and sparql_parser_expr.cc.
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

void AddVar(std::vector<std::string>& out, const std::string& v) {
  if (!ContainsVar(out, v)) out.push_back(v);
}

void PTermVars(const PTerm& t, std::vector<std::string>& out) {
  if (t.kind == PTerm::Kind::kVar) AddVar(out, t.var);
  if (t.kind == PTerm::Kind::kTriple) {
    for (const PTerm& p : *t.parts) PTermVars(p, out);
  }
}

// The group-level variables of an aggregate query that an expression uses
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
    KG_ASSIGN_OR_RETURN(PTerm s, GraphNode(out, allow_paths));
    KG_ASSIGN_OR_RETURN(PTerm p, SimpleVerb());
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
      if (ContainsVar(e.vars, v)) return ErrorAt(e.pos, StrCat("VALUES names ?", v, " twice"));
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
      if (ContainsVar(before, e.var)) {
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

}  // namespace internal
}  // namespace kg::query::sparql
