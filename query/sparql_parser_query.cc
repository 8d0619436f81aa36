// SPARQL query forms (SELECT, CONSTRUCT, DESCRIBE, ASK), the prologue,
// dataset clauses, sub-selects and the solution modifiers with their
// grouping rules (sparql_parser_internal.h).
#include <algorithm>
#include <cctype>
#include <utility>

#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/sparql_parser.h"
#include "query/sparql_parser_internal.h"

namespace kg::query::sparql {
namespace internal {
namespace {

// outside any aggregate.
void FreeVars(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kAggregate) return;
  if (e.kind == Expr::Kind::kVar) out.push_back(e.name);
  for (const ExprPtr& c : e.children) FreeVars(*c, out);
}


}  // namespace

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
        if (!ContainsVar(known, v)) {
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
    if (p.expr && ContainsVar(q.in_scope, p.var)) {
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
