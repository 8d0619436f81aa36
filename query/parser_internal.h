// The recursive-descent parser behind Parse() (parser.h), shared by its two
// source files: parser.cc (statements, patterns, paths, terms) and
// parser_expr.cc (expressions). Not for use outside query/.
#ifndef KG_QUERY_PARSER_INTERNAL_H_
#define KG_QUERY_PARSER_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "query/ast.h"
#include "query/lexer.h"

namespace kg::query::parser_internal {

using K = Token::Kind;

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  absl::StatusOr<std::vector<StatementAst>> Script();

 private:
  const Token& Cur() const { return tokens_[i_]; }
  const Token& Ahead(size_t n) const;
  bool IsPunct(std::string_view p) const;
  bool IsKw(std::string_view kw) const { return IsKeyword(Cur(), kw); }
  bool AcceptKw(std::string_view kw);
  bool AcceptPunct(std::string_view p);
  // Nesting of expressions, NOTs, claims and paths is bounded, so that a
  // hostile query cannot exhaust the stack (the query fuzzer overflowed it
  // with 1,800 nested parentheses).
  static constexpr int kMaxNesting = 100;
  struct Nest {
    explicit Nest(int* depth) : depth(depth) { ++*depth; }
    ~Nest() { --*depth; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    int* depth;
  };
  absl::Status TooDeep() const;
  absl::Status Expected(std::string_view what) const;
  absl::Status ExpectKw(std::string_view kw);
  absl::Status ExpectPunct(std::string_view p);
  bool IsPlainName() const;

  absl::StatusOr<uint64_t> Count(std::string_view what);

  absl::StatusOr<StatementAst> Statement();

  // What TRACE and SOURCES OF take: a claim pattern, or a quoted phrase
  // (the evidence whose quote contains it).
  absl::Status ClaimOrQuote(StatementAst& s);

  // `(s p o)` or `s p o`: the claim of TRACE and SOURCES OF.
  absl::StatusOr<PatternAst> ClaimPattern();

  absl::Status Match(MatchAst& m);

  absl::Status PatternList(std::vector<PatternAst>& out);

  bool EndsPattern() const;

  absl::StatusOr<PatternAst> Pattern();

  // A predicate in a nested claim or TRACE/SOURCES pattern: a name or variable.
  absl::StatusOr<TermPtr> PredicateTerm();

  static absl::Status NoVariableIn(const std::vector<PathPtr>& parts, const Pos& pos);

  // `a|b|...` of sequences, `a/b/...` of elements: one part alone, or a
  // path of `kind` over the parts.
  absl::StatusOr<PathPtr> PathList(std::string_view separator, PathAst::Kind kind,
                                   absl::StatusOr<PathPtr> (Parser::*part)());
  absl::StatusOr<PathPtr> Path() {
    return PathList("|", PathAst::Kind::kAlternative, &Parser::PathSequence);
  }
  absl::StatusOr<PathPtr> PathSequence() {
    return PathList("/", PathAst::Kind::kSequence, &Parser::PathElement);
  }

  absl::StatusOr<PathPtr> PathElement();

  absl::StatusOr<TermPtr> Term();

  // --- expressions ---
  absl::StatusOr<ExprPtr> Expr() { return Or(); }

  static ExprPtr Binary(std::string op, Pos pos, ExprPtr a, ExprPtr b);

  // operand (keyword operand)*, grouped to the left.
  absl::StatusOr<ExprPtr> LeftAssociative(std::string_view keyword,
                                          absl::StatusOr<ExprPtr> (Parser::*operand)());
  absl::StatusOr<ExprPtr> Or() { return LeftAssociative("OR", &Parser::And); }
  absl::StatusOr<ExprPtr> And() { return LeftAssociative("AND", &Parser::Not); }
  // A NOT-level expression (a WHERE conjunct) with its source text.
  absl::StatusOr<ExprPtr> Not();
  absl::StatusOr<ExprPtr> NotInner();
  absl::StatusOr<ExprPtr> Comparison();
  absl::StatusOr<ExprPtr> Postfix();
  // After '(' in an expression: `(s p o)`, a claim, rather than a
  // parenthesised expression -- a term followed by a predicate name.
  bool LooksLikeClaim() const;

  absl::StatusOr<ExprPtr> Primary();

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t i_ = 0;
  int depth_ = 0;  // see Nest
  std::string predicate_var_;
};

}  // namespace kg::query::parser_internal

#endif  // KG_QUERY_PARSER_INTERNAL_H_
