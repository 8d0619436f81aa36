// SPARQL lexing, terms and expressions (sparql_parser_internal.h).
#include <cctype>
#include <functional>
#include <utility>

#include "absl/strings/ascii.h"
#include "kg/iri.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/parser.h"
#include "query/sparql_parser.h"
#include "query/sparql_parser_internal.h"

namespace kg::query::sparql::internal {
namespace {

constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The built-in functions with their arities (max < 0: any number).
struct BuiltIn {
  std::string_view name;
  int min, max;
};
constexpr BuiltIn kBuiltIns[] = {
    {"STR", 1, 1}, {"LANG", 1, 1}, {"LANGMATCHES", 2, 2}, {"DATATYPE", 1, 1},
    {"IRI", 1, 1}, {"URI", 1, 1}, {"BNODE", 0, 1}, {"RAND", 0, 0}, {"ABS", 1, 1},
    {"CEIL", 1, 1}, {"FLOOR", 1, 1}, {"ROUND", 1, 1}, {"CONCAT", 0, -1}, {"STRLEN", 1, 1},
    {"UCASE", 1, 1}, {"LCASE", 1, 1}, {"ENCODE_FOR_URI", 1, 1}, {"CONTAINS", 2, 2},
    {"STRSTARTS", 2, 2}, {"STRENDS", 2, 2}, {"STRBEFORE", 2, 2}, {"STRAFTER", 2, 2},
    {"YEAR", 1, 1}, {"MONTH", 1, 1}, {"DAY", 1, 1}, {"HOURS", 1, 1}, {"MINUTES", 1, 1},
    {"SECONDS", 1, 1}, {"TIMEZONE", 1, 1}, {"TZ", 1, 1}, {"NOW", 0, 0}, {"UUID", 0, 0},
    {"STRUUID", 0, 0}, {"MD5", 1, 1}, {"SHA1", 1, 1}, {"SHA256", 1, 1}, {"SHA384", 1, 1},
    {"SHA512", 1, 1}, {"COALESCE", 0, -1}, {"IF", 3, 3}, {"STRLANG", 2, 2}, {"STRDT", 2, 2},
    {"SAMETERM", 2, 2}, {"ISIRI", 1, 1}, {"ISURI", 1, 1}, {"ISBLANK", 1, 1},
    {"ISLITERAL", 1, 1}, {"ISNUMERIC", 1, 1}, {"REGEX", 2, 3}, {"SUBSTR", 2, 3},
    {"REPLACE", 3, 4}, {"BOUND", 1, 1},
    // SPARQL 1.2
    {"TRIPLE", 3, 3}, {"SUBJECT", 1, 1}, {"PREDICATE", 1, 1}, {"OBJECT", 1, 1},
    {"ISTRIPLE", 1, 1}, {"LANGDIR", 1, 1}, {"HASLANG", 1, 1}, {"HASLANGDIR", 1, 1},
    {"STRLANGDIR", 3, 3},
};
constexpr std::string_view kAggregates[] = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
                                            "GROUP_CONCAT"};

const BuiltIn* FindBuiltIn(std::string_view upper) {
  for (const BuiltIn& b : kBuiltIns) {
    if (b.name == upper) return &b;
  }
  return nullptr;
}

bool IsAggregateName(std::string_view upper) {
  for (std::string_view a : kAggregates) {
    if (a == upper) return true;
  }
  return false;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ExprPtr Node(Expr::Kind kind, Pos pos, std::string name, std::vector<ExprPtr> children) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->pos = pos;
  e->name = std::move(name);
  e->children = std::move(children);
  return e;
}

}  // namespace

Parser::Parser(std::string_view text, std::string_view base) : text_(text), base_(base) {
  prefixes_["kg"] = std::string(kKgVocabNs);
  prefixes_["kge"] = std::string(kKgEntityNs);
  prefixes_["kgd"] = std::string(kKgDocNs);
}

void Parser::Skip() {
  while (i_ < text_.size()) {
    const char c = text_[i_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i_;
    } else if (c == '#') {
      while (i_ < text_.size() && text_[i_] != '\n') ++i_;
    } else {
      break;
    }
  }
}

Pos Parser::Here() {
  Skip();
  Pos pos;
  for (size_t k = 0; k < i_ && k < text_.size(); ++k) {
    const auto c = static_cast<unsigned char>(text_[k]);
    if (c == '\n') {
      ++pos.line;
      pos.col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++pos.col;
    }
  }
  return pos;
}

absl::Status Parser::ErrorAt(const Pos& pos, std::string_view message) {
  return absl::InvalidArgumentError(At(pos, message));
}

absl::Status Parser::Error(std::string_view expected) {
  const Pos pos = Here();
  std::string found;
  if (i_ >= text_.size()) {
    found = "the end of the query";
  } else {
    size_t n = 0;
    while (i_ + n < text_.size() && n < 20 && !std::isspace(static_cast<unsigned char>(text_[i_ + n]))) {
      ++n;
    }
    found = StrCat("'", text_.substr(i_, std::max<size_t>(n, 1)), "'");
  }
  return ErrorAt(pos, StrCat("expected ", expected, ", found ", found));
}

absl::Status Parser::Enter() {
  if (++depth_ > kMaxSparqlNesting) {
    return ErrorAt(Here(), StrCat("nested more than ", kMaxSparqlNesting, " levels deep"));
  }
  return absl::OkStatus();
}

bool Parser::Punct(std::string_view p) {
  Skip();
  if (text_.substr(i_).starts_with(p)) {
    i_ += p.size();
    return true;
  }
  return false;
}

absl::Status Parser::Expect(std::string_view p) {
  if (Punct(p)) return absl::OkStatus();
  return Error(StrCat("'", p, "'"));
}

bool Parser::PeekKeyword(std::string_view kw) {
  Skip();
  if (text_.size() - i_ < kw.size()) return false;
  for (size_t k = 0; k < kw.size(); ++k) {
    if (absl::ascii_toupper(static_cast<unsigned char>(text_[i_ + k])) != kw[k]) return false;
  }
  const size_t end = i_ + kw.size();
  return end >= text_.size() || (!NameChar(text_[end]) && text_[end] != ':');
}

bool Parser::Keyword(std::string_view kw) {
  if (!PeekKeyword(kw)) return false;
  i_ += kw.size();
  return true;
}

absl::Status Parser::ExpectKeyword(std::string_view kw) {
  if (Keyword(kw)) return absl::OkStatus();
  return Error(kw);
}

absl::StatusOr<std::string> Parser::Var() {
  Skip();
  if (i_ >= text_.size() || (text_[i_] != '?' && text_[i_] != '$')) return Error("a variable");
  size_t j = i_ + 1;
  while (j < text_.size() && (NameChar(text_[j]) && text_[j] != '-')) ++j;
  if (j == i_ + 1) return Error("a variable name after '?'");
  std::string name(text_.substr(i_ + 1, j - i_ - 1));
  i_ = j;
  return name;
}

absl::StatusOr<std::string> Parser::IriRef() {
  Skip();
  const Pos pos = Here();
  if (i_ >= text_.size() || text_[i_] != '<') return Error("an IRI");
  std::string iri;
  size_t j = i_ + 1;
  for (; j < text_.size() && text_[j] != '>'; ++j) {
    const char c = text_[j];
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '^' || c == '`') {
      return ErrorAt(pos, StrCat("character '", std::string(1, c), "' is not allowed in an IRI"));
    }
    if (c == '\\') {
      const size_t n = j + 1 < text_.size() && text_[j + 1] == 'U' ? 8 : 4;
      if (j + 1 >= text_.size() || (text_[j + 1] != 'u' && text_[j + 1] != 'U') ||
          j + 2 + n > text_.size()) {
        return ErrorAt(pos, "only \\u and \\U escapes are allowed in an IRI");
      }
      uint32_t cp = 0;
      for (size_t k = 0; k < n; ++k) {
        const int h = Hex(text_[j + 2 + k]);
        if (h < 0) return ErrorAt(pos, "malformed \\u escape in an IRI");
        cp = cp * 16 + static_cast<uint32_t>(h);
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) return ErrorAt(pos, "a \\u escape of a surrogate code point");
      AppendUtf8(&iri, cp);
      j += 1 + n;
      continue;
    }
    iri.push_back(c);
  }
  if (j >= text_.size()) return ErrorAt(pos, "an IRI that starts with '<' never ends with '>'");
  i_ = j + 1;
  if (IsAbsoluteIri(iri)) return iri;  // as written: SPARQL does not normalise IRIs
  if (base_.empty()) {
    return ErrorAt(pos, StrCat("relative IRI <", iri, "> and no BASE to resolve it against"));
  }
  return ResolveIri(base_, iri);
}

absl::StatusOr<std::string> Parser::PrefixedName() {
  Skip();
  const Pos pos = Here();
  size_t j = i_;
  while (j < text_.size() && (NameChar(text_[j]) || text_[j] == '.')) ++j;
  while (j > i_ && text_[j - 1] == '.') --j;
  if (j >= text_.size() || text_[j] != ':') return Error("an IRI or prefixed name");
  const std::string prefix(text_.substr(i_, j - i_));
  if (!prefix.empty() && !std::isalpha(static_cast<unsigned char>(prefix[0])) &&
      static_cast<unsigned char>(prefix[0]) < 0x80) {
    return Error("a prefixed name");
  }
  auto it = prefixes_.find(prefix);
  if (it == prefixes_.end()) {
    return ErrorAt(pos, StrCat("undeclared prefix '", prefix, ":' (declare it with PREFIX ",
                               prefix, ": <...>)"));
  }
  ++j;
  std::string local;
  size_t k = j;
  while (k < text_.size()) {
    const char c = text_[k];
    if (NameChar(c) || c == ':' || (c == '.' && local.size() + 0 >= 0)) {
      if (c == '.' ) {
        // A '.' only inside the name, never at its end.
        size_t m = k;
        while (m < text_.size() && text_[m] == '.') ++m;
        if (m >= text_.size() || !(NameChar(text_[m]) || text_[m] == ':' || text_[m] == '%' ||
                                   text_[m] == '\\')) {
          break;
        }
      }
      if (local.empty() && c == '-' ) break;
      local.push_back(c);
      ++k;
    } else if (c == '%' && k + 2 < text_.size() && Hex(text_[k + 1]) >= 0 && Hex(text_[k + 2]) >= 0) {
      local.append(text_.substr(k, 3));
      k += 3;
    } else if (c == '\\' && k + 1 < text_.size() &&
               std::string_view("_~.-!$&'()*+,;=/?#@%").find(text_[k + 1]) != std::string_view::npos) {
      local.push_back(text_[k + 1]);
      k += 2;
    } else {
      break;
    }
  }
  i_ = k;
  return StrCat(it->second, local);
}

bool Parser::LooksLikeIriRef() {
  // The lexer's longest match: "<...>" with no character an IRIREF forbids
  // is an IRI even where an operator '<' was meant (?a<?b&&?c>?d).
  Skip();
  if (i_ >= text_.size() || text_[i_] != '<') return false;
  for (size_t j = i_ + 1; j < text_.size(); ++j) {
    const char c = text_[j];
    if (c == '>') return true;
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '^' || c == '`' || c == '\\') {
      return false;
    }
  }
  return false;
}

bool Parser::PeekIri() {
  Skip();
  if (i_ >= text_.size()) return false;
  const char c = text_[i_];
  if (c == '<') return i_ + 1 < text_.size() && text_[i_ + 1] != '<' && text_[i_ + 1] != '=' &&
                       text_[i_ + 1] != ' ';
  if (c == ':') return true;
  if (!std::isalpha(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) {
    return false;
  }
  size_t j = i_;
  while (j < text_.size() && (NameChar(text_[j]) || text_[j] == '.')) ++j;
  while (j > i_ && text_[j - 1] == '.') --j;
  return j < text_.size() && text_[j] == ':';
}

absl::StatusOr<std::string> Parser::Iri() {
  Skip();
  if (i_ < text_.size() && text_[i_] == '<') return IriRef();
  return PrefixedName();
}

Term Parser::IriTerm(const std::string& iri) {
  auto t = FromRdf(RdfTerm::Iri(iri), "q");
  return t.ok() ? *t : Term::Iri(iri);
}

bool Parser::PeekLiteral() {
  const char c = Peek();
  if (c == '"' || c == '\'') return true;
  if (std::isdigit(static_cast<unsigned char>(c))) return true;
  if ((c == '+' || c == '-' || c == '.') &&
      (std::isdigit(static_cast<unsigned char>(Peek(1))) ||
       (Peek(1) == '.' && std::isdigit(static_cast<unsigned char>(Peek(2)))))) {
    return true;
  }
  return PeekKeyword("TRUE") || PeekKeyword("FALSE");
}

absl::StatusOr<Term> Parser::Literal() {
  Skip();
  const Pos pos = Here();
  if (Keyword("TRUE")) return Term::TypedLiteral("true", StrCat(kXsd, "boolean"));
  if (Keyword("FALSE")) return Term::TypedLiteral("false", StrCat(kXsd, "boolean"));
  if (i_ >= text_.size()) return Error("a literal");
  const char q = text_[i_];
  if (q != '"' && q != '\'') {
    // A number: [+-]? (digits ('.' digits*)? | '.' digits) exponent?
    size_t j = i_;
    if (text_[j] == '+' || text_[j] == '-') ++j;
    const size_t digits_start = j;
    while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
    bool decimal = false, dbl = false;
    if (j < text_.size() && text_[j] == '.' && j + 1 < text_.size() &&
        std::isdigit(static_cast<unsigned char>(text_[j + 1]))) {
      decimal = true;
      ++j;
      while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
    } else if (j < text_.size() && text_[j] == '.' && j > digits_start && j + 1 < text_.size() &&
               (text_[j + 1] == 'e' || text_[j + 1] == 'E')) {
      decimal = true;
      ++j;
    }
    if (j == digits_start) return Error("a literal");
    if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
      size_t k = j + 1;
      if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
      if (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k]))) {
        while (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k]))) ++k;
        j = k;
        dbl = true;
      }
    }
    std::string lex(text_.substr(i_, j - i_));
    if (lex[0] == '+' && !dbl) {
      // xsd:integer "+1" is a valid lexical form; kept as written.
    }
    i_ = j;
    const char* type = dbl ? "double" : decimal ? "decimal" : "integer";
    auto t = FromRdf(RdfTerm::Literal(lex, StrCat(kXsd, type)), "q");
    if (!t.ok()) return ErrorAt(pos, std::string(t.status().message()));
    return *t;
  }
  const bool long_form = text_.substr(i_).starts_with(std::string(3, q));
  size_t j = i_ + (long_form ? 3 : 1);
  std::string value;
  for (;;) {
    if (j >= text_.size()) return ErrorAt(pos, "a string that never ends");
    const char c = text_[j];
    if (long_form ? text_.substr(j).starts_with(std::string(3, q)) : c == q) {
      // A long string may end with up to two more quotes inside it.
      if (long_form) {
        while (j + 3 < text_.size() && text_[j + 3] == q) {
          value.push_back(q);
          ++j;
        }
      }
      j += long_form ? 3 : 1;
      break;
    }
    if (!long_form && (c == '\n' || c == '\r')) {
      return ErrorAt(pos, "a line break inside a short string (use \"\"\" or \\n)");
    }
    if (c == '\\') {
      if (j + 1 >= text_.size()) return ErrorAt(pos, "a string that never ends");
      const char e = text_[j + 1];
      switch (e) {
        case 't': value.push_back('\t'); j += 2; continue;
        case 'b': value.push_back('\b'); j += 2; continue;
        case 'n': value.push_back('\n'); j += 2; continue;
        case 'r': value.push_back('\r'); j += 2; continue;
        case 'f': value.push_back('\f'); j += 2; continue;
        case '"': case '\'': case '\\': value.push_back(e); j += 2; continue;
        case 'u': case 'U': {
          const size_t n = e == 'u' ? 4 : 8;
          if (j + 2 + n > text_.size()) return ErrorAt(pos, "malformed \\u escape");
          uint32_t cp = 0;
          for (size_t k = 0; k < n; ++k) {
            const int h = Hex(text_[j + 2 + k]);
            if (h < 0) return ErrorAt(pos, "malformed \\u escape");
            cp = cp * 16 + static_cast<uint32_t>(h);
          }
          if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return ErrorAt(pos, "a \\u escape of a surrogate or out-of-range code point");
          }
          AppendUtf8(&value, cp);
          j += 2 + n;
          continue;
        }
        default:
          return ErrorAt(pos, StrCat("unknown escape '\\", std::string(1, e), "' in a string"));
      }
    }
    value.push_back(c);
    ++j;
  }
  i_ = j;
  if (i_ < text_.size() && text_[i_] == '@') {
    size_t k = i_ + 1;
    while (k < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[k])) || text_[k] == '-')) {
      ++k;
    }
    std::string tag(text_.substr(i_ + 1, k - i_ - 1));
    if (tag.empty() || !std::isalpha(static_cast<unsigned char>(tag[0]))) {
      return ErrorAt(pos, "expected a language tag after '@'");
    }
    i_ = k;
    const size_t dir = tag.find("--");
    RdfTerm lit = RdfTerm::LangLiteral(value, absl::AsciiStrToLower(tag.substr(0, dir)));
    if (dir != std::string::npos) {
      const std::string d = tag.substr(dir + 2);
      if (d != "ltr" && d != "rtl") return ErrorAt(pos, "a base direction is --ltr or --rtl");
      lit.direction = d == "ltr" ? BaseDirection::kLtr : BaseDirection::kRtl;
    }
    auto t = FromRdf(lit, "q");
    if (!t.ok()) return ErrorAt(pos, std::string(t.status().message()));
    return *t;
  }
  if (text_.substr(i_).starts_with("^^")) {
    i_ += 2;
    KG_ASSIGN_OR_RETURN(std::string dt, Iri());
    auto t = FromRdf(RdfTerm::Literal(value, dt), "q");
    if (!t.ok()) return ErrorAt(pos, std::string(t.status().message()));
    return *t;
  }
  return Term::String(value);
}

PTerm Parser::FreshBlank(Pos pos) {
  PTerm t;
  t.kind = PTerm::Kind::kVar;
  t.var = StrCat(in_template_ ? "_:" : "_anon.", ++blank_counter_);
  t.pos = pos;
  return t;
}

absl::StatusOr<PTerm> Parser::BlankNode() {
  Skip();
  const Pos pos = Here();
  if (Punct("[")) {
    KG_RETURN_IF_ERROR(Expect("]"));
    return FreshBlank(pos);
  }
  if (!Punct("_:")) return Error("a blank node");
  size_t j = i_;
  while (j < text_.size() && (NameChar(text_[j]) || text_[j] == '.')) ++j;
  while (j > i_ && text_[j - 1] == '.') --j;
  if (j == i_) return Error("a blank node label after '_:'");
  const std::string label(text_.substr(i_, j - i_));
  i_ = j;
  PTerm t;
  t.kind = PTerm::Kind::kVar;
  t.pos = pos;
  if (in_template_) {
    t.var = StrCat("_:", label);
    return t;
  }
  auto [it, inserted] = blank_bgp_.emplace(label, bgp_);
  if (!inserted && it->second != bgp_) {
    return ErrorAt(pos, StrCat("blank node _:", label,
                               " is used in two basic graph patterns; a label names one node "
                               "within one pattern only"));
  }
  t.var = StrCat("_b.", label);
  return t;
}

absl::StatusOr<PTerm> Parser::VarOrTerm() {
  Skip();
  const Pos pos = Here();
  PTerm t;
  t.pos = pos;
  if (PeekVar()) {
    t.kind = PTerm::Kind::kVar;
    KG_ASSIGN_OR_RETURN(t.var, Var());
    return t;
  }
  if (text_.substr(i_).starts_with("<<(")) {
    i_ += 3;
    KG_RETURN_IF_ERROR(Enter());
    std::vector<PTerm> parts;
    for (int k = 0; k < 3; ++k) {
      if (k == 1) {
        PTerm p;
        p.pos = Here();
        if (PeekVar()) {
          p.kind = PTerm::Kind::kVar;
          KG_ASSIGN_OR_RETURN(p.var, Var());
        } else if (Keyword("A")) {
          p.term = IriTerm("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        } else {
          KG_ASSIGN_OR_RETURN(std::string iri, Iri());
          p.term = IriTerm(iri);
        }
        parts.push_back(std::move(p));
        continue;
      }
      KG_ASSIGN_OR_RETURN(PTerm part, VarOrTerm());
      if (k == 0 && part.kind == PTerm::Kind::kConst && part.term.kind() != TermKind::kIri &&
          part.term.kind() != TermKind::kEntity && part.term.kind() != TermKind::kDocument) {
        return ErrorAt(part.pos, "the subject of a triple term is an IRI, a blank node or a variable");
      }
      parts.push_back(std::move(part));
    }
    KG_RETURN_IF_ERROR(Expect(")>>"));
    Leave();
    t.kind = PTerm::Kind::kTriple;
    t.parts = std::make_shared<const std::vector<PTerm>>(std::move(parts));
    return t;
  }
  if (text_.substr(i_).starts_with("_:") || text_.substr(i_).starts_with("[")) {
    size_t save = i_;
    if (Punct("[") && Punct("]")) {
      i_ = save;
      return BlankNode();
    }
    i_ = save;
    if (text_[i_] == '_') return BlankNode();
    return Error("a term");
  }
  if (text_.substr(i_).starts_with("()") || (Peek() == '(' && Peek(1) == ')')) {
    Punct("(");
    Punct(")");
    t.term = IriTerm("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil");
    return t;
  }
  if (PeekLiteral()) {
    KG_ASSIGN_OR_RETURN(t.term, Literal());
    return t;
  }
  if (PeekIri()) {
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    t.term = IriTerm(iri);
    return t;
  }
  return Error("a variable, IRI, literal or blank node");
}

// Expressions ---------------------------------------------------------------

absl::StatusOr<ExprPtr> Parser::Expression() {
  KG_RETURN_IF_ERROR(Enter());
  // ConditionalOr > ConditionalAnd > Relational > Additive > Multiplicative > Unary.
  std::function<absl::StatusOr<ExprPtr>(int)> level = [&](int l) -> absl::StatusOr<ExprPtr> {
    const Pos pos = Here();
    switch (l) {
      case 0: case 1: {
        const std::string_view op = l == 0 ? "||" : "&&";
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(l + 1));
        while (Punct(op)) {
          KG_ASSIGN_OR_RETURN(ExprPtr right, level(l + 1));
          left = Node(l == 0 ? Expr::Kind::kOr : Expr::Kind::kAnd, pos, "", {left, right});
        }
        return left;
      }
      case 2: {
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(3));
        for (std::string_view op : {"!=", "<=", ">=", "=", "<", ">"}) {
          if (op == "<" && (text_.substr(i_).starts_with("<<") || LooksLikeIriRef())) continue;
          if (Punct(op)) {
            KG_ASSIGN_OR_RETURN(ExprPtr right, level(3));
            return Node(Expr::Kind::kCompare, pos, std::string(op), {left, right});
          }
        }
        bool negate = false;
        if (PeekKeyword("NOT")) {
          const size_t save = i_;
          Keyword("NOT");
          if (!PeekKeyword("IN")) {
            i_ = save;
            return left;
          }
          negate = true;
        }
        if (Keyword("IN")) {
          KG_RETURN_IF_ERROR(Expect("("));
          std::vector<ExprPtr> items = {left};
          if (!Punct(")")) {
            do {
              KG_ASSIGN_OR_RETURN(ExprPtr item, Expression());
              items.push_back(item);
            } while (Punct(","));
            KG_RETURN_IF_ERROR(Expect(")"));
          }
          return Node(negate ? Expr::Kind::kNotIn : Expr::Kind::kIn, pos, "", std::move(items));
        }
        return left;
      }
      case 3: case 4: {
        KG_ASSIGN_OR_RETURN(ExprPtr left, level(l + 1));
        for (;;) {
          Skip();
          const char c = Peek();
          const bool additive = l == 3 && (c == '+' || c == '-');
          const bool mult = l == 4 && (c == '*' || c == '/');
          if (!additive && !mult) return left;
          ++i_;
          KG_ASSIGN_OR_RETURN(ExprPtr right, level(l + 1));
          left = Node(Expr::Kind::kArith, pos, std::string(1, c), {left, right});
        }
      }
      default: {
        if (Punct("!=")) return Error("an expression");
        if (Punct("!")) {
          KG_ASSIGN_OR_RETURN(ExprPtr e, level(5));
          return Node(Expr::Kind::kNot, pos, "", {e});
        }
        const char c = Peek();
        if ((c == '+' || c == '-') && !PeekLiteral()) {
          ++i_;
          KG_ASSIGN_OR_RETURN(ExprPtr e, level(5));
          return Node(c == '-' ? Expr::Kind::kNegate : Expr::Kind::kPlus, pos, "", {e});
        }
        return PrimaryExpression();
      }
    }
  };
  auto e = level(0);
  Leave();
  return e;
}

absl::StatusOr<ExprPtr> Parser::BrackettedExpression() {
  KG_RETURN_IF_ERROR(Expect("("));
  KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
  KG_RETURN_IF_ERROR(Expect(")"));
  return e;
}

absl::StatusOr<ExprPtr> Parser::Constraint() {
  Skip();
  if (Peek() == '(') return BrackettedExpression();
  const Pos pos = Here();
  if (PeekIri()) {
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    return FunctionCall(IriTerm(iri), pos);
  }
  size_t j = i_;
  while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
  if (j == i_) return Error("a constraint: '(' expression ')' or a function call");
  return PrimaryExpression();
}

absl::StatusOr<std::vector<ExprPtr>> Parser::ArgList() {
  std::vector<ExprPtr> args;
  KG_RETURN_IF_ERROR(Expect("("));
  if (Punct(")")) return args;
  Keyword("DISTINCT");
  do {
    KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
    args.push_back(e);
  } while (Punct(","));
  KG_RETURN_IF_ERROR(Expect(")"));
  return args;
}

absl::StatusOr<ExprPtr> Parser::FunctionCall(Term iri, Pos pos) {
  KG_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, ArgList());
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kCall;
  e->pos = pos;
  e->term = std::move(iri);
  e->name = "";  // an IRI function: term holds it
  e->children = std::move(args);
  return e;
}

absl::StatusOr<ExprPtr> Parser::Aggregate(const std::string& name, Pos pos) {
  if (!aggregates_allowed_) {
    return ErrorAt(pos, StrCat("aggregate ", name,
                               " outside SELECT, HAVING and ORDER BY"));
  }
  if (in_aggregate_) return ErrorAt(pos, StrCat("aggregate ", name, " inside another aggregate"));
  saw_aggregate_ = true;
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kAggregate;
  e->pos = pos;
  e->name = name;
  KG_RETURN_IF_ERROR(Expect("("));
  e->distinct = Keyword("DISTINCT");
  if (name == "COUNT" && Punct("*")) {
    e->star = true;
  } else {
    in_aggregate_ = true;
    auto arg = Expression();
    in_aggregate_ = false;
    if (!arg.ok()) return arg.status();
    e->children.push_back(*arg);
  }
  if (name == "GROUP_CONCAT" && Punct(";")) {
    KG_RETURN_IF_ERROR(ExpectKeyword("SEPARATOR"));
    KG_RETURN_IF_ERROR(Expect("="));
    KG_ASSIGN_OR_RETURN(Term sep, Literal());
    if (sep.kind() != TermKind::kString || !sep.extra().empty()) {
      return ErrorAt(pos, "SEPARATOR takes a plain string");
    }
    e->separator = sep.text();
  }
  KG_RETURN_IF_ERROR(Expect(")"));
  return ExprPtr(e);
}

absl::StatusOr<ExprPtr> Parser::BuiltInCall(const std::string& upper, Pos pos) {
  if (IsAggregateName(upper)) return Aggregate(upper, pos);
  if (upper == "EXISTS" || upper == "NOT") {
    if (upper == "NOT") KG_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    auto e = std::make_shared<Expr>();
    e->kind = upper == "NOT" ? Expr::Kind::kNotExists : Expr::Kind::kExists;
    e->pos = pos;
    KG_ASSIGN_OR_RETURN(e->group, GroupGraphPattern());
    return ExprPtr(e);
  }
  const BuiltIn* b = FindBuiltIn(upper);
  if (b == nullptr) return ErrorAt(pos, StrCat("unknown function ", upper));
  std::vector<ExprPtr> args;
  if (upper == "BOUND") {
    KG_RETURN_IF_ERROR(Expect("("));
    const Pos vpos = Here();
    KG_ASSIGN_OR_RETURN(std::string v, Var());
    auto var = std::make_shared<Expr>();
    var->kind = Expr::Kind::kVar;
    var->pos = vpos;
    var->name = v;
    args.push_back(var);
    KG_RETURN_IF_ERROR(Expect(")"));
  } else {
    KG_RETURN_IF_ERROR(Expect("("));
    if (!Punct(")")) {
      do {
        KG_ASSIGN_OR_RETURN(ExprPtr e, Expression());
        args.push_back(e);
      } while (Punct(","));
      KG_RETURN_IF_ERROR(Expect(")"));
    }
  }
  const int n = static_cast<int>(args.size());
  if (n < b->min || (b->max >= 0 && n > b->max)) {
    return ErrorAt(pos, StrCat(upper, " takes ",
                               b->min == b->max ? StrCat(b->min)
                                                : StrCat(b->min, " to ", b->max),
                               " argument", b->max == 1 ? "" : "s", ", not ", n));
  }
  return Node(Expr::Kind::kCall, pos, upper, std::move(args));
}

absl::StatusOr<ExprPtr> Parser::PrimaryExpression() {
  Skip();
  const Pos pos = Here();
  if (Peek() == '(') return BrackettedExpression();
  if (PeekVar()) {
    KG_ASSIGN_OR_RETURN(std::string v, Var());
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kVar;
    e->pos = pos;
    e->name = std::move(v);
    return ExprPtr(e);
  }
  if (text_.substr(i_).starts_with("<<(")) {
    // A triple term of constants and variables: TRIPLE(s, p, o).
    KG_ASSIGN_OR_RETURN(PTerm t, VarOrTerm());
    std::vector<ExprPtr> parts;
    for (const PTerm& p : *t.parts) {
      auto e = std::make_shared<Expr>();
      e->pos = p.pos;
      if (p.kind == PTerm::Kind::kVar) {
        e->kind = Expr::Kind::kVar;
        e->name = p.var;
      } else if (p.kind == PTerm::Kind::kConst) {
        e->kind = Expr::Kind::kConst;
        e->term = p.term;
      } else {
        return ErrorAt(p.pos, "a nested triple term in an expression");
      }
      parts.push_back(e);
    }
    return Node(Expr::Kind::kCall, pos, "TRIPLE", std::move(parts));
  }
  if (PeekLiteral()) {
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kConst;
    e->pos = pos;
    KG_ASSIGN_OR_RETURN(e->term, Literal());
    return ExprPtr(e);
  }
  if (PeekIri()) {
    KG_ASSIGN_OR_RETURN(std::string iri, Iri());
    if (Peek() == '(') return FunctionCall(IriTerm(iri), pos);
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kConst;
    e->pos = pos;
    e->term = IriTerm(iri);
    return ExprPtr(e);
  }
  size_t j = i_;
  while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
  if (j > i_) {
    const std::string upper = absl::AsciiStrToUpper(std::string(text_.substr(i_, j - i_)));
    i_ = j;
    return BuiltInCall(upper, pos);
  }
  return Error("an expression");
}

void ExprVars(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kVar) out.push_back(e.name);
  for (const ExprPtr& c : e.children) ExprVars(*c, out);
}

}  // namespace kg::query::sparql::internal
