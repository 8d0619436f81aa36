// The Parser behind ParseSparql (sparql_parser.h), shared by its four source
// files: sparql_parser_query.cc (query forms, solution modifiers),
// sparql_parser.cc (group patterns, triples, paths), sparql_parser_terms.cc
// (lexing, terms) and sparql_parser_expr.cc (expressions). Not for use
// outside query/.
#ifndef KG_QUERY_SPARQL_PARSER_INTERNAL_H_
#define KG_QUERY_SPARQL_PARSER_INTERNAL_H_

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "query/sparql_ast.h"

namespace kg::query::sparql::internal {

class Parser {
 public:
  Parser(std::string_view text, std::string_view base);

  absl::StatusOr<Query> ParseQuery();

  // sparql_parser_terms.cc ------------------------------------------------

  // Skips white space and comments.
  void Skip();
  bool AtEnd() { Skip(); return i_ >= text_.size(); }
  char Peek(size_t ahead = 0) {
    Skip();
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  // Consumes `p` if the input continues with it.
  bool Punct(std::string_view p);
  absl::Status Expect(std::string_view p);
  // Consumes keyword `kw` (case-insensitive, not followed by a name
  // character) if present.
  bool Keyword(std::string_view kw);
  bool PeekKeyword(std::string_view kw);
  absl::Status ExpectKeyword(std::string_view kw);
  Pos Here();
  absl::Status Error(std::string_view expected);  // "expected X, found Y"
  absl::Status ErrorAt(const Pos& pos, std::string_view message);
  // Guards recursion depth; call Leave() after a successful Enter().
  absl::Status Enter();
  void Leave() { --depth_; }

  bool PeekVar() { const char c = Peek(); return c == '?' || c == '$'; }
  absl::StatusOr<std::string> Var();
  absl::StatusOr<std::string> IriRef();      // <...>, resolved
  absl::StatusOr<std::string> PrefixedName();
  absl::StatusOr<std::string> Iri();         // IriRef or PrefixedName
  bool PeekIri();
  bool LooksLikeIriRef();
  // A literal (string, number, boolean) as a kg term.
  absl::StatusOr<Term> Literal();
  bool PeekLiteral();
  Term IriTerm(const std::string& iri);
  // Term position (subject, object): var, IRI, literal, blank node, triple term.
  absl::StatusOr<PTerm> VarOrTerm();
  absl::StatusOr<PTerm> BlankNode();  // _:x or []
  // The predicate of a triple term or reified triple: a variable, `a` or
  // an IRI (no path).
  absl::StatusOr<PTerm> SimpleVerb();

  // sparql_parser_expr.cc -------------------------------------------------

  absl::StatusOr<ExprPtr> Expression();
  absl::StatusOr<ExprPtr> Constraint();  // FILTER's / HAVING's: (e), a call
  absl::StatusOr<ExprPtr> BrackettedExpression();
  absl::StatusOr<ExprPtr> PrimaryExpression();
  absl::StatusOr<ExprPtr> BuiltInCall(const std::string& name, Pos pos);
  absl::StatusOr<ExprPtr> Aggregate(const std::string& name, Pos pos);
  absl::StatusOr<ExprPtr> FunctionCall(Term iri, Pos pos);
  absl::StatusOr<std::vector<ExprPtr>> ArgList();

  // sparql_parser.cc -------------------------------------------------------

  absl::StatusOr<std::shared_ptr<const Group>> GroupGraphPattern();
  absl::Status TriplesBlock(std::vector<Triple>& out, bool allow_paths);
  absl::Status PropertyList(const PTerm& subject, std::vector<Triple>& out, bool allow_paths,
                            bool required);
  absl::Status ObjectList(const PTerm& subject, const PTerm& verb, const PathPtr& path,
                          std::vector<Triple>& out, bool allow_paths);
  absl::StatusOr<PTerm> GraphNode(std::vector<Triple>& out, bool allow_paths);
  absl::StatusOr<PathPtr> PathAlternative();
  absl::StatusOr<PathPtr> PathSequence();
  absl::StatusOr<PathPtr> PathElt();
  absl::StatusOr<PathPtr> PathPrimary();
  absl::StatusOr<Element> InlineData(bool full);
  absl::StatusOr<Query> SubSelect(Pos pos);
  absl::Status SelectClause(Query& q);
  absl::Status SolutionModifiers(Query& q);
  absl::StatusOr<std::vector<Triple>> ConstructTemplate();
  PTerm FreshBlank(Pos pos);

  std::string_view text_;
  size_t i_ = 0;
  std::string base_;
  std::map<std::string, std::string> prefixes_;
  int depth_ = 0;
  int blank_counter_ = 0;
  bool in_aggregate_ = false;
  bool aggregates_allowed_ = false;
  bool saw_aggregate_ = false;
  // Blank node labels: the basic graph pattern each was used in; a label
  // used again in another one is an error.
  std::map<std::string, int> blank_bgp_;
  int bgp_ = 0;
  bool in_template_ = false;
  bool block_ended_with_dot_ = false;  // the last TriplesBlock ended with '.'   // CONSTRUCT template / DELETE: blank nodes allowed anywhere
};

inline bool ContainsVar(const std::vector<std::string>& vars, const std::string& v) {
  return std::find(vars.begin(), vars.end(), v) != vars.end();
}

// Variables a group can bind (in-scope variables, SPARQL 1.1 section 18.2.1),
// added to `out` in order of first appearance.
void InScopeVars(const Group& g, std::vector<std::string>& out);
void ExprVars(const Expr& e, std::vector<std::string>& out);

}  // namespace kg::query::sparql::internal

#endif  // KG_QUERY_SPARQL_PARSER_INTERNAL_H_
