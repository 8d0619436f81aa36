// Expressions of the query language (WHERE, RETURN, ORDER BY, GROUP BY):
// OR, AND, NOT, comparisons, postfix tests, function calls, claims and
// terms, each nesting level bounded (parser_internal.h).
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/parser.h"
#include "query/parser_internal.h"

namespace kg::query::parser_internal {

ExprPtr Parser::Binary(std::string op, Pos pos, ExprPtr a, ExprPtr b) {
  auto e = std::make_shared<ExprAst>();
  e->kind = ExprAst::Kind::kBinary;
  e->text = std::move(op);
  e->pos = pos;
  e->children = {std::move(a), std::move(b)};
  return e;
}

absl::StatusOr<ExprPtr> Parser::LeftAssociative(std::string_view keyword,
                                                 absl::StatusOr<ExprPtr> (Parser::*operand)()) {
  KG_ASSIGN_OR_RETURN(ExprPtr left, (this->*operand)());
  while (IsKw(keyword)) {
    const Pos pos = Cur().pos;
    ++i_;
    KG_ASSIGN_OR_RETURN(ExprPtr right, (this->*operand)());
    left = Binary(std::string(keyword), pos, left, right);
  }
  return left;
}

absl::StatusOr<ExprPtr> Parser::Not() {
  const Nest nest(&depth_);
  if (depth_ > kMaxNesting) return TooDeep();
  const size_t start = Cur().offset;
  KG_ASSIGN_OR_RETURN(ExprPtr e, NotInner());
  auto copy = std::make_shared<ExprAst>(*e);
  copy->source = std::string(text_.substr(start, tokens_[i_ - 1].end - start));
  return ExprPtr(copy);
}

absl::StatusOr<ExprPtr> Parser::NotInner() {
  if (IsKw("NOT")) {
    auto e = std::make_shared<ExprAst>();
    e->kind = ExprAst::Kind::kUnary;
    e->text = "NOT";
    e->pos = Cur().pos;
    ++i_;
    KG_ASSIGN_OR_RETURN(ExprPtr inner, Not());
    e->children = {inner};
    return ExprPtr(e);
  }
  return Comparison();
}

absl::StatusOr<ExprPtr> Parser::Comparison() {
  KG_ASSIGN_OR_RETURN(ExprPtr left, Postfix());
  const Pos pos = Cur().pos;
  static constexpr std::string_view kOps[] = {"=", "!=", "<", "<=", ">", ">="};
  for (std::string_view op : kOps) {
    if (IsPunct(op)) {
      ++i_;
      KG_ASSIGN_OR_RETURN(ExprPtr right, Postfix());
      return Binary(std::string(op), pos, left, right);
    }
  }
  bool negate = false;
  if (IsKw("NOT") && (IsKeyword(Ahead(1), "IN") || IsKeyword(Ahead(1), "BETWEEN"))) {
    negate = true;
    ++i_;
  }
  if (AcceptKw("IN")) {
    auto e = std::make_shared<ExprAst>();
    e->kind = ExprAst::Kind::kIn;
    e->pos = pos;
    e->negate = negate;
    e->children = {left};
    if (!AcceptPunct("(")) {
      // `x IN ?e.via`: membership in a list value.
      KG_ASSIGN_OR_RETURN(ExprPtr list, Postfix());
      e->children.push_back(std::move(list));
      return ExprPtr(e);
    }
    do {
      KG_ASSIGN_OR_RETURN(ExprPtr item, Postfix());
      e->children.push_back(std::move(item));
    } while (AcceptPunct(","));
    KG_RETURN_IF_ERROR(ExpectPunct(")"));
    return ExprPtr(e);
  }
  if (AcceptKw("BETWEEN")) {
    auto e = std::make_shared<ExprAst>();
    e->kind = ExprAst::Kind::kBetween;
    e->pos = pos;
    e->negate = negate;
    KG_ASSIGN_OR_RETURN(ExprPtr lo, Postfix());
    KG_RETURN_IF_ERROR(ExpectKw("AND"));
    KG_ASSIGN_OR_RETURN(ExprPtr hi, Postfix());
    e->children = {left, lo, hi};
    return ExprPtr(e);
  }
  if (negate) return Expected("IN or BETWEEN after NOT");
  return left;
}

absl::StatusOr<ExprPtr> Parser::Postfix() {
  KG_ASSIGN_OR_RETURN(ExprPtr e, Primary());
  while (IsPunct(".")) {
    ++i_;
    if (Cur().kind != K::kName) return Expected("a field name after '.'");
    auto f = std::make_shared<ExprAst>();
    f->kind = ExprAst::Kind::kField;
    f->pos = Cur().pos;
    f->text = absl::AsciiStrToLower(Cur().text);
    f->children = {e};
    ++i_;
    e = f;
  }
  return e;
}

bool Parser::LooksLikeClaim() const {
  const Token& first = Ahead(1);
  const Token& second = Ahead(2);
  const bool term = first.kind == K::kVar || first.kind == K::kDocument ||
                    first.kind == K::kIri || first.kind == K::kQuoted ||
                    (first.kind == K::kName &&
                     !IsKeyword(first, absl::AsciiStrToUpper(first.text)) &&
                     !(second.kind == K::kPunct && second.text == "("));
  const bool predicate = second.kind == K::kIri || second.kind == K::kQuoted ||
                         (second.kind == K::kName &&
                          !IsKeyword(second, absl::AsciiStrToUpper(second.text)));
  return term && predicate;
}

absl::StatusOr<ExprPtr> Parser::Primary() {
  auto e = std::make_shared<ExprAst>();
  e->pos = Cur().pos;
  if (Cur().kind == K::kName && Ahead(1).kind == K::kPunct && Ahead(1).text == "(" &&
      !IsKw("NOT") && !IsKw("IN")) {
    e->kind = ExprAst::Kind::kCall;
    e->text = absl::AsciiStrToLower(Cur().text);
    i_ += 2;
    if (AcceptKw("DISTINCT")) e->distinct = true;
    if (IsPunct("*")) {
      ++i_;
      auto star = std::make_shared<ExprAst>();
      star->kind = ExprAst::Kind::kStar;
      star->pos = e->pos;
      e->children.push_back(star);
    } else if (!IsPunct(")")) {
      do {
        KG_ASSIGN_OR_RETURN(ExprPtr arg, Expr());
        e->children.push_back(std::move(arg));
      } while (AcceptPunct(","));
    }
    KG_RETURN_IF_ERROR(ExpectPunct(")"));
    return ExprPtr(e);
  }
  if (IsPunct("(") && LooksLikeClaim()) {
    e->kind = ExprAst::Kind::kTerm;
    KG_ASSIGN_OR_RETURN(e->term, Term());
    return ExprPtr(e);
  }
  if (AcceptPunct("(")) {
    KG_ASSIGN_OR_RETURN(ExprPtr first, Expr());
    if (!IsPunct(",")) {
      KG_RETURN_IF_ERROR(ExpectPunct(")"));
      return first;
    }
    e->kind = ExprAst::Kind::kList;
    e->children.push_back(first);
    while (AcceptPunct(",")) {
      KG_ASSIGN_OR_RETURN(ExprPtr item, Expr());
      e->children.push_back(std::move(item));
    }
    KG_RETURN_IF_ERROR(ExpectPunct(")"));
    return ExprPtr(e);
  }
  if (IsKw("TRUE") || IsKw("FALSE") || IsKw("NULL")) {
    e->kind = ExprAst::Kind::kCall;  // constants as zero-argument calls
    e->text = absl::AsciiStrToLower(Cur().text);
    e->negate = true;                // marks "constant, not a call"
    ++i_;
    return ExprPtr(e);
  }
  if (Cur().kind == K::kName && !IsPlainName()) {
    return Expected("a value (?variable, name, literal, function call or '(')");
  }
  if (Cur().kind == K::kPunct || Cur().kind == K::kEnd || Cur().kind == K::kLangTag) {
    return Expected("a value (?variable, name, literal, function call or '(')");
  }
  e->kind = ExprAst::Kind::kTerm;
  KG_ASSIGN_OR_RETURN(e->term, Term());
  return ExprPtr(e);
}

}  // namespace kg::query::parser_internal
