// The Binder behind BindMatch (binder.h), shared by its two source files:
// binder.cc (patterns, terms, names of entities and predicates) and
// binder_expr.cc (expressions: variables, fields, functions, aggregates).
// Not for use outside query/.
#ifndef KG_QUERY_BINDER_INTERNAL_H_
#define KG_QUERY_BINDER_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "kg/closest_name.h"
#include "query/binder.h"

namespace kg::query::binder_internal {

// What the binder knows, before anything runs, about the values an
// expression can have: enough to tell which fields they have.
enum class Kind : uint8_t {
  kAny,       // not known; may be evidence
  kTerm,      // some term, not evidence
  kEvidence,
  kClaim,
  kDocument,
  kEntity,
  kString,    // a string term ("axis"@en)
  kQuantity,
  kDate,
  kNumber,    // integers, decimals, counts
  kBool,
  kText,      // a text value (?e.hedge, str(x)): not a term
  kSymbol,    // a bare name in an expression
  kOther,     // IRIs, typed literals
};

struct Type {
  Kind kind = Kind::kAny;
  bool list = false;  // a list of such values (a field maps over it)
  bool operator==(const Type&) const = default;
};

// " (did you mean X?)" for the closest candidate, or "".
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates);

class Binder {
 public:
  Binder(Context& ctx, BoundMatch& out) : ctx_(ctx), out_(out), b_(out.bindings) {}

  absl::Status Match(const MatchAst& m);
  absl::StatusOr<Slot> BindTerm(const TermAst& t, std::vector<BoundPattern>& extra);

 private:
  enum class Clause { kWhere, kReturn, kGroupBy, kOrderBy };

  // binder.cc
  absl::StatusOr<TermId> ResolveName(const TermAst& t);
  absl::StatusOr<TermId> ResolvePredicate(const std::string& name, const Pos& pos, bool iri);
  absl::StatusOr<Term> LiteralTerm(const TermAst& t);
  absl::StatusOr<Slot> BindPredicate(const TermAst& t);
  absl::StatusOr<CompiledPath> CompilePath(const PathAst& p);
  absl::Status BindPattern(const PatternAst& pat, std::vector<BoundPattern>& out);
  // Records that a pattern binds `slot` to values of `kind`.
  void NoteVar(int slot, Kind kind);
  Type VarType(int slot) const;
  std::string Text(const Slot& s) { return SlotText(ctx_, b_, s); }

  // binder_expr.cc
  // Binds the names in `e` and returns what its values are.
  absl::StatusOr<Type> BindExpr(const ExprAst& e, Clause clause, bool in_aggregate);
  absl::StatusOr<Type> BindVariable(const ExprAst& e, Clause clause);
  absl::StatusOr<Type> BindConstant(const ExprAst& e);
  absl::StatusOr<Type> BindField(const ExprAst& e, Type of);
  absl::StatusOr<Type> BindCall(const ExprAst& e, Clause clause, bool in_aggregate);
  // An ORDER BY item: a result column (a bare name, or a ?name no pattern
  // binds) or an expression.
  absl::Status BindOrderItem(const ExprAst& e);
  // Whether some evidence may have a qualifier `key`: the annotation
  // format's time, quantity and place, or a key found in the store.
  absl::StatusOr<bool> IsQualifierKey(const std::string& key);
  absl::StatusOr<std::vector<std::string>> QualifierKeys();
  absl::StatusOr<bool> ScanQualifierKeys(std::string_view wanted);

  Context& ctx_;
  BoundMatch& out_;
  Bindings& b_;
  absl::flat_hash_map<int, Kind> var_kinds_;
  std::vector<std::string> columns_;  // ORDER BY: the result columns
  std::optional<std::vector<std::string>> store_keys_;  // read once, when needed
  int hidden_ = 0;
};

}  // namespace kg::query::binder_internal

#endif  // KG_QUERY_BINDER_INTERNAL_H_
