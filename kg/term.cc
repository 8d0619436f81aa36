#include "kg/term.h"

#include <charconv>

#include "absl/strings/ascii.h"
#include "kg/str_cat.h"
#include "absl/strings/str_format.h"

namespace kg {
namespace {

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Canonical decimal: optional '-', integer part without leading zeros (at
// least one digit), and a fraction part without trailing zeros (omitted if
// zero).
absl::StatusOr<std::string> CanonicalDecimal(std::string_view lexical) {
  std::string_view s = lexical;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  std::string_view int_part = s.substr(0, dot);
  std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view d) {
    for (char c : d) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (int_part.empty() || !all_digits(int_part) || !all_digits(frac_part) ||
      (dot != std::string_view::npos && frac_part.empty())) {
    return absl::InvalidArgumentError(
        StrCat("invalid decimal '", lexical,
                     "': expected [+-]digits[.digits]"));
  }
  while (int_part.size() > 1 && int_part[0] == '0') int_part.remove_prefix(1);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.remove_suffix(1);
  std::string out;
  if (negative && !(int_part == "0" && frac_part.empty())) out = "-";
  StrAppend(&out, int_part);
  if (!frac_part.empty()) StrAppend(&out, ".", frac_part);
  return out;
}

std::string QuoteString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

bool ParseInt(std::string_view s, int* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string_view TermKindName(TermKind kind) {
  switch (kind) {
    case TermKind::kEntity: return "entity";
    case TermKind::kIri: return "iri";
    case TermKind::kDocument: return "document";
    case TermKind::kString: return "string";
    case TermKind::kInteger: return "integer";
    case TermKind::kDecimal: return "decimal";
    case TermKind::kDate: return "date";
    case TermKind::kQuantity: return "quantity";
    case TermKind::kClaim: return "claim";
    case TermKind::kBlankNode: return "blank node";
    case TermKind::kTypedLiteral: return "typed literal";
  }
  return "unknown";
}

int64_t DaysFromEpoch(const Date& date) {
  // Days-from-civil over the proleptic Gregorian calendar, with March as the
  // first month of the computational year so the leap day is last.
  const int64_t m = date.month == 0 ? 1 : date.month;
  const int64_t d = date.day == 0 ? 1 : date.day;
  const int64_t y = date.year - (m <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::string FormatDate(const Date& date) {
  std::string out = date.year < 0 ? absl::StrFormat("-%04d", -date.year)
                                  : absl::StrFormat("%04d", date.year);
  if (date.month != 0) absl::StrAppendFormat(&out, "-%02d", date.month);
  if (date.day != 0) absl::StrAppendFormat(&out, "-%02d", date.day);
  return out;
}

Term::Term() = default;

Term Term::Entity(std::string_view name) {
  Term t;
  t.kind_ = TermKind::kEntity;
  t.text_ = std::string(name);
  return t;
}

Term Term::Iri(std::string_view iri) {
  Term t;
  t.kind_ = TermKind::kIri;
  t.text_ = std::string(iri);
  return t;
}

Term Term::Document(std::string_view id) {
  Term t;
  t.kind_ = TermKind::kDocument;
  t.text_ = std::string(id);
  return t;
}

Term Term::String(std::string_view text, std::string_view lang) {
  Term t;
  t.kind_ = TermKind::kString;
  t.text_ = std::string(text);
  t.extra_ = std::string(lang);
  for (char& c : t.extra_) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return t;
}

Term Term::Integer(int64_t value) {
  Term t;
  t.kind_ = TermKind::kInteger;
  t.integer_ = value;
  return t;
}

absl::StatusOr<Term> Term::Decimal(std::string_view lexical) {
  auto canonical = CanonicalDecimal(lexical);
  if (!canonical.ok()) return canonical.status();
  Term t;
  t.kind_ = TermKind::kDecimal;
  t.text_ = *std::move(canonical);
  return t;
}

absl::StatusOr<Term> Term::DateOf(Date date) {
  const bool ok = date.year >= -9999 && date.year <= 9999 && date.month <= 12 &&
                  (date.month != 0 || date.day == 0) &&
                  (date.day == 0 || date.day <= DaysInMonth(date.year, date.month));
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "invalid date %d-%d-%d", date.year, date.month, date.day));
  }
  Term t;
  t.kind_ = TermKind::kDate;
  t.date_ = date;
  return t;
}

absl::StatusOr<Term> Term::ParseDate(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(StrCat(
        "invalid date '", text, "': expected YYYY, YYYY-MM or YYYY-MM-DD"));
  };
  auto digits = [](std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  Date d;
  std::string_view rest = text;
  if (rest.size() < 4 || !digits(rest.substr(0, 4))) return bad();
  int v = 0;
  if (!ParseInt(rest.substr(0, 4), &v)) return bad();
  d.year = v;
  rest.remove_prefix(4);
  if (!rest.empty()) {
    if (rest.size() < 3 || rest[0] != '-' || !digits(rest.substr(1, 2))) return bad();
    if (!ParseInt(rest.substr(1, 2), &v) || v < 1) return bad();
    d.month = static_cast<uint8_t>(v);
    rest.remove_prefix(3);
  }
  if (!rest.empty()) {
    if (rest.size() != 3 || rest[0] != '-' || !digits(rest.substr(1, 2))) return bad();
    if (!ParseInt(rest.substr(1, 2), &v) || v < 1) return bad();
    d.day = static_cast<uint8_t>(v);
  }
  auto t = DateOf(d);
  if (!t.ok()) return bad();
  return t;
}

absl::StatusOr<Term> Term::Quantity(std::string_view amount,
                                    std::string_view unit) {
  auto canonical = CanonicalDecimal(amount);
  if (!canonical.ok()) return canonical.status();
  if (unit.empty()) {
    return absl::InvalidArgumentError(
        StrCat("quantity ", amount, " has no unit"));
  }
  Term t;
  t.kind_ = TermKind::kQuantity;
  t.text_ = *std::move(canonical);
  t.extra_ = std::string(unit);
  return t;
}

Term Term::Claim(Term subject, Term predicate, Term object) {
  Term t;
  t.kind_ = TermKind::kClaim;
  t.triple_ = std::make_shared<const std::array<Term, 3>>(std::array<Term, 3>{
      std::move(subject), std::move(predicate), std::move(object)});
  return t;
}

Term Term::BlankNode(std::string_view label) {
  Term t;
  t.kind_ = TermKind::kBlankNode;
  t.text_ = std::string(label);
  return t;
}

Term Term::TypedLiteral(std::string_view lexical, std::string_view datatype_iri) {
  Term t;
  t.kind_ = TermKind::kTypedLiteral;
  t.text_ = std::string(lexical);
  t.extra_ = std::string(datatype_iri);
  return t;
}

std::string Term::ToString() const {
  switch (kind_) {
    case TermKind::kEntity: return text_;
    case TermKind::kIri: return StrCat("<", text_, ">");
    case TermKind::kDocument: return StrCat("doc:", text_);
    case TermKind::kString:
      return extra_.empty() ? QuoteString(text_)
                            : StrCat(QuoteString(text_), "@", extra_);
    case TermKind::kInteger: return StrCat(integer_);
    case TermKind::kDecimal: return text_;
    case TermKind::kDate: return FormatDate(date_);
    case TermKind::kQuantity: return StrCat(text_, " ", QuoteString(extra_));
    case TermKind::kBlankNode: return StrCat("_:", text_);
    case TermKind::kTypedLiteral: return StrCat(QuoteString(text_), "^^<", extra_, ">");
    case TermKind::kClaim:
      return StrCat("<< ", subject().ToString(), " ",
                          predicate().ToString(), " ", object().ToString(),
                          " >>");
  }
  return "";
}

bool Term::operator==(const Term& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case TermKind::kInteger: return integer_ == other.integer_;
    case TermKind::kDate: return date_ == other.date_;
    case TermKind::kClaim:
      return subject() == other.subject() && predicate() == other.predicate() &&
             object() == other.object();
    default: return text_ == other.text_ && extra_ == other.extra_;
  }
}

}  // namespace kg
