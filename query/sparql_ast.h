// The syntax tree of a SPARQL 1.1 query (with SPARQL 1.2 triple terms), as
// ParseSparql (sparql_parser.h) produces it: prefixed names and relative
// IRIs are already expanded, constants are kg terms (kg/rdf_mapping.h), and
// blank nodes in patterns are hidden variables. Nothing is resolved against
// a store yet: that is sparql_plan.cc's job.
#ifndef KG_QUERY_SPARQL_AST_H_
#define KG_QUERY_SPARQL_AST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kg/term.h"
#include "query/ast.h"

namespace kg::query::sparql {

// A term of a pattern: a variable (blank nodes become variables whose name
// starts with '_'), a constant, or a triple term with pattern parts.
struct PTerm {
  enum class Kind { kVar, kConst, kTriple };
  Kind kind = Kind::kConst;
  std::string var;  // kVar, without '?'
  Term term;        // kConst
  std::shared_ptr<const std::vector<PTerm>> parts;  // kTriple: s, p, o
  Pos pos;
};

// A property path. kPredicate: `iri`; kNegated: `iri` list in children as
// kPredicate (forward) or kInverse-of-kPredicate (backward).
struct Path;
using PathPtr = std::shared_ptr<const Path>;
struct Path {
  enum class Kind { kPredicate, kInverse, kSequence, kAlternative, kRepeat, kNegated };
  Kind kind = Kind::kPredicate;
  Term iri;
  std::vector<PathPtr> children;
  int min = 1, max = 1;  // kRepeat: ? = {0,1}, * = {0,-1}, + = {1,-1}
  std::string text;      // as written, for EXPLAIN
};

struct Triple {
  PTerm s, p, o;
  PathPtr path;  // set when the predicate is a path other than one IRI or a variable
  Pos pos;
};

struct Group;
struct Query;

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
struct Expr {
  enum class Kind {
    kVar,        // name
    kConst,      // term
    kOr, kAnd, kNot,
    kCompare,    // op: = != < <= > >=
    kArith,      // op: + - * /
    kNegate, kPlus,
    kIn, kNotIn,       // children[0] IN (children[1..])
    kCall,             // name (upper-cased keyword or an IRI), children
    kAggregate,        // name COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    kExists, kNotExists,  // group
  };
  Kind kind = Kind::kConst;
  Pos pos;
  std::string name;  // kVar; kCall/kAggregate function; kCompare/kArith operator
  Term term;         // kConst
  std::vector<ExprPtr> children;
  bool distinct = false;       // kAggregate
  bool star = false;           // COUNT(*)
  std::string separator = " ";  // GROUP_CONCAT
  std::shared_ptr<const Group> group;  // kExists, kNotExists
};

// One element of a group graph pattern, in the order written.
struct Element {
  enum class Kind {
    kTriples,   // a block of triple patterns (a basic graph pattern with paths)
    kOptional,  // group
    kUnion,     // groups: the branches
    kMinus,     // group
    kFilter,    // expr
    kBind,      // expr AS var
    kValues,    // vars, rows
    kGraph,     // graph term, group
    kGroup,     // a nested { ... }
    kSubSelect, // query
    kService,   // SERVICE: parsed, not run (no federation)
  };
  Kind kind = Kind::kTriples;
  Pos pos;
  std::vector<Triple> triples;
  std::shared_ptr<const Group> group;
  std::vector<std::shared_ptr<const Group>> groups;
  ExprPtr expr;
  std::string var;
  std::vector<std::string> vars;                        // kValues
  std::vector<std::vector<std::optional<Term>>> rows;   // kValues; nullopt = UNDEF
  PTerm graph;                                          // kGraph
  std::shared_ptr<const Query> query;                   // kSubSelect
};

struct Group {
  std::vector<Element> elements;
};

struct Projection {
  std::string var;
  ExprPtr expr;  // null: the variable itself
};

struct OrderKey {
  ExprPtr expr;
  bool descending = false;
};

struct Query {
  enum class Form { kSelect, kAsk, kConstruct, kDescribe };
  Form form = Form::kSelect;
  bool explain = false;
  bool distinct = false, reduced = false;
  bool select_all = false;            // SELECT * / DESCRIBE *
  std::vector<Projection> projection;
  std::vector<Triple> construct;      // CONSTRUCT template
  std::vector<PTerm> describe;        // DESCRIBE terms
  std::shared_ptr<const Group> where;
  std::vector<Projection> group_by;   // var empty: no AS
  std::vector<ExprPtr> having;
  std::vector<OrderKey> order_by;
  std::optional<uint64_t> limit;
  uint64_t offset = 0;
  Element values;                     // trailing VALUES (kind kValues when present)
  bool has_values = false;
  bool has_dataset = false;           // FROM / FROM NAMED given
  std::vector<std::string> from, from_named;  // their graph IRIs
  Pos dataset_pos;
  std::vector<std::string> in_scope;  // variables the WHERE clause can bind, in order
};

}  // namespace kg::query::sparql

#endif  // KG_QUERY_SPARQL_AST_H_
