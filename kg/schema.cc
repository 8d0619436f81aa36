#include "kg/schema.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"

namespace kg {

namespace {

constexpr std::string_view kValueKinds[] = {"string", "number", "date", "document", "entity",
                                            "claim"};

std::string Trim(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

// "a, b , c" -> {a, b, c}; empty items are an error.
absl::StatusOr<std::vector<std::string>> NameList(std::string_view key, std::string_view value) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(absl::string_view(value.data(), value.size()), ',')) {
    std::string name = Trim(item);
    if (name.empty()) return absl::InvalidArgumentError(StrCat("'", key, "' needs names separated by ','"));
    out.push_back(std::move(name));
  }
  return out;
}

// The kind of value `term` is, as `range` and `@qualifier` name them.
std::string_view KindOf(const Term& term) {
  switch (term.kind()) {
    case TermKind::kString: return "string";
    case TermKind::kInteger:
    case TermKind::kDecimal:
    case TermKind::kQuantity: return "number";
    case TermKind::kDate: return "date";
    case TermKind::kDocument: return "document";
    case TermKind::kEntity: return "entity";
    case TermKind::kClaim: return "claim";
    default: return "";
  }
}

}  // namespace

bool PredicateRule::empty() const {
  return domain.empty() && range.empty() && max_objects == 0 && required_qualifiers.empty() &&
         !allowed_qualifiers && hedges.empty() && stances.empty();
}

bool IsValueKind(std::string_view name) {
  return std::find(std::begin(kValueKinds), std::end(kValueKinds), name) != std::end(kValueKinds);
}

absl::Status Schema::ParsePredicateField(std::string_view key, std::string_view value,
                                         const std::function<bool(std::string_view)>& is_type,
                                         PredicateRule* rule) {
  if (key == "domain" || key == "range") {
    if (!is_type(value) && !(key == "range" && IsValueKind(value))) {
      return absl::NotFoundError(StrCat("unknown type '", value, "'"));
    }
    (key == "domain" ? rule->domain : rule->range) = std::string(value);
  } else if (key == "max") {
    uint32_t n = 0;
    if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &n) || n == 0) {
      return absl::InvalidArgumentError(
          StrCat("'max' needs a whole number of objects per subject, at least 1, not '", value,
                 "'"));
    }
    rule->max_objects = n;
  } else if (key == "requires" || key == "qualifiers") {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> names, NameList(key, value));
    if (key == "requires") {
      rule->required_qualifiers = std::move(names);
    } else {
      rule->allowed_qualifiers = std::move(names);
    }
  } else if (key == "hedges") {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> names, NameList(key, value));
    rule->hedges.clear();
    for (const std::string& n : names) {
      std::optional<Hedge> h = ParseHedge(n);
      if (!h) return absl::InvalidArgumentError(StrCat("unknown hedge '", n, "'"));
      rule->hedges.push_back(*h);
    }
  } else if (key == "stances") {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> names, NameList(key, value));
    rule->stances.clear();
    for (const std::string& n : names) {
      std::optional<Stance> st = ParseStance(n);
      if (!st) return absl::InvalidArgumentError(StrCat("unknown stance '", n, "'"));
      rule->stances.push_back(*st);
    }
  } else {
    return absl::InvalidArgumentError(StrCat(
        "unknown predicate field '", key,
        "': expected domain, range, max, requires, qualifiers, hedges, stances, prov or label"));
  }
  return absl::OkStatus();
}

std::string Schema::FormatPredicateRule(const PredicateRule& rule) {
  std::vector<std::string> fields;
  if (!rule.domain.empty()) fields.push_back(StrCat("domain ", rule.domain));
  if (!rule.range.empty()) fields.push_back(StrCat("range ", rule.range));
  if (rule.max_objects) fields.push_back(StrCat("max ", rule.max_objects));
  if (!rule.required_qualifiers.empty()) {
    fields.push_back(StrCat("requires ", absl::StrJoin(rule.required_qualifiers, ", ")));
  }
  if (rule.allowed_qualifiers) {
    fields.push_back(StrCat("qualifiers ", absl::StrJoin(*rule.allowed_qualifiers, ", ")));
  }
  auto names = [](const auto& list, auto name_of) {
    std::vector<std::string> out;
    for (const auto& x : list) out.emplace_back(name_of(x));
    return absl::StrJoin(out, ", ");
  };
  if (!rule.hedges.empty()) fields.push_back(StrCat("hedges ", names(rule.hedges, HedgeName)));
  if (!rule.stances.empty()) fields.push_back(StrCat("stances ", names(rule.stances, StanceName)));
  return absl::StrJoin(fields, " ; ");
}

absl::StatusOr<PredicateRule> Schema::ParsePredicateRule(std::string_view fields) {
  PredicateRule rule;
  for (absl::string_view field : absl::StrSplit(absl::string_view(fields.data(), fields.size()), ';')) {
    const std::string f = Trim(field);
    if (f.empty()) continue;
    const size_t space = f.find(' ');
    const std::string key = f.substr(0, space);
    const std::string value = space == std::string::npos ? "" : Trim(f.substr(space + 1));
    // Stored rules were checked when written: any type name is taken.
    KG_RETURN_IF_ERROR(ParsePredicateField(key, value, [](std::string_view) { return true; },
                                           &rule));
  }
  return rule;
}

absl::Status Schema::AddRecords(const std::vector<SchemaRecord>& records) {
  for (const SchemaRecord& r : records) {
    switch (r.kind) {
      case SchemaRecord::Kind::kType:
        parents_[r.name] = r.rule;
        break;
      case SchemaRecord::Kind::kPredicate: {
        absl::StatusOr<PredicateRule> rule = ParsePredicateRule(r.rule);
        if (!rule.ok()) {
          return absl::DataLossError(StrCat("stored rule of predicate ", r.name, ": ",
                                            rule.status().message()));
        }
        predicates_[r.name] = *std::move(rule);
        break;
      }
      case SchemaRecord::Kind::kQualifier:
        qualifiers_[r.name] = r.rule;
        break;
    }
  }
  return absl::OkStatus();
}

void Schema::SetTypeParent(const std::string& type, const std::string& parent) {
  parents_[type] = parent;
}
void Schema::SetPredicateRule(const std::string& predicate, PredicateRule rule) {
  predicates_[predicate] = std::move(rule);
}
void Schema::SetQualifierKind(const std::string& qualifier, const std::string& kind) {
  qualifiers_[qualifier] = kind;
}

std::vector<SchemaRecord> Schema::ToRecords() const {
  std::vector<SchemaRecord> out;
  for (const auto& [t, parent] : parents_) out.push_back({SchemaRecord::Kind::kType, t, parent});
  for (const auto& [p, rule] : predicates_) {
    out.push_back({SchemaRecord::Kind::kPredicate, p, FormatPredicateRule(rule)});
  }
  for (const auto& [q, kind] : qualifiers_) {
    out.push_back({SchemaRecord::Kind::kQualifier, q, kind});
  }
  return out;
}

bool Schema::HasType(std::string_view type) const { return parents_.contains(std::string(type)); }

bool Schema::IsA(const std::string& type, const std::string& ancestor) const {
  std::string t = type;
  for (int depth = 0; depth < 64 && !t.empty(); ++depth) {  // a cycle cannot hang it
    if (t == ancestor) return true;
    auto it = parents_.find(t);
    if (it == parents_.end()) return false;
    t = it->second;
  }
  return false;
}

const PredicateRule* Schema::RuleOf(const std::string& predicate) const {
  auto it = predicates_.find(predicate);
  return it == predicates_.end() ? nullptr : &it->second;
}

std::string Schema::Conforms(const Term& term, const std::string& want,
                             const TypeOf& type_of) const {
  if (want.empty() || want == "Thing") return "";
  if (IsValueKind(want)) {
    if (KindOf(term) == want) return "";
    return StrCat("is ", KindOf(term).empty() ? TermKindName(term.kind()) : KindOf(term),
                  ", not ", want);
  }
  // A type.
  if (term.kind() == TermKind::kDocument) {
    return IsA("Document", want) ? "" : StrCat("is a document, not ", want);
  }
  if (term.kind() != TermKind::kEntity) {
    return StrCat("is a ", KindOf(term).empty() ? TermKindName(term.kind()) : KindOf(term),
                  ", not an entity of type ", want);
  }
  const std::string type = type_of(std::string(term.text()));
  if (type.empty() || IsA(type, want)) return "";  // untyped: nothing known against it
  return StrCat("is a ", type, ", not ", want);
}

std::vector<Schema::Violation> Schema::CheckEvidence(const Term& claim, const Evidence& evidence,
                                                     const TypeOf& type_of) const {
  using Part = Violation::Part;
  std::vector<Violation> out;
  if (claim.kind() != TermKind::kClaim || IsVerdict(evidence)) return out;
  const Term& p = claim.predicate();
  if (p.kind() != TermKind::kEntity) return out;
  const std::string predicate(p.text());
  // Qualifier values of a declared kind, whatever the predicate.
  for (const Qualifier& q : evidence.qualifiers) {
    auto it = qualifiers_.find(q.key);
    if (it != qualifiers_.end() && KindOf(q.value) != it->second) {
      out.push_back({Part::kPredicate, StrCat("qualifier '", q.key, "' needs a value of kind ",
                                              it->second, ", not ", q.value.ToString())});
    }
  }
  const PredicateRule* rule = RuleOf(predicate);
  if (rule == nullptr) return out;
  if (std::string why = Conforms(claim.subject(), rule->domain, type_of); !why.empty()) {
    out.push_back({Part::kSubject, StrCat("the subject of '", predicate, "' must be ",
                                          rule->domain, ": ", claim.subject().ToString(), " ", why)});
  }
  if (std::string why = Conforms(claim.object(), rule->range, type_of); !why.empty()) {
    out.push_back({Part::kObject, StrCat("the object of '", predicate, "' must be ", rule->range,
                                         ": ", claim.object().ToString(), " ", why)});
  }
  std::set<std::string> keys;
  for (const Qualifier& q : evidence.qualifiers) keys.insert(q.key);
  for (const std::string& q : rule->required_qualifiers) {
    if (!keys.contains(q)) {
      out.push_back({Part::kPredicate,
                     StrCat("evidence for '", predicate, "' needs the qualifier '", q, "'")});
    }
  }
  if (rule->allowed_qualifiers) {
    for (const std::string& k : keys) {
      const auto& allowed = *rule->allowed_qualifiers;
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        out.push_back({Part::kPredicate, StrCat("'", predicate, "' takes only the qualifiers ",
                                                absl::StrJoin(allowed, ", "), ", not '", k, "'")});
      }
    }
  }
  if (!rule->hedges.empty() &&
      std::find(rule->hedges.begin(), rule->hedges.end(), evidence.hedge) == rule->hedges.end()) {
    out.push_back({Part::kPredicate,
                   StrCat("'", predicate, "' may not be hedged '", HedgeName(evidence.hedge), "'")});
  }
  if (!rule->stances.empty() && std::find(rule->stances.begin(), rule->stances.end(),
                                          evidence.stance) == rule->stances.end()) {
    out.push_back({Part::kPredicate, StrCat("'", predicate, "' takes no evidence that ",
                                            StanceName(evidence.stance), " it")});
  }
  return out;
}

}  // namespace kg
