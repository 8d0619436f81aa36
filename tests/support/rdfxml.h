// The subset of RDF/XML the W3C SPARQL suites use (sort/*.rdf result sets,
// subquery/*.rdf data): node elements (rdf:Description or typed) with
// rdf:about, rdf:nodeID or rdf:ID, property attributes, and property
// elements with rdf:resource, rdf:nodeID, rdf:datatype, xml:lang,
// rdf:parseType="Resource" / "Collection", a nested node element or text;
// xml:base; rdf:li. Anything else (rdf:parseType="Literal", reification
// with rdf:ID on a property) is an error. kg imports no RDF/XML: this is
// test-only code that turns those files into statements.
#ifndef KG_TESTS_SUPPORT_RDFXML_H_
#define KG_TESTS_SUPPORT_RDFXML_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/rdf.h"

namespace kg::testing {

// The triples of the RDF/XML file at `path`; relative IRIs resolve against
// `base` (the file's file:// IRI when empty). Blank nodes are labelled
// "x<N>" (generated) or after their rdf:nodeID.
absl::StatusOr<std::vector<kg::RdfQuad>> ReadRdfXml(
    const std::string& path, const std::string& base = "");

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_RDFXML_H_
