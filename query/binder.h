// The binder: the step between the parser and the planner. It resolves every
// name of a statement against the store before anything runs -- entities
// (through their aliases), predicates, literals, variables (to row slots),
// field names and function names with their arities -- so a misspelling is
// an error with its position and a "did you mean", whether or not a row
// would ever reach it. A field is checked against the kind of value it is
// read from wherever that kind is known before running: `?e` bound by
// `?c EVIDENCE ?e` is evidence, `?c` bound by `?c = (s p o)` is a claim,
// `?e.document` is a document, and so on.
//
// The output refers to ids, slots and resolved field and function ids, not
// to names: the planner (plan.h) orders the bound patterns, the executor and
// the evaluator (expr.h) run them. A second front end (SPARQL) is another
// parser onto this binder.
#ifndef KG_QUERY_BINDER_H_
#define KG_QUERY_BINDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "kg/term_id.h"
#include "query/ast.h"
#include "query/context.h"
#include "query/value.h"

namespace kg::query {

// A position of a pattern: a constant term id or a variable slot.
struct Slot {
  int var = -1;
  TermId id;
  bool is_var() const { return var >= 0; }
};

// A path with its predicates resolved.
struct CompiledPath {
  PathAst::Kind kind = PathAst::Kind::kPredicate;
  TermId predicate;
  std::string text;  // as written, for EXPLAIN
  std::vector<CompiledPath> children;
  int min = 1, max = 1;
};

// One pattern of a MATCH with its names resolved. A nested claim with
// variables becomes a hidden claim variable and a kDecompose pattern.
struct BoundPattern {
  enum class Kind { kScan, kPath, kEvidence, kDecompose };
  Kind kind = Kind::kScan;
  Slot s, p, o;         // kScan; kPath uses s, o; kEvidence: s = claim, o = evidence var
  Slot parts[3];        // kDecompose: s is the claim variable
  int claim_var = -1;   // kScan: `?c = (...)`
  int depth_var = -1;   // kPath
  std::shared_ptr<const CompiledPath> path;  // kPath
  Pos pos;              // where the pattern was written
  std::string text;     // the pattern, for EXPLAIN and errors
};

// The fields the evaluator knows (docs/query-language.md §9). kQualifier is
// an evidence qualifier, named by FieldRef::name.
enum class FieldId : uint8_t {
  // evidence
  kClaim, kDocument, kQuote, kStart, kEnd, kHedge, kStance, kNegated, kOpposes,
  kAgent, kOrdinal, kVia, kChain, kSource, kContext, kQualifier,
  // evidence (of its document) and documents
  kTitle, kPublisher, kDate, kUrl, kType, kAuthors,
  // claims
  kSubject, kPredicate, kObject, kEvidence, kSources, kOpposing, kDocuments,
  // documents, entities, strings, quantities, dates
  kId, kStored, kSha256, kName, kAliases, kText, kLang, kAmount, kUnit,
  kYear, kMonth, kDay,
};

// A resolved field: its id, and the name as written (the qualifier key for
// kQualifier; evidence reads a field it does not have as the qualifier of
// that name, as it always has).
struct FieldRef {
  FieldId id = FieldId::kQualifier;
  std::string name;
};

// The functions and aggregates (docs/query-language.md §10).
enum class FunctionId : uint8_t {
  kEvidence, kSources, kOpposing, kDocuments, kSize, kBound, kStr, kLower,
  kUpper, kKind, kLang, kYear, kDate, kContains, kStartsWith, kRegex,
  kCount, kMin, kMax, kSum,
};

// The resolved names of a statement: variable slots, and for the
// expressions (keyed by their syntax node) constant values, variable slots,
// fields and functions.
struct Bindings {
  std::vector<std::string> var_names;                     // slot -> name
  absl::flat_hash_map<std::string, int> vars;             // name -> slot
  absl::flat_hash_map<const ExprAst*, Value> consts;      // literal and name values
  absl::flat_hash_map<const ExprAst*, int> var_slots;     // ?x -> its slot
  absl::flat_hash_map<const ExprAst*, FieldRef> fields;   // x.name -> the field
  absl::flat_hash_map<const ExprAst*, FunctionId> functions;  // f(...) -> f
  int Slot(const std::string& name);                      // finds or adds
};

// A MATCH with every name resolved; what the planner orders.
struct BoundMatch {
  Bindings bindings;
  std::vector<BoundPattern> patterns;
  std::vector<std::vector<BoundPattern>> optionals;  // OPTIONAL { ... } groups
  std::vector<ExprPtr> filters;  // WHERE, split at its top-level ANDs
};

// Binds `match` (which must outlive the result: expressions are keyed by
// their nodes). InvalidArgument with the position for an unknown entity,
// predicate, variable, field or function, a wrong number of arguments, a
// misplaced aggregate, a bad literal, ...
absl::StatusOr<BoundMatch> BindMatch(Context& ctx, const MatchAst& match);

// Binds a claim pattern (TRACE, SOURCES OF) as one pattern binding the
// claim to the hidden variable `*claim_slot`.
absl::StatusOr<BoundMatch> BindClaimPattern(Context& ctx, const PatternAst& pattern,
                                            int* claim_slot);

// Resolves a term that must be constant (CONFLICTS ABOUT, TRACE parts).
absl::StatusOr<TermId> ResolveConstant(Context& ctx, const TermAst& term);

// How a slot reads in EXPLAIN and errors: `?x`, or the constant's text.
std::string SlotText(Context& ctx, const Bindings& bindings, const Slot& slot);

}  // namespace kg::query

#endif  // KG_QUERY_BINDER_H_
