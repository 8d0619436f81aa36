// The RDF 1.2 abstract syntax as the N-Triples / N-Quads reader produces it:
// terms (IRIs, blank nodes, literals, triple terms), triples and quads.
// Values are stored decoded (escapes resolved); writing them back out is the
// serializer's job (see ingest/rdf/ntriples.h).
#ifndef KG_KG_RDF_H_
#define KG_KG_RDF_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kg {

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
inline constexpr std::string_view kRdfDirLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString";

struct RdfTriple;

// Base direction of a directional language-tagged string (RDF 1.2).
enum class BaseDirection { kNone, kLtr, kRtl };

struct RdfTerm {
  enum class Kind { kIri, kBlankNode, kLiteral, kTripleTerm };

  Kind kind = Kind::kIri;
  // kIri: the IRI. kBlankNode: the label without "_:". kLiteral: the
  // lexical form. kTripleTerm: empty.
  std::string value;
  // kLiteral only: the datatype IRI. xsd:string for plain literals,
  // rdf:langString / rdf:dirLangString for language-tagged ones.
  std::string datatype;
  std::string language;  // kLiteral only; as written, "" if none
  BaseDirection direction = BaseDirection::kNone;  // kLiteral only
  std::shared_ptr<const RdfTriple> triple;         // kTripleTerm only

  static RdfTerm Iri(std::string iri);
  static RdfTerm BlankNode(std::string label);
  // A literal with an explicit datatype (xsd:string when `datatype` is "").
  static RdfTerm Literal(std::string lexical, std::string datatype = "");
  // A language-tagged string; directional when `direction` is not kNone.
  static RdfTerm LangLiteral(std::string lexical, std::string language,
                             BaseDirection direction = BaseDirection::kNone);
  static RdfTerm TripleTerm(RdfTerm s, RdfTerm p, RdfTerm o);

  bool is_iri() const { return kind == Kind::kIri; }
  bool is_blank_node() const { return kind == Kind::kBlankNode; }
  bool is_literal() const { return kind == Kind::kLiteral; }
  bool is_triple_term() const { return kind == Kind::kTripleTerm; }

  // Term equality per RDF 1.2: language tags compare case-insensitively,
  // triple terms compare by their components.
  friend bool operator==(const RdfTerm& a, const RdfTerm& b);
};

struct RdfTriple {
  RdfTerm s, p, o;
  friend bool operator==(const RdfTriple& a, const RdfTriple& b) {
    return a.s == b.s && a.p == b.p && a.o == b.o;
  }
};

// A triple, in the default graph when `graph` is empty.
struct RdfQuad {
  RdfTerm s, p, o;
  std::optional<RdfTerm> graph;
  friend bool operator==(const RdfQuad& a, const RdfQuad& b) {
    return a.s == b.s && a.p == b.p && a.o == b.o && a.graph == b.graph;
  }
};

// True if `iri` is absolute: it starts with a scheme (ALPHA *(ALPHA / DIGIT /
// "+" / "-" / ".")) followed by ':'.
bool IsAbsoluteIri(std::string_view iri);

}  // namespace kg

#endif  // KG_KG_RDF_H_
