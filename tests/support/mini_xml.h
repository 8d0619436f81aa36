// A small XML reader for test data: the SPARQL Query Results XML Format
// (srx.h) and the RDF/XML files of the W3C SPARQL suites (rdfxml.h). Reads
// a whole document into a tree of elements with namespaces resolved:
// elements, attributes, character data (entities and CDATA decoded),
// comments, processing instructions and a DOCTYPE without an internal
// subset. No DTDs, no validation, no mixed-content order. Test-only code.
#ifndef KG_TESTS_SUPPORT_MINI_XML_H_
#define KG_TESTS_SUPPORT_MINI_XML_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kg::testing {

inline constexpr std::string_view kXmlNs =
    "http://www.w3.org/XML/1998/namespace";

struct XmlAttribute {
  std::string ns;     // namespace IRI; "" for an unprefixed attribute
  std::string local;  // local name
  std::string value;  // entities decoded
};

struct XmlElement {
  std::string ns;     // namespace IRI ("" when none is in scope)
  std::string local;  // local name
  std::vector<XmlAttribute> attributes;  // xmlns declarations left out
  std::vector<XmlElement> children;
  std::string text;  // the character data directly inside, concatenated
  int line = 0;      // where the start tag is

  // The value of attribute {ns}local, nullptr if absent.
  const std::string* Attribute(std::string_view ns,
                               std::string_view local) const;
};

// Parses a whole document; returns its root element. Errors name the line.
absl::StatusOr<XmlElement> ParseXml(std::string_view text);

// Reads and parses the file at `path`.
absl::StatusOr<XmlElement> ReadXmlFile(const std::string& path);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_MINI_XML_H_
