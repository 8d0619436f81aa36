#include "kg/rdf.h"

#include <utility>

namespace kg {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

RdfTerm RdfTerm::Iri(std::string iri) {
  RdfTerm t;
  t.kind = Kind::kIri;
  t.value = std::move(iri);
  return t;
}

RdfTerm RdfTerm::BlankNode(std::string label) {
  RdfTerm t;
  t.kind = Kind::kBlankNode;
  t.value = std::move(label);
  return t;
}

RdfTerm RdfTerm::Literal(std::string lexical, std::string datatype) {
  RdfTerm t;
  t.kind = Kind::kLiteral;
  t.value = std::move(lexical);
  t.datatype = datatype.empty() ? std::string(kXsdString) : std::move(datatype);
  return t;
}

RdfTerm RdfTerm::LangLiteral(std::string lexical, std::string language,
                             BaseDirection direction) {
  RdfTerm t;
  t.kind = Kind::kLiteral;
  t.value = std::move(lexical);
  t.language = std::move(language);
  t.direction = direction;
  t.datatype = std::string(direction == BaseDirection::kNone ? kRdfLangString
                                                             : kRdfDirLangString);
  return t;
}

RdfTerm RdfTerm::TripleTerm(RdfTerm s, RdfTerm p, RdfTerm o) {
  RdfTerm t;
  t.kind = Kind::kTripleTerm;
  t.triple = std::make_shared<const RdfTriple>(
      RdfTriple{std::move(s), std::move(p), std::move(o)});
  return t;
}

bool operator==(const RdfTerm& a, const RdfTerm& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case RdfTerm::Kind::kIri:
    case RdfTerm::Kind::kBlankNode:
      return a.value == b.value;
    case RdfTerm::Kind::kLiteral:
      return a.value == b.value && a.datatype == b.datatype &&
             a.direction == b.direction && EqualsIgnoreAsciiCase(a.language, b.language);
    case RdfTerm::Kind::kTripleTerm:
      if (a.triple == b.triple) return true;
      return a.triple != nullptr && b.triple != nullptr && *a.triple == *b.triple;
  }
  return false;
}

bool IsAbsoluteIri(std::string_view iri) {
  if (iri.empty() || !IsAlpha(iri[0])) return false;
  for (size_t i = 1; i < iri.size(); ++i) {
    const char c = iri[i];
    if (c == ':') return true;
    if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

}  // namespace kg
