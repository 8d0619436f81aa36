// SPARQL's value space (sparql_values.h): numbers and their promotion,
// booleans, dates, the comparison operators, casts, effective boolean
// values, ORDER BY's total order and the aggregates.
#include "query/sparql_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "re2/re2.h"

namespace kg::query::sparql {

constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
using OptTerm = std::optional<Term>;

static std::string Xsd(std::string_view local) { return StrCat(kXsd, local); }

bool IsIriLike(const Term& t) {
  return t.kind() == TermKind::kIri || t.kind() == TermKind::kEntity ||
         t.kind() == TermKind::kDocument;
}
bool IsLiteral(const Term& t) {
  return !IsIriLike(t) && t.kind() != TermKind::kBlankNode && t.kind() != TermKind::kClaim;
}
bool IsPlainString(const Term& t) { return t.kind() == TermKind::kString && t.extra().empty(); }
bool IsString(const Term& t) { return t.kind() == TermKind::kString; }

std::string Datatype(const Term& t) {
  const RdfTerm r = ToRdf(t);
  return r.datatype.empty() ? Xsd("string") : r.datatype;
}
std::string Lexical(const Term& t) { return ToRdf(t).value; }

static Term Typed(std::string lexical, std::string_view local) {
  auto t = FromRdf(RdfTerm::Literal(std::move(lexical), Xsd(local)), "q");
  return t.ok() ? *t : Term::String("");
}


std::optional<Num> NumberOf(const Term& t) {
  Num n;
  if (t.kind() == TermKind::kInteger) {
    n.i = t.integer();
    n.v = static_cast<long double>(n.i);
    return n;
  }
  std::string lex;
  if (t.kind() == TermKind::kDecimal) {
    n.rank = 1;
    lex = t.text();
  } else if (t.kind() == TermKind::kTypedLiteral) {
    std::string_view dt = t.extra();
    if (!dt.starts_with(kXsd)) return std::nullopt;
    dt.remove_prefix(kXsd.size());
    static constexpr std::string_view kIntegers[] = {
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
        "unsignedByte"};
    if (std::find(std::begin(kIntegers), std::end(kIntegers), dt) != std::end(kIntegers)) {
      n.rank = 0;
    } else if (dt == "decimal") {
      n.rank = 1;
    } else if (dt == "float") {
      n.rank = 2;
    } else if (dt == "double") {
      n.rank = 3;
    } else {
      return std::nullopt;
    }
    lex = std::string(absl::StripAsciiWhitespace(t.text()));
  } else {
    return std::nullopt;
  }
  if (n.rank >= 2) {
    if (lex == "INF" || lex == "+INF") { n.v = INFINITY; return n; }
    if (lex == "-INF") { n.v = -INFINITY; return n; }
    if (lex == "NaN") { n.v = NAN; return n; }
  }
  if (lex.empty()) return std::nullopt;
  // Validate the lexical form strictly enough to reject "abc" and "1.2.3".
  size_t k = (lex[0] == '+' || lex[0] == '-') ? 1 : 0;
  bool digits = false, dot = false, exp = false;
  for (; k < lex.size(); ++k) {
    const char c = lex[k];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp && n.rank >= 1) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && !exp && digits && n.rank >= 2) {
      exp = true;
      digits = false;
      if (k + 1 < lex.size() && (lex[k + 1] == '+' || lex[k + 1] == '-')) ++k;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  if (n.rank == 0) {
    const char* b = lex.data() + (lex[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, lex.data() + lex.size(), n.i);
    if (ec != std::errc()) return std::nullopt;
    n.v = static_cast<long double>(n.i);
    return n;
  }
  n.v = std::strtold(lex.c_str(), nullptr);
  return n;
}

static std::string DoubleLexical(long double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), static_cast<double>(v),
                                 std::chars_format::scientific);
  std::string s(buf, end);
  const size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exponent = std::atoi(s.c_str() + e + 1);
  if (mant.find('.') == std::string::npos) mant += ".0";
  return StrCat(mant, "E", exponent);
}

static std::string DecimalLexical(long double v) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%.18Lf", v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

Term MakeNum(int rank, long double v, int64_t i) {
  switch (rank) {
    case 0: return Term::Integer(i);
    case 1: {
      auto d = Term::Decimal(DecimalLexical(v));
      return d.ok() ? *d : Term::TypedLiteral(DecimalLexical(v), Xsd("decimal"));
    }
    case 2: return Term::TypedLiteral(DoubleLexical(static_cast<float>(v)), Xsd("float"));
    default: return Term::TypedLiteral(DoubleLexical(v), Xsd("double"));
  }
}

std::optional<bool> BooleanOf(const Term& t) {
  if (t.kind() != TermKind::kTypedLiteral || t.extra() != Xsd("boolean")) return std::nullopt;
  if (t.text() == "true" || t.text() == "1") return true;
  if (t.text() == "false" || t.text() == "0") return false;
  return std::nullopt;
}

// A date or dateTime as a comparable string (the lexical form; exact for
// forms with the same time zone) or days for kg's native dates.
std::optional<std::string> DateKey(const Term& t) {
  if (t.kind() == TermKind::kDate) return FormatDate(t.date());
  if (t.kind() == TermKind::kTypedLiteral &&
      (t.extra() == Xsd("dateTime") || t.extra() == Xsd("date"))) {
    return t.text();
  }
  return std::nullopt;
}

// `a op b` for op in = != < <= > >=; nullopt is a type error.
std::optional<bool> Compare(const Term& a, const Term& b, std::string_view op) {
  int c = 0;
  bool ordered = true;
  const auto na = NumberOf(a), nb = NumberOf(b);
  if (na && nb) {
    if (std::isnan(na->v) || std::isnan(nb->v)) return op == "!=";
    if (na->rank == 0 && nb->rank == 0) {
      c = na->i < nb->i ? -1 : (na->i > nb->i ? 1 : 0);
    } else {
      c = na->v < nb->v ? -1 : (na->v > nb->v ? 1 : 0);
    }
  } else if (IsString(a) && IsString(b) && a.extra() == b.extra()) {
    c = a.text().compare(b.text());
    c = c < 0 ? -1 : (c > 0 ? 1 : 0);
    if (!a.extra().empty() && op != "=" && op != "!=") return std::nullopt;
  } else if (BooleanOf(a) && BooleanOf(b)) {
    c = static_cast<int>(*BooleanOf(a)) - static_cast<int>(*BooleanOf(b));
  } else if (DateKey(a) && DateKey(b) && Datatype(a) == Datatype(b)) {
    c = DateKey(a)->compare(*DateKey(b));
    c = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else {
    ordered = false;
  }
  if (!ordered) {
    if (op != "=" && op != "!=") return std::nullopt;
    if (a == b) return op == "=";
    // Two literals of types whose values cannot be compared: an error,
    // unless the types say they are different values.
    const bool lang_a = IsString(a) && !a.extra().empty();
    const bool lang_b = IsString(b) && !b.extra().empty();
    if (IsLiteral(a) && IsLiteral(b) && !lang_a && !lang_b) {
      const bool known_a = IsString(a) || na || BooleanOf(a) || DateKey(a);
      const bool known_b = IsString(b) || nb || BooleanOf(b) || DateKey(b);
      if (!(known_a && known_b)) return std::nullopt;
    }
    return op == "!=";
  }
  if (op == "=") return c == 0;
  if (op == "!=") return c != 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

std::optional<Term> Cast(const Term& v, std::string_view dt) {
  const std::string lex = IsLiteral(v) ? Lexical(v) : (IsIriLike(v) ? ToRdf(v).value : "");
  if (v.kind() == TermKind::kBlankNode || v.kind() == TermKind::kClaim) return std::nullopt;
  if (dt == "string") {
    // The canonical form of the value: "false" for "0"^^xsd:boolean, 33.33
    // for "+33.3300"^^xsd:decimal.
    if (const auto b = BooleanOf(v)) return Term::String(*b ? "true" : "false");
    if (const auto n = NumberOf(v)) {
      if (n->rank == 0) return Term::String(StrCat(n->i));
      if (n->rank == 1) {
        auto d = Term::Decimal(lex);
        if (d.ok()) return Term::String(d->text().find('.') == std::string::npos ? d->text() : d->text());
      }
    }
    return Term::String(lex);
  }
  if (IsIriLike(v)) return std::nullopt;
  const auto n = NumberOf(v);
  const auto b = BooleanOf(v);
  const bool from_string = IsPlainString(v);
  if (dt == "boolean") {
    if (b) return Boolean(*b);
    if (n) return Boolean(!(n->v == 0 || std::isnan(n->v)));
    if (from_string && (lex == "true" || lex == "1")) return Boolean(true);
    if (from_string && (lex == "false" || lex == "0")) return Boolean(false);
    return std::nullopt;
  }
  if (dt == "integer" || dt == "decimal" || dt == "float" || dt == "double") {
    const int rank = dt == "integer" ? 0 : dt == "decimal" ? 1 : dt == "float" ? 2 : 3;
    std::optional<Num> src = n;
    if (b) src = Num{0, *b ? 1.0L : 0.0L, *b ? 1 : 0};
    if (from_string) src = NumberOf(Term::TypedLiteral(lex, Xsd(dt)));
    if (!src) return std::nullopt;
    if (rank <= 1 && (std::isnan(src->v) || std::isinf(src->v))) return std::nullopt;
    if (rank == 0) {
      const int64_t i = src->rank == 0 ? src->i : static_cast<int64_t>(std::trunc(src->v));
      return Term::Integer(i);
    }
    if (rank == 1 && (from_string || src->rank <= 1) && !b) {
      // Exact: a decimal or integer lexical form is already a decimal.
      auto d = Term::Decimal(from_string ? lex : Lexical(v));
      if (d.ok()) return *d;
    }
    return MakeNum(rank, src->v, src->i);
  }
  if (dt == "dateTime" || dt == "date") {
    if (!from_string && !DateKey(v)) return std::nullopt;
    const std::string source = from_string ? "" : Datatype(v);
    if (dt == "dateTime" && source == Xsd("date")) {
      // A date is the dateTime at its midnight, in its time zone if any.
      const size_t tz = lex.find_first_of("Z+-", lex.size() >= 10 ? 10 : lex.size());
      const std::string day = lex.substr(0, tz);
      return Term::TypedLiteral(
          StrCat(day, "T00:00:00", tz == std::string::npos ? "" : lex.substr(tz)), Xsd(dt));
    }
    if (dt == "date" && source == Xsd("dateTime")) {
      const size_t t = lex.find('T');
      const size_t tz = lex.find_first_of("Z+-", t == std::string::npos ? lex.size() : t);
      return Term::TypedLiteral(
          StrCat(lex.substr(0, t), tz == std::string::npos ? "" : lex.substr(tz)), Xsd(dt));
    }
    if (from_string) {
      // The lexical form must be one of the type's.
      static const RE2 kDate("-?\\d{4,}-\\d{2}-\\d{2}(Z|[+-]\\d{2}:\\d{2})?");
      static const RE2 kDateTime(
          "-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");
      if (!RE2::FullMatch(lex, dt == "date" ? kDate : kDateTime)) return std::nullopt;
    }
    return Term::TypedLiteral(lex, Xsd(dt));
  }
  return std::nullopt;
}



Term Boolean(bool b) { return Term::TypedLiteral(b ? "true" : "false", Xsd("boolean")); }

std::optional<bool> EffectiveBoolean(const Term& t) {
  if (t.kind() == TermKind::kTypedLiteral && t.extra() == Xsd("boolean")) {
    return BooleanOf(t).value_or(false);
  }
  if (IsString(t)) return !t.text().empty();
  if (t.kind() == TermKind::kInteger || t.kind() == TermKind::kDecimal ||
      t.kind() == TermKind::kTypedLiteral) {
    const auto n = NumberOf(t);
    if (n) return !(n->v == 0 || std::isnan(n->v));
    if (t.kind() == TermKind::kTypedLiteral && Datatype(t).starts_with(kXsd)) {
      const std::string_view dt = std::string_view(t.extra()).substr(kXsd.size());
      if (dt == "integer" || dt == "decimal" || dt == "double" || dt == "float" || dt == "int") {
        return false;  // an invalid number
      }
    }
  }
  return std::nullopt;
}

int OrderCompare(const OptTerm& a, const OptTerm& b) {
  auto cls = [](const OptTerm& t) {
    if (!t) return 0;
    if (t->kind() == TermKind::kBlankNode) return 1;
    if (IsIriLike(*t)) return 2;
    if (t->kind() == TermKind::kClaim) return 4;
    return 3;
  };
  const int ca = cls(a), cb = cls(b);
  if (ca != cb) return ca < cb ? -1 : 1;
  if (ca == 0) return 0;
  if (ca == 3) {
    if (auto lt = Compare(*a, *b, "<"); lt && *lt) return -1;
    if (auto gt = Compare(*a, *b, ">"); gt && *gt) return 1;
    if (auto eq = Compare(*a, *b, "="); eq && *eq) {
      // Equal values of different forms ("1" and "01"): by form, to be total.
    }
    const int d = Datatype(*a).compare(Datatype(*b));
    if (d != 0 && !(NumberOf(*a) && NumberOf(*b))) return d < 0 ? -1 : 1;
  }
  const int c = Lexical(*a).compare(Lexical(*b));
  if (c != 0) return c < 0 ? -1 : 1;
  const int l = a->extra().compare(b->extra());
  return l < 0 ? -1 : (l > 0 ? 1 : 0);
}

std::optional<Term> Aggregate(const Expr& agg, const std::vector<OptTerm>& in) {
  std::vector<OptTerm> values;
  if (agg.distinct) {
    for (const OptTerm& v : in) {
      if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
    }
  } else {
    values = in;
  }
  const std::string& f = agg.name;
  if (f == "COUNT") {
    int64_t n = 0;
    for (const OptTerm& v : values) n += v.has_value() || agg.star;
    return Term::Integer(n);
  }
  if (f == "SAMPLE") {
    for (const OptTerm& v : values) {
      if (v) return v;
    }
    return std::nullopt;
  }
  if (f == "GROUP_CONCAT") {
    std::string out;
    std::string lang;
    bool first = true, same_lang = true;
    for (const OptTerm& v : values) {
      if (!v || !IsString(*v)) return std::nullopt;
      if (first) lang = v->extra();
      same_lang &= v->extra() == lang;
      if (!first) out += agg.separator;
      out += v->text();
      first = false;
    }
    (void)same_lang;
    return Term::String(out);
  }
  if (f == "MIN" || f == "MAX") {
    OptTerm best;
    bool any = false;
    for (const OptTerm& v : values) {
      if (!v) return std::nullopt;
      if (!any || (f == "MIN" ? OrderCompare(v, best) < 0 : OrderCompare(v, best) > 0)) best = v;
      any = true;
    }
    return best;
  }
  // SUM, AVG
  int rank = 0;
  long double sum = 0;
  int64_t isum = 0;
  for (const OptTerm& v : values) {
    if (!v) return std::nullopt;
    const auto n = NumberOf(*v);
    if (!n) return std::nullopt;
    rank = std::max(rank, n->rank);
    sum += n->v;
    isum += n->i;
  }
  if (f == "SUM") return MakeNum(rank, sum, isum);
  if (values.empty()) return Term::Integer(0);
  return MakeNum(std::max(rank, 1), sum / static_cast<long double>(values.size()), 0);
}
}  // namespace kg::query::sparql
