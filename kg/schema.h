// The rules a vocabulary (.kgv) declares beyond its names -- each type's
// parent, each predicate's domain, range, cardinality, qualifiers, hedges
// and stances, each qualifier's kind of value -- kept in the store with it,
// and the check of a claim's evidence against them. The annotated ingest
// refuses a document that breaks a rule (or, lenient, records what it
// broke); `kg check --schema` lists every stored claim that breaks one.
//
// A predicate's rule is written in .kgv field syntax, e.g.
//   @predicate supplied ; domain Agent ; range Thing ; max 3 ;
//              requires quantity ; qualifiers quantity, unit ;
//              hedges asserted, reported ; stances supports
//   @qualifier quantity ; value number
// `domain` and `range` name a type (an entity conforms when its declared
// type is that type or below it; Thing takes every term; Document takes
// documents) or, for `range`, a kind of value: string, number, date,
// document, entity, claim. An entity without a declared type conforms to
// every type (nothing is known against it). `max N`: at most N distinct
// objects per subject. `requires`: qualifiers each piece of evidence must
// have; `qualifiers`: the only ones it may have. Verdicts (kg/verdict.h)
// are checked by their own rules, not these.
#ifndef KG_SCHEMA_H_
#define KG_SCHEMA_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/model.h"

namespace kg {

struct PredicateRule {
  std::string domain, range;  // empty: any
  uint32_t max_objects = 0;   // per subject; 0: no limit
  std::vector<std::string> required_qualifiers;
  std::optional<std::vector<std::string>> allowed_qualifiers;  // nullopt: any
  std::vector<Hedge> hedges;    // empty: any
  std::vector<Stance> stances;  // empty: any
  bool empty() const;
};

// How a stored schema record is named: its kind and the name it rules.
struct SchemaRecord {
  enum class Kind : char { kType = 't', kPredicate = 'p', kQualifier = 'q' };
  Kind kind;
  std::string name;
  std::string rule;  // .kgv fields: "parent Agent", "domain Agent ; range Thing", "value number"
  bool operator==(const SchemaRecord&) const = default;
};

// The kinds of value `range` and `@qualifier ... ; value` may name.
bool IsValueKind(std::string_view name);

class Schema {
 public:
  // Adds stored rules (Snapshot::ListSchema), each replacing the one of the
  // same kind and name. DataLoss for a predicate rule that does not parse.
  absl::Status AddRecords(const std::vector<SchemaRecord>& records);

  // Adds one field of a rule ("domain", "range", "max", "requires",
  // "qualifiers", "hedges", "stances") to `rule`, or says what is wrong with
  // it. `is_type` tells type names.
  static absl::Status ParsePredicateField(std::string_view key, std::string_view value,
                                          const std::function<bool(std::string_view)>& is_type,
                                          PredicateRule* rule);
  // The rule as .kgv fields, and back.
  static std::string FormatPredicateRule(const PredicateRule& rule);
  static absl::StatusOr<PredicateRule> ParsePredicateRule(std::string_view fields);

  void SetTypeParent(const std::string& type, const std::string& parent);
  void SetPredicateRule(const std::string& predicate, PredicateRule rule);
  void SetQualifierKind(const std::string& qualifier, const std::string& kind);
  std::vector<SchemaRecord> ToRecords() const;

  bool HasType(std::string_view type) const;
  // Whether `type` is `ancestor` or below it.
  bool IsA(const std::string& type, const std::string& ancestor) const;
  const PredicateRule* RuleOf(const std::string& predicate) const;

  // One broken rule: what it says, and the part of the claim it is about
  // (where an error is positioned).
  struct Violation {
    enum class Part { kSubject, kPredicate, kObject };
    Part part;
    std::string message;
  };
  // What one piece of evidence of claim (s p o) breaks (empty: nothing).
  // `type_of` gives an entity's declared type ("" if none). `max` is not
  // checked here: it needs the other claims of the subject.
  using TypeOf = std::function<std::string(const std::string& entity)>;
  std::vector<Violation> CheckEvidence(const Term& claim, const Evidence& evidence,
                                       const TypeOf& type_of) const;
  // Whether `term` conforms to a domain or range `want`; "" if so, else why.
  std::string Conforms(const Term& term, const std::string& want, const TypeOf& type_of) const;

 private:
  std::map<std::string, std::string> parents_;  // type -> parent ("" at the top)
  std::map<std::string, PredicateRule> predicates_;
  std::map<std::string, std::string> qualifiers_;  // qualifier -> value kind
};

}  // namespace kg

#endif  // KG_SCHEMA_H_
