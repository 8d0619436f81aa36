#include "query/sparql_expr.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "openssl/evp.h"
#include "re2/re2.h"

namespace kg::query::sparql {
namespace {

constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
using OptTerm = std::optional<Term>;

std::string Xsd(std::string_view local) { return StrCat(kXsd, local); }

// A string argument's text and tag; nullopt if not a string literal.
struct Str {
  std::string text, lang;
};
std::optional<Str> StringOf(const Term& t) {
  if (!IsString(t)) return std::nullopt;
  return Str{t.text(), t.extra()};
}
// Arguments of CONTAINS, STRSTARTS ... are compatible: the second is plain
// or has the first's tag.
bool Compatible(const Str& a, const Str& b) { return b.lang.empty() || a.lang == b.lang; }

Term StringLike(std::string text, const std::string& lang) { return Term::String(text, lang); }

std::string SubstrCodePoints(const std::string& s, long double start, std::optional<long double> len) {
  std::vector<size_t> offsets;
  for (size_t k = 0; k < s.size(); ++k) {
    if (!IsUtf8Continuation(s[k])) offsets.push_back(k);
  }
  offsets.push_back(s.size());
  const long double first = std::round(start);
  const long double last = len ? first + std::round(*len) : INFINITY;
  std::string out;
  for (size_t cp = 0; cp + 1 < offsets.size(); ++cp) {
    const long double pos = static_cast<long double>(cp + 1);
    if (pos >= first && pos < last) out.append(s, offsets[cp], offsets[cp + 1] - offsets[cp]);
  }
  return out;
}

// The RE2 pattern of an XPath regular expression with `flags`: i, s and m
// as RE2's own; q quotes the whole pattern; x drops white space outside
// character classes. nullopt for an unknown flag.
std::optional<std::string> RegexPattern(const std::string& pattern, const std::string& flags) {
  std::string re2_flags;
  bool quote = false, extended = false;
  for (char f : flags) {
    if (f == 'i' || f == 's' || f == 'm') {
      re2_flags.push_back(f);
    } else if (f == 'q') {
      quote = true;
    } else if (f == 'x') {
      extended = true;
    } else {
      return std::nullopt;
    }
  }
  std::string body = pattern;
  if (quote) {
    body = RE2::QuoteMeta(pattern);
  } else if (extended) {
    body.clear();
    int in_class = 0;
    for (char c : pattern) {
      if (c == '[') ++in_class;
      if (c == ']' && in_class > 0) --in_class;
      if (!in_class && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
      body.push_back(c);
    }
  }
  return re2_flags.empty() ? body : StrCat("(?", re2_flags, ")", body);
}

// A hex digest by OpenSSL's name ("MD5", "SHA1", ...).
std::optional<std::string> HexDigest(const char* name, std::string_view data) {
  const EVP_MD* md = EVP_get_digestbyname(name);
  if (md == nullptr) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &n, md, nullptr) != 1) return std::nullopt;
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int k = 0; k < n; ++k) {
    out.push_back(kHex[digest[k] >> 4]);
    out.push_back(kHex[digest[k] & 15]);
  }
  return out;
}

}  // namespace

SparqlExpr::SparqlExpr(
    ExprPtr expr, const absl::flat_hash_map<std::string, int>* slots,
    const absl::flat_hash_map<const Expr*, std::vector<Step>>* exists, std::string text)
    : expr_(std::move(expr)), slots_(slots), exists_(exists),
      text_(std::move(text)) {}

absl::StatusOr<std::optional<Value>> SparqlExpr::Eval(Executor& exec, const Row& row) const {
  KG_ASSIGN_OR_RETURN(OptTerm t, EvalNode(*expr_, exec, row, nullptr));
  if (!t) return std::optional<Value>();
  return std::optional<Value>(Value::Of(*std::move(t)));
}

absl::StatusOr<bool> SparqlExpr::Test(Executor& exec, const Row& row) const {
  KG_ASSIGN_OR_RETURN(OptTerm t, EvalNode(*expr_, exec, row, nullptr));
  if (!t) return false;
  return EffectiveBoolean(*t).value_or(false);
}

std::vector<int> SparqlExpr::Vars() const {
  std::vector<int> out;
  bool has_exists = false;
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kNotExists) has_exists = true;
    if (e.kind == Expr::Kind::kVar) {
      auto it = slots_->find(e.name);
      out.push_back(it == slots_->end() ? -1 : it->second);
    }
    if (e.kind == Expr::Kind::kCall && e.name == "BOUND") out.push_back(-1);
    for (const ExprPtr& c : e.children) walk(*c);
  };
  walk(*expr_);
  // EXISTS and BOUND depend on what the whole group binds: at its end.
  if (has_exists) out.push_back(-1);
  return out;
}

absl::StatusOr<OptTerm> SparqlExpr::EvalTerm(Executor& exec, const Row& row,
                                             const AggregateValues* aggregates) const {
  return EvalNode(*expr_, exec, row, aggregates);
}

absl::StatusOr<OptTerm> SparqlExpr::EvalNode(const Expr& e, Executor& exec, const Row& row,
                                             const AggregateValues* aggs) const {
  KG_RETURN_IF_ERROR(exec.ctx().Tick());
  auto eval = [&](const ExprPtr& c) { return EvalNode(*c, exec, row, aggs); };
  switch (e.kind) {
    case Expr::Kind::kConst: return OptTerm(e.term);
    case Expr::Kind::kVar: {
      auto it = slots_->find(e.name);
      if (it == slots_->end() || row[it->second].is_null()) return OptTerm();
      return exec.ctx().AsTerm(row[it->second]);
    }
    case Expr::Kind::kAggregate: {
      if (aggs == nullptr) return OptTerm();
      auto it = aggs->find(&e);
      return it == aggs->end() ? OptTerm() : it->second;
    }
    case Expr::Kind::kOr:
    case Expr::Kind::kAnd: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      KG_ASSIGN_OR_RETURN(OptTerm b, eval(e.children[1]));
      const std::optional<bool> x = a ? EffectiveBoolean(*a) : std::nullopt;
      const std::optional<bool> y = b ? EffectiveBoolean(*b) : std::nullopt;
      const bool is_or = e.kind == Expr::Kind::kOr;
      if ((x && *x == is_or) || (y && *y == is_or)) return OptTerm(Boolean(is_or));
      if (!x || !y) return OptTerm();
      return OptTerm(Boolean(!is_or));
    }
    case Expr::Kind::kNot: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      const std::optional<bool> x = a ? EffectiveBoolean(*a) : std::nullopt;
      if (!x) return OptTerm();
      return OptTerm(Boolean(!*x));
    }
    case Expr::Kind::kCompare: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      KG_ASSIGN_OR_RETURN(OptTerm b, eval(e.children[1]));
      if (!a || !b) return OptTerm();
      const auto r = Compare(*a, *b, e.name);
      if (!r) return OptTerm();
      return OptTerm(Boolean(*r));
    }
    case Expr::Kind::kIn:
    case Expr::Kind::kNotIn: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      if (!a) return OptTerm();
      bool error = false;
      for (size_t k = 1; k < e.children.size(); ++k) {
        KG_ASSIGN_OR_RETURN(OptTerm b, eval(e.children[k]));
        const auto r = b ? Compare(*a, *b, "=") : std::nullopt;
        if (r && *r) return OptTerm(Boolean(e.kind == Expr::Kind::kIn));
        error |= !r.has_value();
      }
      if (error) return OptTerm();
      return OptTerm(Boolean(e.kind == Expr::Kind::kNotIn));
    }
    case Expr::Kind::kArith: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      KG_ASSIGN_OR_RETURN(OptTerm b, eval(e.children[1]));
      if (!a || !b) return OptTerm();
      const auto x = NumberOf(*a), y = NumberOf(*b);
      if (!x || !y) return OptTerm();
      int rank = std::max(x->rank, y->rank);
      const char op = e.name[0];
      if (op == '/' && rank == 0) rank = 1;
      if (op == '/' && rank <= 1 && y->v == 0) return OptTerm();
      if (rank == 0) {
        int64_t r = 0;
        bool overflow = op == '+'   ? __builtin_add_overflow(x->i, y->i, &r)
                        : op == '-' ? __builtin_sub_overflow(x->i, y->i, &r)
                                    : __builtin_mul_overflow(x->i, y->i, &r);
        if (overflow) return OptTerm();
        return OptTerm(Term::Integer(r));
      }
      const long double r = op == '+' ? x->v + y->v
                            : op == '-' ? x->v - y->v
                            : op == '*' ? x->v * y->v
                                        : x->v / y->v;
      return OptTerm(MakeNum(rank, r, 0));
    }
    case Expr::Kind::kNegate:
    case Expr::Kind::kPlus: {
      KG_ASSIGN_OR_RETURN(OptTerm a, eval(e.children[0]));
      if (!a) return OptTerm();
      const auto x = NumberOf(*a);
      if (!x) return OptTerm();
      if (e.kind == Expr::Kind::kPlus) return a;
      return OptTerm(MakeNum(x->rank, -x->v, -x->i));
    }
    case Expr::Kind::kExists:
    case Expr::Kind::kNotExists: {
      auto it = exists_->find(&e);
      if (it == exists_->end()) return absl::InternalError("EXISTS without a plan");
      Row copy = row;
      KG_ASSIGN_OR_RETURN(bool found, exec.Exists(it->second, copy));
      return OptTerm(Boolean(found == (e.kind == Expr::Kind::kExists)));
    }
    case Expr::Kind::kCall: return Call(e, exec, row, aggs);
  }
  return OptTerm();
}

absl::StatusOr<OptTerm> SparqlExpr::Call(const Expr& e, Executor& exec, const Row& row,
                                         const AggregateValues* aggs) const {
  const std::string& f = e.name;
  // Functions that do not evaluate all their arguments first.
  if (f == "BOUND") {
    auto it = slots_->find(e.children[0]->name);
    return OptTerm(Boolean(it != slots_->end() && !row[it->second].is_null()));
  }
  if (f == "IF") {
    KG_ASSIGN_OR_RETURN(OptTerm c, EvalNode(*e.children[0], exec, row, aggs));
    const auto b = c ? EffectiveBoolean(*c) : std::nullopt;
    if (!b) return OptTerm();
    return EvalNode(*e.children[*b ? 1 : 2], exec, row, aggs);
  }
  if (f == "COALESCE") {
    for (const ExprPtr& c : e.children) {
      KG_ASSIGN_OR_RETURN(OptTerm v, EvalNode(*c, exec, row, aggs));
      if (v) return v;
    }
    return OptTerm();
  }
  std::vector<Term> args;
  for (const ExprPtr& c : e.children) {
    KG_ASSIGN_OR_RETURN(OptTerm v, EvalNode(*c, exec, row, aggs));
    if (!v) return OptTerm();  // every other function fails on an error
    args.push_back(*std::move(v));
  }
  if (f.empty()) {
    // A function named by an IRI: the XSD casts.
    const RdfTerm iri = ToRdf(e.term);
    if (args.size() == 1 && iri.value.starts_with(kXsd)) {
      return Cast(args[0], std::string_view(iri.value).substr(kXsd.size()));
    }
    return OptTerm();
  }
  const Term* a = args.empty() ? nullptr : &args[0];
  if (f == "STR") {
    if (a->kind() == TermKind::kBlankNode || a->kind() == TermKind::kClaim) return OptTerm();
    return OptTerm(Term::String(ToRdf(*a).value));
  }
  if (f == "LANG") {
    if (!IsLiteral(*a)) return OptTerm();
    const std::string& tag = IsString(*a) ? a->extra() : "";
    return OptTerm(Term::String(tag.substr(0, tag.find("--"))));
  }
  if (f == "LANGMATCHES") {
    if (!IsPlainString(args[0]) || !IsPlainString(args[1])) return OptTerm();
    const std::string tag = absl::AsciiStrToLower(args[0].text());
    const std::string range = absl::AsciiStrToLower(args[1].text());
    if (range == "*") return OptTerm(Boolean(!tag.empty()));
    return OptTerm(Boolean(tag == range || absl::StartsWith(tag, range + "-")));
  }
  if (f == "DATATYPE") {
    if (!IsLiteral(*a)) return OptTerm();
    return OptTerm(Term::Iri(Datatype(*a)));
  }
  if (f == "ISIRI" || f == "ISURI") return OptTerm(Boolean(IsIriLike(*a)));
  if (f == "ISBLANK") return OptTerm(Boolean(a->kind() == TermKind::kBlankNode));
  if (f == "ISLITERAL") return OptTerm(Boolean(IsLiteral(*a)));
  if (f == "ISNUMERIC") return OptTerm(Boolean(NumberOf(*a).has_value()));
  if (f == "ISTRIPLE") return OptTerm(Boolean(a->kind() == TermKind::kClaim));
  if (f == "SAMETERM") return OptTerm(Boolean(args[0] == args[1]));
  if (f == "IRI" || f == "URI") {
    if (IsIriLike(*a)) return OptTerm(*a);
    if (!IsPlainString(*a)) return OptTerm();
    auto t = FromRdf(RdfTerm::Iri(a->text()), "q");
    if (!t.ok()) return OptTerm();
    return OptTerm(*t);
  }
  if (f == "BNODE") {
    static std::atomic<uint64_t> counter{0};
    if (args.empty()) return OptTerm(Term::BlankNode(StrCat("bnode", ++counter)));
    if (!IsPlainString(*a)) return OptTerm();
    return OptTerm(Term::BlankNode(StrCat("bnode-", a->text())));
  }
  if (f == "RAND") {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return OptTerm(MakeNum(3, std::uniform_real_distribution<double>(0, 1)(rng), 0));
  }
  if (f == "NOW") {
    return OptTerm(Term::TypedLiteral(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                                       absl::UTCTimeZone()),
                                      Xsd("dateTime")));
  }
  if (f == "UUID" || f == "STRUUID") {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[40];
    const uint64_t x = rng(), y = rng();
    std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(x >> 32),
                  static_cast<unsigned>((x >> 16) & 0xffff), static_cast<unsigned>(x & 0xfff),
                  static_cast<unsigned>(0x8000 | (y >> 48 & 0x3fff)),
                  static_cast<unsigned long long>(y & 0xffffffffffffULL));
    if (f == "UUID") return OptTerm(Term::Iri(StrCat("urn:uuid:", buf)));
    return OptTerm(Term::String(buf));
  }
  if (f == "ABS" || f == "CEIL" || f == "FLOOR" || f == "ROUND") {
    const auto n = NumberOf(*a);
    if (!n) return OptTerm();
    if (n->rank == 0) return OptTerm(Term::Integer(f == "ABS" ? std::llabs(n->i) : n->i));
    const long double v = f == "ABS"   ? std::fabs(n->v)
                          : f == "CEIL"  ? std::ceil(n->v)
                          : f == "FLOOR" ? std::floor(n->v)
                                         : std::floor(n->v + 0.5L);
    return OptTerm(MakeNum(n->rank, v, 0));
  }
  if (f == "STRLEN" || f == "UCASE" || f == "LCASE" || f == "ENCODE_FOR_URI") {
    const auto s = StringOf(*a);
    if (!s) return OptTerm();
    if (f == "STRLEN") return OptTerm(Term::Integer(static_cast<int64_t>(CountCodePoints(s->text))));
    if (f == "UCASE") return OptTerm(StringLike(absl::AsciiStrToUpper(s->text), s->lang));
    if (f == "LCASE") return OptTerm(StringLike(absl::AsciiStrToLower(s->text), s->lang));
    std::string out;
    for (unsigned char c : s->text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof(buf), "%%%02X", c);
        out += buf;
      }
    }
    return OptTerm(Term::String(out));
  }
  if (f == "CONCAT") {
    std::string out, lang;
    bool first = true, same = true;
    for (const Term& t : args) {
      const auto s = StringOf(t);
      if (!s) return OptTerm();
      if (first) lang = s->lang;
      same &= s->lang == lang;
      first = false;
      out += s->text;
    }
    return OptTerm(Term::String(out, same ? lang : ""));
  }
  if (f == "CONTAINS" || f == "STRSTARTS" || f == "STRENDS" || f == "STRBEFORE" ||
      f == "STRAFTER") {
    const auto x = StringOf(args[0]), y = StringOf(args[1]);
    if (!x || !y || !Compatible(*x, *y)) return OptTerm();
    if (f == "CONTAINS") return OptTerm(Boolean(absl::StrContains(x->text, y->text)));
    if (f == "STRSTARTS") return OptTerm(Boolean(absl::StartsWith(x->text, y->text)));
    if (f == "STRENDS") return OptTerm(Boolean(absl::EndsWith(x->text, y->text)));
    const size_t at = x->text.find(y->text);
    if (at == std::string::npos) return OptTerm(Term::String(""));
    const std::string lang = y->text.empty() && false ? "" : x->lang;
    if (f == "STRBEFORE") return OptTerm(Term::String(x->text.substr(0, at), lang));
    return OptTerm(Term::String(x->text.substr(at + y->text.size()), lang));
  }
  if (f == "SUBSTR") {
    const auto s = StringOf(args[0]);
    const auto start = NumberOf(args[1]);
    if (!s || !start) return OptTerm();
    std::optional<long double> len;
    if (args.size() == 3) {
      const auto l = NumberOf(args[2]);
      if (!l) return OptTerm();
      len = l->v;
    }
    return OptTerm(Term::String(SubstrCodePoints(s->text, start->v, len), s->lang));
  }
  if (f == "REGEX" || f == "REPLACE") {
    const auto s = StringOf(args[0]);
    const auto pattern = StringOf(args[1]);
    if (!s || !pattern) return OptTerm();
    std::string flags;
    const size_t flag_arg = f == "REGEX" ? 2 : 3;
    if (args.size() > flag_arg) {
      const auto fl = StringOf(args[flag_arg]);
      if (!fl) return OptTerm();
      flags = fl->text;
    }
    RE2::Options options;
    options.set_log_errors(false);
    const std::optional<std::string> re_text = RegexPattern(pattern->text, flags);
    if (!re_text) return OptTerm();
    RE2 re(*re_text, options);
    if (!re.ok()) return OptTerm();
    if (f == "REGEX") return OptTerm(Boolean(RE2::PartialMatch(s->text, re)));
    const auto rep = StringOf(args[2]);
    if (!rep) return OptTerm();
    std::string rewrite;
    for (size_t k = 0; k < rep->text.size(); ++k) {
      const char c = rep->text[k];
      if (c == '$' && k + 1 < rep->text.size() && std::isdigit(static_cast<unsigned char>(rep->text[k + 1]))) {
        rewrite += '\\';
      } else if (c == '\\' && k + 1 < rep->text.size()) {
        rewrite += rep->text[++k] == '\\' ? "\\\\" : std::string(1, rep->text[k]);
        continue;
      } else if (c == '\\') {
        rewrite += "\\\\";
        continue;
      } else {
        rewrite += c;
        continue;
      }
    }
    std::string out = s->text;
    RE2::GlobalReplace(&out, re, rewrite);
    return OptTerm(Term::String(out, s->lang));
  }
  if (f == "STRLANG" || f == "STRLANGDIR") {
    if (!IsPlainString(args[0]) || !IsPlainString(args[1]) || args[1].text().empty()) return OptTerm();
    std::string tag = absl::AsciiStrToLower(args[1].text());
    if (f == "STRLANGDIR") {
      if (!IsPlainString(args[2]) || (args[2].text() != "ltr" && args[2].text() != "rtl")) {
        return OptTerm();
      }
      tag += StrCat("--", args[2].text());
    }
    return OptTerm(Term::String(args[0].text(), tag));
  }
  if (f == "STRDT") {
    if (!IsPlainString(args[0]) || !IsIriLike(args[1])) return OptTerm();
    auto t = FromRdf(RdfTerm::Literal(args[0].text(), ToRdf(args[1]).value), "q");
    if (!t.ok()) return OptTerm();
    return OptTerm(*t);
  }
  if (f == "LANGDIR") {
    if (!IsLiteral(*a)) return OptTerm();
    const size_t d = a->extra().find("--");
    return OptTerm(Term::String(IsString(*a) && d != std::string::npos ? a->extra().substr(d + 2) : ""));
  }
  if (f == "HASLANG") return OptTerm(Boolean(IsString(*a) && !a->extra().empty()));
  if (f == "HASLANGDIR") {
    return OptTerm(Boolean(IsString(*a) && a->extra().find("--") != std::string::npos));
  }
  if (f == "YEAR" || f == "MONTH" || f == "DAY" || f == "HOURS" || f == "MINUTES" ||
      f == "SECONDS" || f == "TIMEZONE" || f == "TZ") {
    if (a->kind() == TermKind::kDate) {
      const Date d = a->date();
      if (f == "YEAR") return OptTerm(Term::Integer(d.year));
      if (f == "MONTH" && d.month) return OptTerm(Term::Integer(d.month));
      if (f == "DAY" && d.day) return OptTerm(Term::Integer(d.day));
      if (f == "TZ") return OptTerm(Term::String(""));
      return OptTerm();
    }
    if (!DateKey(*a)) return OptTerm();
    const std::string& s = a->text();  // YYYY-MM-DD(THH:MM:SS(.s*))?(Z|[+-]HH:MM)?
    const bool neg = !s.empty() && s[0] == '-';
    const size_t y_end = s.find('-', neg ? 1 : 0);
    if (y_end == std::string::npos || s.size() < y_end + 6) return OptTerm();
    if (f == "YEAR") return OptTerm(Term::Integer(std::atoll(s.substr(0, y_end).c_str())));
    if (f == "MONTH") return OptTerm(Term::Integer(std::atoi(s.substr(y_end + 1, 2).c_str())));
    if (f == "DAY") return OptTerm(Term::Integer(std::atoi(s.substr(y_end + 4, 2).c_str())));
    const size_t t = s.find('T');
    std::string tz;
    const size_t tz_at = s.find_first_of("Z+-", t == std::string::npos ? y_end + 6 : t);
    if (tz_at != std::string::npos) tz = s.substr(tz_at);
    if (f == "TZ") return OptTerm(Term::String(tz));
    if (f == "TIMEZONE") {
      if (tz.empty()) return OptTerm();
      if (tz == "Z") return OptTerm(Term::TypedLiteral("PT0S", Xsd("dayTimeDuration")));
      const int h = std::atoi(tz.substr(1, 2).c_str()), m = std::atoi(tz.substr(4, 2).c_str());
      std::string d = StrCat(tz[0] == '-' ? "-" : "", "PT", h, "H");
      if (m) d = StrCat(tz[0] == '-' ? "-" : "", "PT", h, "H", m, "M");
      if (h == 0 && m == 0) d = "PT0S";
      return OptTerm(Term::TypedLiteral(d, Xsd("dayTimeDuration")));
    }
    if (t == std::string::npos || s.size() < t + 9) return OptTerm();
    if (f == "HOURS") return OptTerm(Term::Integer(std::atoi(s.substr(t + 1, 2).c_str())));
    if (f == "MINUTES") return OptTerm(Term::Integer(std::atoi(s.substr(t + 4, 2).c_str())));
    const std::string sec = s.substr(t + 7, (tz_at == std::string::npos ? s.size() : tz_at) - t - 7);
    auto d = Term::Decimal(sec);
    if (!d.ok()) return OptTerm();
    return OptTerm(*d);
  }
  if (f == "MD5" || f == "SHA1" || f == "SHA256" || f == "SHA384" || f == "SHA512") {
    if (!IsPlainString(*a)) return OptTerm();
    const std::optional<std::string> digest = HexDigest(f.c_str(), a->text());
    if (!digest) return OptTerm();
    return OptTerm(Term::String(*digest));
  }
  if (f == "TRIPLE") {
    if (!(IsIriLike(args[0]) || args[0].kind() == TermKind::kBlankNode) || !IsIriLike(args[1])) {
      return OptTerm();
    }
    return OptTerm(Term::Claim(args[0], args[1], args[2]));
  }
  if (f == "SUBJECT" || f == "PREDICATE" || f == "OBJECT") {
    if (a->kind() != TermKind::kClaim) return OptTerm();
    return OptTerm(f == "SUBJECT" ? a->subject() : f == "PREDICATE" ? a->predicate() : a->object());
  }
  return OptTerm();
}

}  // namespace kg::query::sparql
