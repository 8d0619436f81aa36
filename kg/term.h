// Terms: the values a triple is made of. A term is a named entity (an entity,
// agent, predicate or type from the vocabulary), an IRI, a document, a
// literal (string with optional language tag, integer, decimal, date, or a
// quantity with a unit), or a claim -- a whole triple used as a value, so a
// claim can be the subject or object of another triple (RDF 1.2 triple terms).
//
// Term is an immutable value type; copies are cheap (claims share their
// components). Thread-safe for concurrent reads.
#ifndef KG_TERM_H_
#define KG_TERM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kg {

enum class TermKind : uint8_t {
  kEntity,
  kIri,
  kDocument,
  kString,
  kInteger,
  kDecimal,
  kDate,
  kQuantity,
  kClaim,
  kBlankNode,     // an RDF blank node, by its (store-scoped) label
  kTypedLiteral,  // any other RDF literal: lexical form + datatype IRI
};

std::string_view TermKindName(TermKind kind);

// A calendar date with a precision: month == 0 means "the year", day == 0
// means "the month" ("June 2024"). Proleptic Gregorian calendar.
struct Date {
  int32_t year = 1970;
  uint8_t month = 0;  // 0 or 1..12
  uint8_t day = 0;    // 0 or 1..31; must be 0 when month is 0

  bool operator==(const Date&) const = default;
};

class Term {
 public:
  // Default: the empty string literal.
  Term();

  static Term Entity(std::string_view name);
  static Term Iri(std::string_view iri);
  static Term Document(std::string_view id);
  // A string literal; `lang` is a BCP 47 tag (stored lower-cased) or empty.
  static Term String(std::string_view text, std::string_view lang = "");
  static Term Integer(int64_t value);
  // `lexical` is [+-]?digits[.digits]; stored in canonical form (no leading
  // or trailing zeros, "-0" is "0"), so 1.50 and 1.5 are the same term.
  static absl::StatusOr<Term> Decimal(std::string_view lexical);
  static absl::StatusOr<Term> DateOf(Date date);
  // Parses YYYY, YYYY-MM or YYYY-MM-DD.
  static absl::StatusOr<Term> ParseDate(std::string_view text);
  // `amount` as for Decimal; `unit` is a non-empty free-text unit name.
  static absl::StatusOr<Term> Quantity(std::string_view amount,
                                       std::string_view unit);
  static Term Claim(Term subject, Term predicate, Term object);
  static Term BlankNode(std::string_view label);
  // A literal of a datatype kg has no native kind for; `lexical` is kept
  // exactly (RDF literals are identified by their lexical form).
  static Term TypedLiteral(std::string_view lexical, std::string_view datatype_iri);

  TermKind kind() const { return kind_; }
  // Entity name, IRI, document id, string text, decimal lexical form,
  // quantity amount, blank node label, or typed literal lexical form. Empty
  // for integers, dates and claims.
  const std::string& text() const { return text_; }
  // Language tag of a string, unit of a quantity, datatype IRI of a typed
  // literal; empty otherwise.
  const std::string& extra() const { return extra_; }
  // REQUIRES: kind() == kInteger.
  int64_t integer() const { return integer_; }
  // REQUIRES: kind() == kDate.
  Date date() const { return date_; }
  // REQUIRES: kind() == kClaim.
  const Term& subject() const { return (*triple_)[0]; }
  const Term& predicate() const { return (*triple_)[1]; }
  const Term& object() const { return (*triple_)[2]; }

  // Human-readable form: Iran, <http://x>, doc:wsj-2024, "text"@en, 42, 1.5,
  // 2024-06, 2700 "drones/month", << Iran supplied Shahed >>, _:b1,
  // "x"^^<http://dt>.
  std::string ToString() const;

  bool operator==(const Term& other) const;

 private:
  TermKind kind_ = TermKind::kString;
  std::string text_;
  std::string extra_;
  int64_t integer_ = 0;
  Date date_;
  std::shared_ptr<const std::array<Term, 3>> triple_;
};

// Days from 1970-01-01 to the first day of `date`'s period.
int64_t DaysFromEpoch(const Date& date);

std::string FormatDate(const Date& date);

}  // namespace kg

#endif  // KG_TERM_H_
