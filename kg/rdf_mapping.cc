#include "kg/rdf_mapping.h"

#include <charconv>

#include "kg/str_cat.h"

namespace kg {
namespace {

bool Unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string Xsd(std::string_view local) { return StrCat(kXsdNs, local); }

}  // namespace

std::string KgIri(std::string_view local) { return StrCat(kKgVocabNs, local); }

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (Unreserved(c)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      StrAppend(&out, '%', kHex[b >> 4], kHex[b & 15]);
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string BlankScope(std::string_view doc_id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "d";
  for (char c : doc_id) {
    const auto b = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
      out.push_back(c);
    } else if (c == '_') {
      out += "__";
    } else {
      StrAppend(&out, '_', kHex[b >> 4], kHex[b & 15]);
    }
  }
  return out;
}

RdfTerm ToRdf(const Term& t, const SubjectClaimFn& subject_claim) {
  switch (t.kind()) {
    case TermKind::kEntity: return RdfTerm::Iri(StrCat(kKgEntityNs, PercentEncode(t.text())));
    case TermKind::kDocument: return RdfTerm::Iri(StrCat(kKgDocNs, PercentEncode(t.text())));
    case TermKind::kIri: return RdfTerm::Iri(t.text());
    case TermKind::kString: {
      if (t.extra().empty()) return RdfTerm::Literal(t.text());
      const size_t dir = t.extra().find("--");
      if (dir == std::string::npos) return RdfTerm::LangLiteral(t.text(), t.extra());
      const std::string_view d = std::string_view(t.extra()).substr(dir + 2);
      return RdfTerm::LangLiteral(t.text(), t.extra().substr(0, dir),
                                  d == "rtl" ? BaseDirection::kRtl : BaseDirection::kLtr);
    }
    case TermKind::kInteger: return RdfTerm::Literal(StrCat(t.integer()), Xsd("integer"));
    case TermKind::kDecimal: return RdfTerm::Literal(t.text(), Xsd("decimal"));
    case TermKind::kDate: {
      const Date d = t.date();
      const char* type = d.month == 0 ? "gYear" : (d.day == 0 ? "gYearMonth" : "date");
      return RdfTerm::Literal(FormatDate(d), Xsd(type));
    }
    case TermKind::kQuantity:
      return RdfTerm::Literal(StrCat(t.text(), " ", t.extra()), KgIri("quantity"));
    case TermKind::kClaim: {
      const bool reify = subject_claim && t.subject().kind() == TermKind::kClaim;
      return RdfTerm::TripleTerm(reify ? subject_claim(t.subject()) : ToRdf(t.subject(), subject_claim),
                                 ToRdf(t.predicate(), subject_claim), ToRdf(t.object(), subject_claim));
    }
    case TermKind::kBlankNode: return RdfTerm::BlankNode(t.text());
    case TermKind::kTypedLiteral: return RdfTerm::Literal(t.text(), t.extra());
  }
  return RdfTerm::Literal("");
}

absl::StatusOr<Term> FromRdf(const RdfTerm& r, std::string_view blank_scope,
                             const std::map<std::string, RdfTerm>* reified) {
  switch (r.kind) {
    case RdfTerm::Kind::kIri: {
      const std::string_view iri = r.value;
      for (auto [ns, is_doc] : {std::pair{kKgEntityNs, false}, std::pair{kKgDocNs, true}}) {
        if (!iri.starts_with(ns)) continue;
        auto name = PercentDecode(iri.substr(ns.size()));
        if (!name || name->empty()) {
          return absl::InvalidArgumentError(StrCat("malformed kg IRI <", iri, ">"));
        }
        return is_doc ? Term::Document(*name) : Term::Entity(*name);
      }
      return Term::Iri(iri);
    }
    case RdfTerm::Kind::kBlankNode: {
      if (reified != nullptr) {
        if (auto it = reified->find(r.value); it != reified->end()) {
          return FromRdf(it->second, blank_scope, reified);
        }
      }
      const std::string prefix = StrCat(blank_scope, ".");
      if (std::string_view(r.value).starts_with(prefix)) return Term::BlankNode(r.value);
      return Term::BlankNode(StrCat(prefix, r.value));
    }
    case RdfTerm::Kind::kTripleTerm: {
      auto s = FromRdf(r.triple->s, blank_scope, reified);
      if (!s.ok()) return s.status();
      auto p = FromRdf(r.triple->p, blank_scope, reified);
      if (!p.ok()) return p.status();
      auto o = FromRdf(r.triple->o, blank_scope, reified);
      if (!o.ok()) return o.status();
      return Term::Claim(*s, *p, *o);
    }
    case RdfTerm::Kind::kLiteral:
      break;
  }
  const std::string& dt = r.datatype;
  const std::string& lex = r.value;
  if (!r.language.empty()) {
    std::string lang = r.language;
    if (r.direction == BaseDirection::kLtr) lang += "--ltr";
    if (r.direction == BaseDirection::kRtl) lang += "--rtl";
    return Term::String(lex, lang);
  }
  if (dt.empty() || dt == kXsdString) return Term::String(lex);
  // Native kinds only when the lexical form is already canonical, so the
  // literal round-trips exactly.
  if (dt == Xsd("integer")) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(lex.data(), lex.data() + lex.size(), v);
    if (ec == std::errc() && end == lex.data() + lex.size() && StrCat(v) == lex) {
      return Term::Integer(v);
    }
  } else if (dt == Xsd("decimal")) {
    auto d = Term::Decimal(lex);
    if (d.ok() && d->text() == lex) return *d;
  } else if (dt == Xsd("date") || dt == Xsd("gYearMonth") || dt == Xsd("gYear")) {
    auto d = Term::ParseDate(lex);
    const size_t want = dt == Xsd("date") ? 10 : (dt == Xsd("gYearMonth") ? 7 : 4);
    if (d.ok() && lex.size() == want && FormatDate(d->date()) == lex) return *d;
  } else if (dt == KgIri("quantity")) {
    const size_t space = lex.find(' ');
    if (space != std::string::npos) {
      auto q = Term::Quantity(lex.substr(0, space), lex.substr(space + 1));
      if (q.ok() && StrCat(q->text(), " ", q->extra()) == lex) return *q;
    }
  }
  return Term::TypedLiteral(lex, dt);
}

Term GraphName(std::string_view doc_id) {
  return IsAbsoluteIri(doc_id) ? Term::Iri(doc_id) : Term::Document(doc_id);
}

}  // namespace kg
