// The syntax tree of the query language (docs/query-language.md). Produced
// by Parse (parser.h); names are not resolved against a store yet.
#ifndef KG_QUERY_AST_H_
#define KG_QUERY_AST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kg::query {

// A position in the query text, 1-based, columns in code points.
struct Pos {
  int line = 1;
  int col = 1;
};

struct TermAst;
using TermPtr = std::shared_ptr<const TermAst>;

// A term in a pattern: a variable, a name (entity, resolved through
// aliases), a document, an IRI, a literal or a nested claim (s p o).
struct TermAst {
  enum class Kind {
    kVar,       // text = variable name without '?'
    kName,      // text = entity name or alias (bare or `quoted`)
    kDocument,  // text = document id
    kIri,       // text = IRI
    kString,    // text, extra = language tag
    kTyped,     // text = lexical form, extra = datatype (IRI or name: date, decimal...)
    kInteger,   // text = digits
    kDecimal,   // text = lexical form
    kDate,      // text = YYYY-MM or YYYY-MM-DD
    kClaim,     // parts = subject, predicate (kName or kVar), object
  };
  Kind kind = Kind::kName;
  Pos pos;
  std::string text;
  std::string extra;
  std::vector<TermPtr> parts;
};

// A path over predicates: p, ^p, p/q, p|q, p+, p*, p?, p{m,n}.
struct PathAst;
using PathPtr = std::shared_ptr<const PathAst>;
struct PathAst {
  // kNegated (SPARQL's !(p|^q)): any predicate but the children, each a
  // kPredicate (forward) or a kInverse of one (backward).
  enum class Kind { kPredicate, kInverse, kSequence, kAlternative, kRepeat, kNegated };
  Kind kind = Kind::kPredicate;
  Pos pos;
  std::string predicate;   // kPredicate: a name, or an IRI when `iri`
  bool iri = false;
  std::vector<PathPtr> children;
  int min = 1, max = 1;    // kRepeat; max < 0: unbounded
};

// One element of a MATCH: a triple pattern (predicate a name or variable),
// a path pattern, or `?c EVIDENCE ?e`.
struct PatternAst {
  enum class Kind { kTriple, kPath, kEvidence };
  Kind kind = Kind::kTriple;
  Pos pos;
  TermPtr subject, object;
  TermPtr predicate;        // kTriple: kName or kVar
  PathPtr path;             // kPath
  std::string claim_var;    // `?c = (s p o)`: binds the claim; may be empty
  std::string depth_var;    // kPath: `DEPTH ?d`; may be empty
};

struct ExprAst;
using ExprPtr = std::shared_ptr<const ExprAst>;
struct ExprAst {
  enum class Kind {
    kTerm,      // term (literal, name-as-symbol, variable)
    kField,     // children[0] . text
    kCall,      // text(children...)  (function or aggregate; distinct flag)
    kStar,      // COUNT(*)
    kUnary,     // text = "NOT" | "-"
    kBinary,    // text = "AND" "OR" "=" "!=" "<" "<=" ">" ">="
    kIn,        // children[0] IN (children[1..]); negate
    kBetween,   // children[0] BETWEEN children[1] AND children[2]; negate
    kList,      // (a, b, c) as a value
  };
  Kind kind = Kind::kTerm;
  Pos pos;
  std::string text;
  TermPtr term;
  std::vector<ExprPtr> children;
  bool distinct = false;
  bool negate = false;
  std::string source;  // the expression as written (set on WHERE conjuncts)
};

struct ReturnItem {
  ExprPtr expr;
  std::string name;  // AS name, or derived from the expression
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
};

struct MatchAst {
  std::vector<PatternAst> patterns;
  std::vector<std::vector<PatternAst>> optionals;  // OPTIONAL { ... } groups
  ExprPtr where;
  bool distinct = false;
  bool return_all = false;  // RETURN *
  std::vector<ReturnItem> returns;
  std::vector<ExprPtr> group_by;
  std::vector<OrderItem> order_by;
  std::optional<uint64_t> limit;
  uint64_t offset = 0;
};

struct StatementAst {
  enum class Kind { kMatch, kTrace, kSources, kConflicts, kSearch, kVerdicts };
  Kind kind = Kind::kMatch;
  Pos pos;
  bool explain = false;
  MatchAst match;              // kMatch
  PatternAst claim;            // kTrace, kSources, kVerdicts: the claim pattern
  TermPtr about;               // kConflicts
  std::string search_text;     // kSearch; kTrace/kSources given a quote
  bool by_quote = false;       // TRACE / SOURCES OF / VERDICTS ON "words"
  bool search_words = false;   // SEARCH WORDS "..." (all words, any order)
  std::optional<uint64_t> limit;  // kTrace, kSources, kConflicts, kSearch
  std::string text;            // the statement's source text
};

}  // namespace kg::query

#endif  // KG_QUERY_AST_H_
