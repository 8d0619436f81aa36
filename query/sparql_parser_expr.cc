// SPARQL expressions (sparql_parser_internal.h): operators by precedence,
// built-in calls with their arities, aggregates, function calls by IRI.
#include <cctype>
#include <functional>
#include <utility>

#include "absl/strings/ascii.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/parser.h"
#include "query/sparql_parser_internal.h"

namespace kg::query::sparql::internal {
namespace {

// The built-in functions with their arities (max < 0: any number).
struct BuiltIn {
  std::string_view name;
  int min, max;
};
constexpr BuiltIn kBuiltIns[] = {
    {"STR", 1, 1}, {"LANG", 1, 1}, {"LANGMATCHES", 2, 2}, {"DATATYPE", 1, 1},
    {"IRI", 1, 1}, {"URI", 1, 1}, {"BNODE", 0, 1}, {"RAND", 0, 0}, {"ABS", 1, 1},
    {"CEIL", 1, 1}, {"FLOOR", 1, 1}, {"ROUND", 1, 1}, {"CONCAT", 0, -1}, {"STRLEN", 1, 1},
    {"UCASE", 1, 1}, {"LCASE", 1, 1}, {"ENCODE_FOR_URI", 1, 1}, {"CONTAINS", 2, 2},
    {"STRSTARTS", 2, 2}, {"STRENDS", 2, 2}, {"STRBEFORE", 2, 2}, {"STRAFTER", 2, 2},
    {"YEAR", 1, 1}, {"MONTH", 1, 1}, {"DAY", 1, 1}, {"HOURS", 1, 1}, {"MINUTES", 1, 1},
    {"SECONDS", 1, 1}, {"TIMEZONE", 1, 1}, {"TZ", 1, 1}, {"NOW", 0, 0}, {"UUID", 0, 0},
    {"STRUUID", 0, 0}, {"MD5", 1, 1}, {"SHA1", 1, 1}, {"SHA256", 1, 1}, {"SHA384", 1, 1},
    {"SHA512", 1, 1}, {"COALESCE", 0, -1}, {"IF", 3, 3}, {"STRLANG", 2, 2}, {"STRDT", 2, 2},
    {"SAMETERM", 2, 2}, {"ISIRI", 1, 1}, {"ISURI", 1, 1}, {"ISBLANK", 1, 1},
    {"ISLITERAL", 1, 1}, {"ISNUMERIC", 1, 1}, {"REGEX", 2, 3}, {"SUBSTR", 2, 3},
    {"REPLACE", 3, 4}, {"BOUND", 1, 1},
    // SPARQL 1.2
    {"TRIPLE", 3, 3}, {"SUBJECT", 1, 1}, {"PREDICATE", 1, 1}, {"OBJECT", 1, 1},
    {"ISTRIPLE", 1, 1}, {"LANGDIR", 1, 1}, {"HASLANG", 1, 1}, {"HASLANGDIR", 1, 1},
    {"STRLANGDIR", 3, 3},
};
constexpr std::string_view kAggregates[] = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
                                            "GROUP_CONCAT"};

const BuiltIn* FindBuiltIn(std::string_view upper) {
  for (const BuiltIn& b : kBuiltIns) {
    if (b.name == upper) return &b;
  }
  return nullptr;
}

bool IsAggregateName(std::string_view upper) {
  for (std::string_view a : kAggregates) {
    if (a == upper) return true;
  }
  return false;
}


ExprPtr Node(Expr::Kind kind, Pos pos, std::string name, std::vector<ExprPtr> children) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->pos = pos;
  e->name = std::move(name);
  e->children = std::move(children);
  return e;
}


}  // namespace

// Expressions ---------------------------------------------------------------

absl::StatusOr<ExprPtr> Parser::Expression() {
  KG_RETURN_IF_ERROR(Enter());
  // ConditionalOr > ConditionalAnd > Relational > Additive > Multiplicative > Unary.
  std::function<absl::StatusOr<ExprPtr>(int)> level = [&](int l) -> absl::StatusOr<ExprPtr> {
    const Pos pos = Here();
    switch (l) {
      case 0: case 1: {
        const std::string_view op = l == 0 ? "||" : "&&";
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(l + 1));
        while (Punct(op)) {
          KG_ASSIGN_OR_RETURN(ExprPtr right, level(l + 1));
          left = Node(l == 0 ? Expr::Kind::kOr : Expr::Kind::kAnd, pos, "", {left, right});
        }
        return left;
      }
      case 2: {
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(3));
        for (std::string_view op : {"!=", "<=", ">=", "=", "<", ">"}) {
          if (op == "<" && (text_.substr(i_).starts_with("<<") || LooksLikeIriRef())) continue;
          if (Punct(op)) {
            KG_ASSIGN_OR_RETURN(ExprPtr right, level(3));
            return Node(Expr::Kind::kCompare, pos, std::string(op), {left, right});
          }
        }
        bool negate = false;
        if (PeekKeyword("NOT")) {
          const size_t save = i_;
          Keyword("NOT");
          if (!PeekKeyword("IN")) {
            i_ = save;
            return left;
          }
          negate = true;
        }
        if (Keyword("IN")) {
          KG_RETURN_IF_ERROR(Expect("("));
          std::vector<ExprPtr> items = {left};
          if (!Punct(")")) {
            do {
              KG_ASSIGN_OR_RETURN(ExprPtr item, Expression());
              items.push_back(item);
            } while (Punct(","));
            KG_RETURN_IF_ERROR(Expect(")"));
          }
          return Node(negate ? Expr::Kind::kNotIn : Expr::Kind::kIn, pos, "", std::move(items));
        }
        return left;
      }
      case 3: case 4: {
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(l + 1));
        for (;;) {
          Skip();
          const char c = Peek();
          const bool additive = l == 3 && (c == '+' || c == '-');
          const bool mult = l == 4 && (c == '*' || c == '/');
          if (!additive && !mult) return left;
          ++i_;
          KG_ASSIGN_OR_RETURN(ExprPtr right, level(l + 1));
          left = Node(Expr::Kind::kArith, pos, std::string(1, c), {left, right});
        }
      }
      default: {
        if (Punct("!=")) return Error("an expression");
        if (Punct("!")) {
          KG_ASSIGN_OR_RETURN(ExprPtr e, level(5));
          return Node(Expr::Kind::kNot, pos, "", {e});
        }
        const char c = Peek();
        if ((c == '+' || c == '-') && !PeekLiteral()) {
          ++i_;
          KG_ASSIGN_OR_RETURN(ExprPtr e, level(5));
          return Node(c == '-' ? Expr::Kind::kNegate : Expr::Kind::kPlus, pos, "", {e});
        }
        return PrimaryExpression();
      }
    }
  };
  auto e = level(0);
  Leave();
  return e;
}

absl::StatusOr<ExprPtr> Parser::BrackettedExpression() {
  KG_RETURN_IF_ERROR(Expect("("));
  KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
  KG_RETURN_IF_ERROR(Expect(")"));
  return e;
}

absl::StatusOr<ExprPtr> Parser::Constraint() {
  Skip();
  if (Peek() == '(') return BrackettedExpression();
  const Pos pos = Here();
  if (PeekIri()) {
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    return FunctionCall(IriTerm(iri), pos);
  }
  size_t j = i_;
  while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
  if (j == i_) return Error("a constraint: '(' expression ')' or a function call");
  return PrimaryExpression();
}

absl::StatusOr<std::vector<ExprPtr>> Parser::ArgList() {
  std::vector<ExprPtr> args;
  KG_RETURN_IF_ERROR(Expect("("));
  if (Punct(")")) return args;
  Keyword("DISTINCT");
  do {
    KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
    args.push_back(e);
  } while (Punct(","));
  KG_RETURN_IF_ERROR(Expect(")"));
  return args;
}

absl::StatusOr<ExprPtr> Parser::FunctionCall(Term iri, Pos pos) {
  KG_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, ArgList());
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kCall;
  e->pos = pos;
  e->term = std::move(iri);
  e->name = "";  // an IRI function: term holds it
  e->children = std::move(args);
  return e;
}

absl::StatusOr<ExprPtr> Parser::Aggregate(const std::string& name, Pos pos) {
  if (!aggregates_allowed_) {
    return ErrorAt(pos, StrCat("aggregate ", name,
                               " outside SELECT, HAVING and ORDER BY"));
  }
  if (in_aggregate_) return ErrorAt(pos, StrCat("aggregate ", name, " inside another aggregate"));
  saw_aggregate_ = true;
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kAggregate;
  e->pos = pos;
  e->name = name;
  KG_RETURN_IF_ERROR(Expect("("));
  e->distinct = Keyword("DISTINCT");
  if (name == "COUNT" && Punct("*")) {
    e->star = true;
  } else {
    in_aggregate_ = true;
    auto arg = Expression();
    in_aggregate_ = false;
    if (!arg.ok()) return arg.status();
    e->children.push_back(*arg);
  }
  if (name == "GROUP_CONCAT" && Punct(";")) {
    KG_RETURN_IF_ERROR(ExpectKeyword("SEPARATOR"));
    KG_RETURN_IF_ERROR(Expect("="));
    KG_ASSIGN_OR_RETURN(Term sep, Literal());
    if (sep.kind() != TermKind::kString || !sep.extra().empty()) {
      return ErrorAt(pos, "SEPARATOR takes a plain string");
    }
    e->separator = sep.text();
  }
  KG_RETURN_IF_ERROR(Expect(")"));
  return ExprPtr(e);
}

absl::StatusOr<ExprPtr> Parser::BuiltInCall(const std::string& upper, Pos pos) {
  if (IsAggregateName(upper)) return Aggregate(upper, pos);
  if (upper == "EXISTS" || upper == "NOT") {
    if (upper == "NOT") KG_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    auto e = std::make_shared<Expr>();
    e->kind = upper == "NOT" ? Expr::Kind::kNotExists : Expr::Kind::kExists;
    e->pos = pos;
    KG_ASSIGN_OR_RETURN(e->group, GroupGraphPattern());
    return ExprPtr(e);
  }
  const BuiltIn* b = FindBuiltIn(upper);
  if (b == nullptr) return ErrorAt(pos, StrCat("unknown function ", upper));
  std::vector<ExprPtr> args;
  if (upper == "BOUND") {
    KG_RETURN_IF_ERROR(Expect("("));
    const Pos vpos = Here();
    KG_ASSIGN_OR_RETURN(std::string v, Var());
    auto var = std::make_shared<Expr>();
    var->kind = Expr::Kind::kVar;
    var->pos = vpos;
    var->name = v;
    args.push_back(var);
    KG_RETURN_IF_ERROR(Expect(")"));
  } else {
    KG_RETURN_IF_ERROR(Expect("("));
    if (!Punct(")")) {
      do {
        KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
        args.push_back(e);
      } while (Punct(","));
      KG_RETURN_IF_ERROR(Expect(")"));
    }
  }
  const int n = static_cast<int>(args.size());
  if (n < b->min || (b->max >= 0 && n > b->max)) {
    return ErrorAt(pos, StrCat(upper, " takes ",
                               b->min == b->max ? StrCat(b->min)
                                                : StrCat(b->min, " to ", b->max),
                               " argument", b->max == 1 ? "" : "s", ", not ", n));
  }
  return Node(Expr::Kind::kCall, pos, upper, std::move(args));
}

absl::StatusOr<ExprPtr> Parser::PrimaryExpression() {
  Skip();
  const Pos pos = Here();
  if (Peek() == '(') return BrackettedExpression();
  if (PeekVar()) {
    KG_ASSIGN_OR_RETURN(std::string v, Var());
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kVar;
    e->pos = pos;
    e->name = std::move(v);
    return ExprPtr(e);
  }
  if (text_.substr(i_).starts_with("<<(")) {
    // A triple term of constants and variables: TRIPLE(s, p, o).
    KG_ASSIGN_OR_RETURN(PTerm t, VarOrTerm());
    std::vector<ExprPtr> parts;
    for (const PTerm& p : *t.parts) {
      auto e = std::make_shared<Expr>();
      e->pos = p.pos;
      if (p.kind == PTerm::Kind::kVar) {
        e->kind = Expr::Kind::kVar;
        e->name = p.var;
      } else if (p.kind == PTerm::Kind::kConst) {
        e->kind = Expr::Kind::kConst;
        e->term = p.term;
      } else {
        return ErrorAt(p.pos, "a nested triple term in an expression");
      }
      parts.push_back(e);
    }
    return Node(Expr::Kind::kCall, pos, "TRIPLE", std::move(parts));
  }
  if (PeekLiteral()) {
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kConst;
    e->pos = pos;
    KG_ASSIGN_OR_RETURN(e->term, Literal());
    return ExprPtr(e);
  }
  if (PeekIri()) {
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    if (Peek() == '(') return FunctionCall(IriTerm(iri), pos);
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kConst;
    e->pos = pos;
    e->term = IriTerm(iri);
    return ExprPtr(e);
  }
  size_t j = i_;
  while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
  if (j > i_) {
    const std::string upper = absl::AsciiStrToUpper(std::string(text_.substr(i_, j - i_)));
    i_ = j;
    return BuiltInCall(upper, pos);
  }
  return Error("an expression");
}

void ExprVars(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kVar) out.push_back(e.name);
  for (const ExprPtr& c : e.children) ExprVars(*c, out);
}

}  // namespace kg::query::sparql::internal
