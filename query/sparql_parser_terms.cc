// SPARQL lexing and terms: white space, keywords, variables, IRIs, prefixed
// names, literals, blank nodes and triple terms (sparql_parser_internal.h).
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

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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

absl::StatusOr<PTerm> Parser::SimpleVerb() {
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
  return p;
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
        KG_ASSIGN_OR_RETURN(PTerm p, SimpleVerb());
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

}  // namespace kg::query::sparql::internal
