// The names in expressions (binder.h): variables to slots, literals and
// bare names to values, `x.name` to a field of the kind of value x is, and
// `f(...)` to a function with the right number of arguments, an aggregate
// only where aggregates are allowed.
#include <algorithm>
#include <string>
#include <utility>

#include <set>
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/binder_internal.h"
#include "query/expr.h"
#include "query/parser.h"

namespace kg::query::binder_internal {
namespace {

// Which kind of value has a field, and what the field's values are
// (docs/query-language.md §9). A name may have a row per kind.
struct FieldSpec {
  std::string_view name;
  FieldId id;
  Kind of;
  Type result;
};

constexpr Type kTextType{Kind::kText}, kNumberType{Kind::kNumber}, kBoolType{Kind::kBool},
    kTermType{Kind::kTerm}, kDateType{Kind::kDate};

constexpr FieldSpec kFields[] = {
    {"claim", FieldId::kClaim, Kind::kEvidence, {Kind::kClaim}},
    {"document", FieldId::kDocument, Kind::kEvidence, {Kind::kDocument}},
    {"quote", FieldId::kQuote, Kind::kEvidence, kTextType},
    {"context", FieldId::kContext, Kind::kEvidence, kTextType},
    {"start", FieldId::kStart, Kind::kEvidence, kNumberType},
    {"end", FieldId::kEnd, Kind::kEvidence, kNumberType},
    {"hedge", FieldId::kHedge, Kind::kEvidence, kTextType},
    {"stance", FieldId::kStance, Kind::kEvidence, kTextType},
    {"negated", FieldId::kNegated, Kind::kEvidence, kBoolType},
    {"opposes", FieldId::kOpposes, Kind::kEvidence, kBoolType},
    {"agent", FieldId::kAgent, Kind::kEvidence, kTermType},
    {"ordinal", FieldId::kOrdinal, Kind::kEvidence, kNumberType},
    {"via", FieldId::kVia, Kind::kEvidence, {Kind::kTerm, true}},
    {"chain", FieldId::kChain, Kind::kEvidence, {Kind::kTerm, true}},
    {"source", FieldId::kSource, Kind::kEvidence, kTermType},
    {"title", FieldId::kTitle, Kind::kEvidence, kTextType},
    {"publisher", FieldId::kPublisher, Kind::kEvidence, kTextType},
    {"date", FieldId::kDate, Kind::kEvidence, kDateType},
    {"url", FieldId::kUrl, Kind::kEvidence, kTextType},
    {"type", FieldId::kType, Kind::kEvidence, kTextType},
    {"authors", FieldId::kAuthors, Kind::kEvidence, {Kind::kText, true}},
    {"subject", FieldId::kSubject, Kind::kClaim, kTermType},
    {"predicate", FieldId::kPredicate, Kind::kClaim, kTermType},
    {"object", FieldId::kObject, Kind::kClaim, kTermType},
    {"evidence", FieldId::kEvidence, Kind::kClaim, {Kind::kEvidence, true}},
    {"sources", FieldId::kSources, Kind::kClaim, {Kind::kTerm, true}},
    {"opposing", FieldId::kOpposing, Kind::kClaim, {Kind::kTerm, true}},
    {"documents", FieldId::kDocuments, Kind::kClaim, {Kind::kDocument, true}},
    {"id", FieldId::kId, Kind::kDocument, kTextType},
    {"stored", FieldId::kStored, Kind::kDocument, kBoolType},
    {"title", FieldId::kTitle, Kind::kDocument, kTextType},
    {"publisher", FieldId::kPublisher, Kind::kDocument, kTextType},
    {"url", FieldId::kUrl, Kind::kDocument, kTextType},
    {"type", FieldId::kType, Kind::kDocument, kTextType},
    {"sha256", FieldId::kSha256, Kind::kDocument, kTextType},
    {"date", FieldId::kDate, Kind::kDocument, kDateType},
    {"authors", FieldId::kAuthors, Kind::kDocument, {Kind::kText, true}},
    {"name", FieldId::kName, Kind::kEntity, kTextType},
    {"type", FieldId::kType, Kind::kEntity, kTextType},
    {"aliases", FieldId::kAliases, Kind::kEntity, {Kind::kText, true}},
    {"text", FieldId::kText, Kind::kString, kTextType},
    {"lang", FieldId::kLang, Kind::kString, kTextType},
    {"amount", FieldId::kAmount, Kind::kQuantity, kNumberType},
    {"unit", FieldId::kUnit, Kind::kQuantity, kTextType},
    {"year", FieldId::kYear, Kind::kDate, kNumberType},
    {"month", FieldId::kMonth, Kind::kDate, kNumberType},
    {"day", FieldId::kDay, Kind::kDate, kNumberType},
};

// The qualifier keys of the annotation format, known without reading the store.
constexpr std::string_view kKnownQualifiers[] = {
    "place",       "quantity",    "time",         "verdict",       "rating",
    "rating_value", "best_rating", "worst_rating", "reviewer",      "review_author",
    "appearance",  "first_appearance", "claimant", "claim_date", "appearance_title",
    "page",        "sentence",    "fever_id"};

struct FunctionSpec {
  std::string_view name;
  FunctionId id;
  size_t min_args, max_args;
  bool aggregate;
};

constexpr FunctionSpec kFunctions[] = {
    {"evidence", FunctionId::kEvidence, 1, 1, false},
    {"sources", FunctionId::kSources, 1, 1, false},
    {"opposing", FunctionId::kOpposing, 1, 1, false},
    {"documents", FunctionId::kDocuments, 1, 1, false},
    {"size", FunctionId::kSize, 1, 1, false},
    {"bound", FunctionId::kBound, 1, 1, false},
    {"str", FunctionId::kStr, 1, 1, false},
    {"lower", FunctionId::kLower, 1, 1, false},
    {"upper", FunctionId::kUpper, 1, 1, false},
    {"kind", FunctionId::kKind, 1, 1, false},
    {"lang", FunctionId::kLang, 1, 1, false},
    {"year", FunctionId::kYear, 1, 1, false},
    {"date", FunctionId::kDate, 1, 1, false},
    {"contains", FunctionId::kContains, 2, 2, false},
    {"starts_with", FunctionId::kStartsWith, 2, 2, false},
    {"regex", FunctionId::kRegex, 2, 3, false},
    {"count", FunctionId::kCount, 1, 1, true},
    {"min", FunctionId::kMin, 1, 1, true},
    {"max", FunctionId::kMax, 1, 1, true},
    {"sum", FunctionId::kSum, 1, 1, true},
};

bool HasFields(Kind k) {
  switch (k) {
    case Kind::kNumber:
    case Kind::kBool:
    case Kind::kText:
    case Kind::kSymbol:
    case Kind::kOther: return false;
    default: return true;
  }
}

// Whether a field of values of kind `of` may apply to a value of kind `k`.
bool Applies(Kind of, Kind k) {
  if (k == Kind::kAny) return true;
  if (k == Kind::kTerm) return of != Kind::kEvidence;
  return of == k;
}

std::string_view Describe(Kind k) {
  switch (k) {
    case Kind::kAny: return "a value";
    case Kind::kTerm: return "a term";
    case Kind::kEvidence: return "evidence";
    case Kind::kClaim: return "a claim";
    case Kind::kDocument: return "a document";
    case Kind::kEntity: return "an entity";
    case Kind::kString: return "a string";
    case Kind::kQuantity: return "a quantity";
    case Kind::kDate: return "a date";
    case Kind::kNumber: return "a number";
    case Kind::kBool: return "a boolean";
    case Kind::kText: return "text";
    case Kind::kSymbol: return "a bare name";
    case Kind::kOther: return "an IRI or typed literal";
  }
  return "a value";
}

Kind KindOf(TermKind k) {
  switch (k) {
    case TermKind::kEntity: return Kind::kEntity;
    case TermKind::kDocument: return Kind::kDocument;
    case TermKind::kString: return Kind::kString;
    case TermKind::kInteger:
    case TermKind::kDecimal: return Kind::kNumber;
    case TermKind::kDate: return Kind::kDate;
    case TermKind::kQuantity: return Kind::kQuantity;
    case TermKind::kClaim: return Kind::kClaim;
    default: return Kind::kOther;
  }
}

Type ResultOf(FunctionId f, const std::vector<Type>& args) {
  switch (f) {
    case FunctionId::kEvidence: return {Kind::kEvidence, true};
    case FunctionId::kSources:
    case FunctionId::kOpposing: return {Kind::kTerm, true};
    case FunctionId::kDocuments: return {Kind::kDocument, true};
    case FunctionId::kSize:
    case FunctionId::kYear:
    case FunctionId::kCount: return kNumberType;
    case FunctionId::kBound:
    case FunctionId::kContains:
    case FunctionId::kStartsWith:
    case FunctionId::kRegex: return kBoolType;
    case FunctionId::kStr:
    case FunctionId::kLower:
    case FunctionId::kUpper:
    case FunctionId::kKind:
    case FunctionId::kLang: return kTextType;
    case FunctionId::kDate: return kDateType;
    case FunctionId::kMin:
    case FunctionId::kMax: return args.empty() ? Type{} : Type{args[0].kind};
    case FunctionId::kSum: return kTermType;  // a number, or a quantity
  }
  return Type{};
}

}  // namespace

absl::StatusOr<Type> Binder::BindExpr(const ExprAst& e, Clause clause, bool in_aggregate) {
  switch (e.kind) {
    case ExprAst::Kind::kTerm:
      if (e.term->kind == TermAst::Kind::kVar) return BindVariable(e, clause);
      return BindConstant(e);
    case ExprAst::Kind::kField: {
      KG_ASSIGN_OR_RETURN(Type of, BindExpr(*e.children[0], clause, in_aggregate));
      return BindField(e, of);
    }
    case ExprAst::Kind::kCall: return BindCall(e, clause, in_aggregate);
    case ExprAst::Kind::kStar:
      return absl::InvalidArgumentError(At(e.pos, "'*' can only be the argument of COUNT(*)"));
    default: break;
  }
  for (const ExprPtr& c : e.children) {
    KG_RETURN_IF_ERROR(BindExpr(*c, clause, in_aggregate).status());
  }
  return e.kind == ExprAst::Kind::kList ? Type{Kind::kAny, true} : kBoolType;
}

absl::StatusOr<Type> Binder::BindVariable(const ExprAst& e, Clause clause) {
  const std::string& name = e.term->text;
  auto it = b_.vars.find(name);
  if (it != b_.vars.end()) {
    b_.var_slots[&e] = it->second;
    return VarType(it->second);
  }
  if (clause != Clause::kOrderBy) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat("unknown variable ?", name, ": no pattern binds it")));
  }
  if (std::find(columns_.begin(), columns_.end(), name) != columns_.end()) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat("?", name, " names a result column, which ORDER BY can use only on its "
                         "own (ORDER BY ?", name, "), not inside an expression")));
  }
  return absl::InvalidArgumentError(At(
      e.pos, StrCat("unknown variable ?", name, ": no pattern binds it and no column has that name")));
}

absl::StatusOr<Type> Binder::BindConstant(const ExprAst& e) {
  const TermAst& t = *e.term;
  switch (t.kind) {
    case TermAst::Kind::kName: {
      Value v;
      v.kind = Value::Kind::kSymbol;
      v.text = std::make_shared<const std::string>(t.text);
      KG_ASSIGN_OR_RETURN(std::vector<TermId> ids, ctx_.snap().Resolve(t.text));
      if (ids.size() == 1) {
        v.has_id = true;
        v.id = ids[0];
      }
      b_.consts[&e] = std::move(v);
      return Type{Kind::kSymbol};
    }
    case TermAst::Kind::kClaim: {
      std::vector<BoundPattern> extra;
      KG_ASSIGN_OR_RETURN(Slot s, BindTerm(t, extra));
      if (!extra.empty()) {
        return absl::InvalidArgumentError(
            At(t.pos, "a claim inside an expression cannot contain variables"));
      }
      b_.consts[&e] = Value::Id(s.id);
      return Type{Kind::kClaim};
    }
    default: {
      KG_ASSIGN_OR_RETURN(Term term, LiteralTerm(t));
      const Kind kind = KindOf(term.kind());
      b_.consts[&e] = Value::Of(std::move(term));
      return Type{kind};
    }
  }
}

absl::StatusOr<Type> Binder::BindField(const ExprAst& e, Type of) {
  const std::string& name = e.text;
  if (!HasFields(of.kind)) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat("unknown field '", name, "': ", Describe(of.kind), " has no fields")));
  }
  std::optional<FieldId> id;
  std::optional<Type> result;
  bool evidence_row = false;
  for (const FieldSpec& f : kFields) {
    if (f.name != name || !Applies(f.of, of.kind)) continue;
    id = f.id;
    evidence_row |= f.of == Kind::kEvidence;
    result = !result || *result == f.result ? f.result : Type{};
  }
  const bool evidence_may_read = of.kind == Kind::kEvidence || of.kind == Kind::kAny;
  if (id) {
    // On a value that may be evidence, evidence reads another kind's field
    // as a qualifier of that name: a term, or null.
    if (evidence_may_read && !evidence_row && *result != kTermType) result = Type{};
    b_.fields[&e] = FieldRef{*id, name};
    return Type{result->kind, result->list || of.list};
  }
  if (evidence_may_read) {
    KG_ASSIGN_OR_RETURN(bool qualifier, IsQualifierKey(name));
    if (qualifier) {
      b_.fields[&e] = FieldRef{FieldId::kQualifier, name};
      return Type{Kind::kTerm, of.list};
    }
  }
  std::set<std::string> fields;
  for (const FieldSpec& f : kFields) {
    if (Applies(f.of, of.kind)) fields.insert(std::string(f.name));
  }
  std::vector<std::string> candidates(fields.begin(), fields.end());
  std::string qualifiers;
  if (evidence_may_read) {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> keys, QualifierKeys());
    candidates.insert(candidates.end(), keys.begin(), keys.end());
    qualifiers = StrCat("; qualifiers: ", absl::StrJoin(keys, ", "));
  }
  // A field of another kind of value says whose it is; else the closest
  // name; else the list.
  std::vector<std::string> owners;
  for (const FieldSpec& f : kFields) {
    const std::string owner(Describe(f.of));
    if (f.name == name && std::find(owners.begin(), owners.end(), owner) == owners.end()) {
      owners.push_back(owner);
    }
  }
  std::string hint;
  if (!owners.empty()) {
    hint = StrCat(" ('", name, "' is a field of ", absl::StrJoin(owners, " and "), ")");
  } else if (!evidence_may_read) {
    KG_ASSIGN_OR_RETURN(bool qualifier, IsQualifierKey(name));
    if (qualifier) hint = StrCat(" ('", name, "' is a qualifier of evidence)");
  }
  if (hint.empty()) hint = Suggest(name, candidates);
  if (hint.empty()) hint = StrCat(" (fields: ", absl::StrJoin(fields, ", "), qualifiers, ")");
  std::string what;
  if (of.kind == Kind::kAny) {
    what = "no value has a field or qualifier of that name";
  } else if (of.kind == Kind::kTerm) {
    what = "no term has a field of that name";
  } else {
    what = StrCat(Describe(of.kind), " has no field",
                  of.kind == Kind::kEvidence ? " or qualifier" : "", " of that name");
  }
  return absl::InvalidArgumentError(At(e.pos, StrCat("unknown field '", name, "': ", what, hint)));
}

absl::StatusOr<Type> Binder::BindCall(const ExprAst& e, Clause clause, bool in_aggregate) {
  if (e.negate) return e.text == "null" ? Type{} : kBoolType;  // TRUE, FALSE, NULL
  const FunctionSpec* spec = nullptr;
  std::vector<std::string> names;
  for (const FunctionSpec& f : kFunctions) {
    if (f.name == e.text) spec = &f;
    names.emplace_back(f.name);
  }
  if (spec == nullptr) {
    const std::string_view best =
        ClosestName(e.text, std::vector<std::string_view>(names.begin(), names.end()));
    return absl::InvalidArgumentError(At(
        e.pos, StrCat("unknown function ", e.text, "()",
                      best.empty() ? StrCat(" (functions: ", absl::StrJoin(names, ", "), ")")
                                   : StrCat(" (did you mean ", best, "()?)"))));
  }
  b_.functions[&e] = spec->id;
  const std::string upper = absl::AsciiStrToUpper(e.text);
  if (spec->aggregate && (clause == Clause::kWhere || clause == Clause::kGroupBy)) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(upper, "() can only be used in RETURN or ORDER BY")));
  }
  if (spec->aggregate && in_aggregate) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(upper, "() cannot be used inside another aggregate")));
  }
  if (!spec->aggregate && e.distinct) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(e.text, "(DISTINCT ...): DISTINCT is only for the aggregates "
                                 "COUNT, MIN, MAX and SUM")));
  }
  if (e.children.size() == 1 && e.children[0]->kind == ExprAst::Kind::kStar) {
    if (spec->id != FunctionId::kCount) {
      return absl::InvalidArgumentError(
          At(e.pos, StrCat(e.text, "(*) is not defined; use COUNT(*)")));
    }
    return kNumberType;
  }
  const size_t n = e.children.size(), lo = spec->min_args, hi = spec->max_args;
  if (n < lo || n > hi) {
    return absl::InvalidArgumentError(
        At(e.pos, StrCat(e.text, "() takes ", lo == hi ? StrCat(lo) : StrCat(lo, " to ", hi),
                         " argument", hi == 1 ? "" : "s", ", found ", n)));
  }
  std::vector<Type> args;
  for (const ExprPtr& c : e.children) {
    KG_ASSIGN_OR_RETURN(Type t, BindExpr(*c, clause, in_aggregate || spec->aggregate));
    args.push_back(t);
  }
  return ResultOf(spec->id, args);
}

absl::Status Binder::BindOrderItem(const ExprAst& e) {
  if (e.kind == ExprAst::Kind::kTerm) {
    const TermAst& t = *e.term;
    const bool column = std::find(columns_.begin(), columns_.end(), t.text) != columns_.end();
    if (t.kind == TermAst::Kind::kName && !column) {
      return absl::InvalidArgumentError(
          At(e.pos, StrCat("ORDER BY ", t.text, ": no result column has that name")));
    }
    if (t.kind == TermAst::Kind::kName) return absl::OkStatus();
    if (t.kind == TermAst::Kind::kVar && !b_.vars.contains(t.text) && column) {
      return absl::OkStatus();
    }
  }
  return BindExpr(e, Clause::kOrderBy, false).status();
}

// Reads the evidence of the store's documents for qualifier keys, until
// `wanted` is found (empty: never), and keeps the keys once it has read all.
absl::StatusOr<bool> Binder::ScanQualifierKeys(std::string_view wanted) {
  std::set<std::string> keys(std::begin(kKnownQualifiers), std::end(kKnownQualifiers));
  KG_ASSIGN_OR_RETURN(std::vector<std::string> documents, ctx_.snap().ListDocuments());
  for (const std::string& d : documents) {
    KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> all, ctx_.snap().EvidenceInDocument(d));
    for (const EvidenceEntry& e : all) {
      KG_RETURN_IF_ERROR(ctx_.Tick());
      for (const Qualifier& q : e.evidence.qualifiers) {
        if (!wanted.empty() && q.key == wanted) return true;
        keys.insert(q.key);
      }
    }
  }
  store_keys_.emplace(keys.begin(), keys.end());
  return false;
}

absl::StatusOr<std::vector<std::string>> Binder::QualifierKeys() {
  if (!store_keys_) KG_RETURN_IF_ERROR(ScanQualifierKeys("").status());
  return *store_keys_;
}

absl::StatusOr<bool> Binder::IsQualifierKey(const std::string& key) {
  for (std::string_view k : kKnownQualifiers) {
    if (k == key) return true;
  }
  if (store_keys_) return std::find(store_keys_->begin(), store_keys_->end(), key) != store_keys_->end();
  // Stops at the first piece of evidence with the key; reads everything
  // only for a key no evidence has (then the error lists what there is).
  return ScanQualifierKeys(key);
}

}  // namespace kg::query::binder_internal
