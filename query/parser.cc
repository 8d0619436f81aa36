// Parse(): statements, MATCH clauses, patterns, paths and terms of the query
// language (docs/query-language.md); expressions are in parser_expr.cc.
#include "query/parser.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/lexer.h"
#include "query/parser_internal.h"

namespace kg::query {

std::string At(const Pos& pos, std::string_view message) {
  return StrCat(pos.line, ":", pos.col, ": ", message);
}

namespace parser_internal {

absl::StatusOr<std::vector<StatementAst>> Parser::Script() {
  std::vector<StatementAst> out;
  while (Cur().kind != K::kEnd) {
    if (IsPunct(";")) {  // empty statement
      ++i_;
      continue;
    }
    const size_t start = Cur().offset;
    KG_ASSIGN_OR_RETURN(StatementAst s, Statement());
    if (!IsPunct(";")) return Expected("';' to end the statement");
    s.text = std::string(text_.substr(start, Cur().end - start));
    ++i_;
    out.push_back(std::move(s));
  }
  return out;
}

const Token& Parser::Ahead(size_t n) const {
  return tokens_[std::min(i_ + n, tokens_.size() - 1)];
}

bool Parser::IsPunct(std::string_view p) const {
  return Cur().kind == K::kPunct && Cur().text == p;
}

bool Parser::AcceptKw(std::string_view kw) {
  if (!IsKw(kw)) return false;
  ++i_;
  return true;
}

bool Parser::AcceptPunct(std::string_view p) {
  if (!IsPunct(p)) return false;
  ++i_;
  return true;
}

absl::Status Parser::TooDeep() const {
  return absl::InvalidArgumentError(
      At(Cur().pos, StrCat("nested more than ", kMaxNesting,
                           " levels deep (parentheses, NOT, claims or paths)")));
}

absl::Status Parser::Expected(std::string_view what) const {
  return absl::InvalidArgumentError(
      At(Cur().pos, StrCat("expected ", what, ", found ", Describe(Cur()))));
}

absl::Status Parser::ExpectKw(std::string_view kw) {
  if (AcceptKw(kw)) return absl::OkStatus();
  return Expected(StrCat("keyword ", kw));
}

absl::Status Parser::ExpectPunct(std::string_view p) {
  if (AcceptPunct(p)) return absl::OkStatus();
  return Expected(StrCat("'", p, "'"));
}

bool Parser::IsPlainName() const {
  return Cur().kind == K::kName && !IsKeyword(Cur(), absl::AsciiStrToUpper(Cur().text));
}

absl::StatusOr<uint64_t> Parser::Count(std::string_view what) {
  uint64_t n = 0;
  if (Cur().kind != K::kInteger || !absl::SimpleAtoi(Cur().text, &n)) {
    return Expected(StrCat("a non-negative whole number after ", what));
  }
  ++i_;
  return n;
}

absl::StatusOr<StatementAst> Parser::Statement() {
  StatementAst s;
  s.pos = Cur().pos;
  if (AcceptKw("EXPLAIN")) s.explain = true;
  if (AcceptKw("MATCH")) {
    s.kind = StatementAst::Kind::kMatch;
    KG_RETURN_IF_ERROR(Match(s.match));
  } else if (AcceptKw("TRACE")) {
    s.kind = StatementAst::Kind::kTrace;
    KG_RETURN_IF_ERROR(ClaimOrQuote(s));
    if (AcceptKw("LIMIT")) {
      KG_ASSIGN_OR_RETURN(s.limit, Count("LIMIT"));
    }
  } else if (AcceptKw("SOURCES")) {
    s.kind = StatementAst::Kind::kSources;
    KG_RETURN_IF_ERROR(ExpectKw("OF"));
    KG_RETURN_IF_ERROR(ClaimOrQuote(s));
    if (AcceptKw("LIMIT")) {
      KG_ASSIGN_OR_RETURN(s.limit, Count("LIMIT"));
    }
  } else if (AcceptKw("VERDICTS")) {
    // ON is a keyword only here: it stays free as a name elsewhere.
    if (Cur().kind != K::kName || absl::AsciiStrToUpper(Cur().text) != "ON") {
      return Expected("ON after VERDICTS");
    }
    ++i_;
    s.kind = StatementAst::Kind::kVerdicts;
    KG_RETURN_IF_ERROR(ClaimOrQuote(s));
    if (AcceptKw("LIMIT")) {
      KG_ASSIGN_OR_RETURN(s.limit, Count("LIMIT"));
    }
  } else if (AcceptKw("CONFLICTS")) {
    s.kind = StatementAst::Kind::kConflicts;
    KG_RETURN_IF_ERROR(ExpectKw("ABOUT"));
    KG_ASSIGN_OR_RETURN(s.about, Term());
    if (AcceptKw("LIMIT")) {
      KG_ASSIGN_OR_RETURN(s.limit, Count("LIMIT"));
    }
  } else if (AcceptKw("SEARCH")) {
    s.kind = StatementAst::Kind::kSearch;
    s.search_words = AcceptKw("WORDS");
    if (Cur().kind != K::kString) return Expected("a quoted string to search for");
    s.search_text = Cur().text;
    ++i_;
    if (AcceptKw("LIMIT")) {
      KG_ASSIGN_OR_RETURN(s.limit, Count("LIMIT"));
    }
  } else {
    return Expected(s.explain ? "MATCH, TRACE, SOURCES, VERDICTS, CONFLICTS or SEARCH after EXPLAIN"
                              : "a statement (MATCH, TRACE, SOURCES OF, VERDICTS ON, CONFLICTS "
                                "ABOUT, SEARCH or EXPLAIN)");
  }
  return s;
}

absl::Status Parser::ClaimOrQuote(StatementAst& s) {
  if (Cur().kind == K::kString) {
    s.by_quote = true;
    s.search_text = Cur().text;
    ++i_;
    return absl::OkStatus();
  }
  KG_ASSIGN_OR_RETURN(s.claim, ClaimPattern());
  return absl::OkStatus();
}

absl::StatusOr<PatternAst> Parser::ClaimPattern() {
  PatternAst p;
  p.pos = Cur().pos;
  const bool paren = AcceptPunct("(");
  KG_ASSIGN_OR_RETURN(p.subject, Term());
  KG_ASSIGN_OR_RETURN(p.predicate, PredicateTerm());
  KG_ASSIGN_OR_RETURN(p.object, Term());
  if (paren) KG_RETURN_IF_ERROR(ExpectPunct(")"));
  return p;
}

absl::Status Parser::Match(MatchAst& m) {
  KG_RETURN_IF_ERROR(PatternList(m.patterns));
  while (AcceptKw("OPTIONAL")) {
    KG_RETURN_IF_ERROR(ExpectPunct("{"));
    m.optionals.emplace_back();
    KG_RETURN_IF_ERROR(PatternList(m.optionals.back()));
    KG_RETURN_IF_ERROR(ExpectPunct("}"));
  }
  if (AcceptKw("WHERE")) {
    KG_ASSIGN_OR_RETURN(m.where, Expr());
  }
  if (!AcceptKw("RETURN")) {
    return Expected(m.where ? "RETURN" : "',', OPTIONAL, WHERE or RETURN after a pattern");
  }
  m.distinct = AcceptKw("DISTINCT");
  if (AcceptPunct("*")) {
    m.return_all = true;
  } else {
    do {
      ReturnItem item;
      const size_t start = Cur().offset;
      KG_ASSIGN_OR_RETURN(item.expr, Expr());
      if (AcceptKw("AS")) {
        if (Cur().kind != K::kName && Cur().kind != K::kVar) {
          return Expected("a column name after AS");
        }
        item.name = Cur().text;
        ++i_;
      } else if (item.expr->kind == ExprAst::Kind::kTerm &&
                 item.expr->term->kind == TermAst::Kind::kVar) {
        item.name = item.expr->term->text;
      } else {
        item.name = std::string(text_.substr(start, tokens_[i_ - 1].end - start));
      }
      m.returns.push_back(std::move(item));
    } while (AcceptPunct(","));
  }
  if (AcceptKw("GROUP")) {
    KG_RETURN_IF_ERROR(ExpectKw("BY"));
    do {
      KG_ASSIGN_OR_RETURN(ExprPtr e, Expr());
      m.group_by.push_back(std::move(e));
    } while (AcceptPunct(","));
  }
  if (AcceptKw("ORDER")) {
    KG_RETURN_IF_ERROR(ExpectKw("BY"));
    do {
      OrderItem item;
      KG_ASSIGN_OR_RETURN(item.expr, Expr());
      if (AcceptKw("DESC")) {
        item.descending = true;
      } else {
        AcceptKw("ASC");
      }
      m.order_by.push_back(std::move(item));
    } while (AcceptPunct(","));
  }
  if (AcceptKw("LIMIT")) {
    KG_ASSIGN_OR_RETURN(m.limit, Count("LIMIT"));
  }
  if (AcceptKw("OFFSET")) {
    KG_ASSIGN_OR_RETURN(m.offset, Count("OFFSET"));
  }
  return absl::OkStatus();
}

absl::Status Parser::PatternList(std::vector<PatternAst>& out) {
  do {
    KG_ASSIGN_OR_RETURN(PatternAst p, Pattern());
    out.push_back(std::move(p));
  } while (AcceptPunct(","));
  return absl::OkStatus();
}

bool Parser::EndsPattern() const {
  return IsPunct(",") || IsPunct("}") || IsPunct(";") || IsKw("WHERE") ||
         IsKw("RETURN") || IsKw("OPTIONAL") || Cur().kind == K::kEnd;
}

absl::StatusOr<PatternAst> Parser::Pattern() {
  PatternAst p;
  p.pos = Cur().pos;
  // ?c = (s p o)
  if (Cur().kind == K::kVar && Ahead(1).kind == K::kPunct && Ahead(1).text == "=") {
    p.claim_var = Cur().text;
    i_ += 2;
    if (!IsPunct("(")) return Expected("'(' and a claim pattern after '='");
    KG_ASSIGN_OR_RETURN(TermPtr claim, Term());
    p.subject = claim->parts[0];
    p.predicate = claim->parts[1];
    p.object = claim->parts[2];
    p.kind = PatternAst::Kind::kTriple;
    return p;
  }
  // ?c EVIDENCE ?e
  if (IsKeyword(Ahead(1), "EVIDENCE")) {
    KG_ASSIGN_OR_RETURN(p.subject, Term());
    ++i_;
    if (Cur().kind != K::kVar) return Expected("a variable to bind each piece of evidence to");
    KG_ASSIGN_OR_RETURN(p.object, Term());
    p.kind = PatternAst::Kind::kEvidence;
    return p;
  }
  KG_ASSIGN_OR_RETURN(p.subject, Term());
  if (p.subject->kind == TermAst::Kind::kClaim && EndsPattern()) {
    // A parenthesised pattern: (s p o).
    p.object = p.subject->parts[2];
    p.predicate = p.subject->parts[1];
    p.subject = p.subject->parts[0];
    return p;
  }
  KG_ASSIGN_OR_RETURN(PathPtr path, Path());
  if (path->kind == PathAst::Kind::kPredicate) {
    auto t = std::make_shared<TermAst>();
    t->pos = path->pos;
    t->kind = path->predicate.empty() ? TermAst::Kind::kVar
              : path->iri              ? TermAst::Kind::kIri
                                       : TermAst::Kind::kName;
    t->text = path->predicate.empty() ? predicate_var_ : path->predicate;
    p.predicate = t;
  } else {
    p.kind = PatternAst::Kind::kPath;
    p.path = path;
  }
  KG_ASSIGN_OR_RETURN(p.object, Term());
  if (AcceptKw("DEPTH")) {
    if (p.kind != PatternAst::Kind::kPath) {
      return absl::InvalidArgumentError(
          At(tokens_[i_ - 1].pos, "DEPTH needs a path pattern (p+, p*, p{m,n}, ...)"));
    }
    if (Cur().kind != K::kVar) return Expected("a variable after DEPTH");
    p.depth_var = Cur().text;
    ++i_;
  }
  return p;
}

absl::StatusOr<TermPtr> Parser::PredicateTerm() {
  auto t = std::make_shared<TermAst>();
  t->pos = Cur().pos;
  if (Cur().kind == K::kVar) {
    t->kind = TermAst::Kind::kVar;
  } else if (IsPlainName() || Cur().kind == K::kQuoted) {
    t->kind = TermAst::Kind::kName;
  } else if (Cur().kind == K::kIri) {
    t->kind = TermAst::Kind::kIri;
  } else {
    return Expected("a predicate (name, <IRI> or ?variable)");
  }
  t->text = Cur().text;
  ++i_;
  return t;
}

absl::Status Parser::NoVariableIn(const std::vector<PathPtr>& parts, const Pos& pos) {
  for (const PathPtr& part : parts) {
    if (part->kind == PathAst::Kind::kPredicate && part->predicate.empty()) {
      return absl::InvalidArgumentError(
          At(part->pos, "a variable predicate cannot be part of a path (/, |); use a name"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<PathPtr> Parser::PathList(std::string_view separator, PathAst::Kind kind,
                                         absl::StatusOr<PathPtr> (Parser::*part)()) {
  const Pos pos = Cur().pos;
  std::vector<PathPtr> parts;
  do {
    KG_ASSIGN_OR_RETURN(PathPtr next, (this->*part)());
    parts.push_back(std::move(next));
  } while (AcceptPunct(separator));
  if (parts.size() == 1) return parts[0];
  KG_RETURN_IF_ERROR(NoVariableIn(parts, pos));
  auto p = std::make_shared<PathAst>();
  p->kind = kind;
  p->pos = pos;
  p->children = std::move(parts);
  return PathPtr(p);
}

absl::StatusOr<PathPtr> Parser::PathElement() {
  const Nest nest(&depth_);
  if (depth_ > kMaxNesting) return TooDeep();
  const Pos pos = Cur().pos;
  const bool inverse = AcceptPunct("^");
  PathPtr primary;
  if (AcceptPunct("(")) {
    KG_ASSIGN_OR_RETURN(primary, Path());
    KG_RETURN_IF_ERROR(ExpectPunct(")"));
  } else if (IsPlainName() || Cur().kind == K::kQuoted || Cur().kind == K::kVar ||
             Cur().kind == K::kIri) {
    auto p = std::make_shared<PathAst>();
    p->pos = Cur().pos;
    p->kind = PathAst::Kind::kPredicate;
    p->iri = Cur().kind == K::kIri;
    if (Cur().kind == K::kVar) {
      predicate_var_ = Cur().text;  // only valid as a plain predicate
    } else {
      p->predicate = Cur().text;
    }
    ++i_;
    primary = p;
  } else {
    return Expected("a predicate or path (name, <IRI>, ?var, ^p, (p|q), p+ ...)");
  }
  PathPtr out = primary;
  int min = 1, max = 1;
  bool repeat = true;
  if (AcceptPunct("+")) {
    max = -1;
  } else if (AcceptPunct("*")) {
    min = 0;
    max = -1;
  } else if (AcceptPunct("?")) {
    min = 0;
  } else if (AcceptPunct("{")) {
    uint64_t lo = 0, hi = 0;
    KG_ASSIGN_OR_RETURN(lo, Count("'{'"));
    hi = lo;
    if (AcceptPunct(",")) {
      if (Cur().kind == K::kInteger) {
        KG_ASSIGN_OR_RETURN(hi, Count("','"));
      } else {
        hi = static_cast<uint64_t>(-1);
      }
    }
    KG_RETURN_IF_ERROR(ExpectPunct("}"));
    if (hi != static_cast<uint64_t>(-1) && hi < lo) {
      return absl::InvalidArgumentError(
          At(pos, StrCat("path repetition {", lo, ",", hi, "}: the maximum is below the minimum")));
    }
    if (lo > 1000 || (hi != static_cast<uint64_t>(-1) && hi > 1000)) {
      return absl::InvalidArgumentError(At(pos, "path repetition bounds must be at most 1000"));
    }
    min = static_cast<int>(lo);
    max = hi == static_cast<uint64_t>(-1) ? -1 : static_cast<int>(hi);
  } else {
    repeat = false;
  }
  const bool is_var = primary->kind == PathAst::Kind::kPredicate && primary->predicate.empty();
  if (is_var && (repeat || inverse)) {
    return absl::InvalidArgumentError(
        At(pos, "a variable predicate cannot take path operators (^, +, *, ?, {m,n})"));
  }
  if (repeat) {
    auto p = std::make_shared<PathAst>();
    p->kind = PathAst::Kind::kRepeat;
    p->pos = pos;
    p->min = min;
    p->max = max;
    p->children = {out};
    out = p;
  }
  if (inverse) {
    auto p = std::make_shared<PathAst>();
    p->kind = PathAst::Kind::kInverse;
    p->pos = pos;
    p->children = {out};
    out = p;
  }
  return out;
}

absl::StatusOr<TermPtr> Parser::Term() {
  const Nest nest(&depth_);
  if (depth_ > kMaxNesting) return TooDeep();
  auto t = std::make_shared<TermAst>();
  t->pos = Cur().pos;
  const Token& tok = Cur();
  switch (tok.kind) {
    case K::kVar: t->kind = TermAst::Kind::kVar; break;
    case K::kQuoted: t->kind = TermAst::Kind::kName; break;
    case K::kDocument: t->kind = TermAst::Kind::kDocument; break;
    case K::kIri: t->kind = TermAst::Kind::kIri; break;
    case K::kInteger: t->kind = TermAst::Kind::kInteger; break;
    case K::kDecimal: t->kind = TermAst::Kind::kDecimal; break;
    case K::kDate: t->kind = TermAst::Kind::kDate; break;
    case K::kString: t->kind = TermAst::Kind::kString; break;
    case K::kName:
      if (!IsPlainName()) return Expected("a term (name, ?variable, doc:id, literal or (s p o))");
      t->kind = TermAst::Kind::kName;
      break;
    case K::kPunct:
      if (tok.text == "(") {
        ++i_;
        t->kind = TermAst::Kind::kClaim;
        KG_ASSIGN_OR_RETURN(TermPtr s, Term());
        KG_ASSIGN_OR_RETURN(TermPtr p, PredicateTerm());
        KG_ASSIGN_OR_RETURN(TermPtr o, Term());
        KG_RETURN_IF_ERROR(ExpectPunct(")"));
        t->parts = {s, p, o};
        return TermPtr(t);
      }
      [[fallthrough]];
    default:
      return Expected("a term (name, ?variable, doc:id, literal or (s p o))");
  }
  t->text = tok.text;
  ++i_;
  if (t->kind == TermAst::Kind::kString) {
    if (Cur().kind == K::kLangTag) {
      t->extra = Cur().text;
      ++i_;
    } else if (AcceptPunct("^^")) {
      if (Cur().kind != K::kIri && !IsPlainName()) {
        return Expected("a datatype (an <IRI> or date, decimal, integer) after ^^");
      }
      t->kind = TermAst::Kind::kTyped;
      t->extra = Cur().kind == K::kIri ? StrCat("<", Cur().text, ">") : Cur().text;
      ++i_;
    }
  }
  return TermPtr(t);
}

}  // namespace parser_internal

absl::StatusOr<std::vector<StatementAst>> Parse(std::string_view text) {
  KG_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text));
  return parser_internal::Parser(text, std::move(tokens)).Script();
}

}  // namespace kg::query
