#include "tests/support/srx.h"

#include "kg/str_cat.h"
#include "tests/support/mini_xml.h"

namespace kg::testing {
namespace {

constexpr std::string_view kSrxNs = "http://www.w3.org/2005/sparql-results#";

const XmlElement* Child(const XmlElement& e, std::string_view local) {
  for (const XmlElement& c : e.children) {
    if (c.ns == kSrxNs && c.local == local) return &c;
  }
  return nullptr;
}

absl::StatusOr<kg::RdfTerm> Value(const XmlElement& v) {
  auto at = [&](std::string_view what) {
    return StrCat("line ", v.line, ": ", what);
  };
  if (v.ns != kSrxNs)
    return absl::InvalidArgumentError(at("value outside the srx namespace"));
  if (v.local == "uri") return kg::RdfTerm::Iri(v.text);
  if (v.local == "bnode") return kg::RdfTerm::BlankNode(v.text);
  if (v.local == "literal") {
    if (const std::string* lang = v.Attribute(kXmlNs, "lang")) {
      return kg::RdfTerm::LangLiteral(v.text, *lang);
    }
    const std::string* dt = v.Attribute("", "datatype");
    return kg::RdfTerm::Literal(v.text, dt == nullptr ? "" : *dt);
  }
  if (v.local == "triple") {
    const XmlElement* parts[3] = {Child(v, "subject"), Child(v, "predicate"),
                                  Child(v, "object")};
    kg::RdfTerm terms[3];
    for (int i = 0; i < 3; ++i) {
      if (parts[i] == nullptr || parts[i]->children.size() != 1) {
        return absl::InvalidArgumentError(
            at("<triple> needs subject, predicate and object"));
      }
      auto t = Value(parts[i]->children.front());
      if (!t.ok()) return t.status();
      terms[i] = *std::move(t);
    }
    return kg::RdfTerm::TripleTerm(terms[0], terms[1], terms[2]);
  }
  return absl::InvalidArgumentError(
      at(StrCat("unknown value <", v.local, ">")));
}

}  // namespace

absl::StatusOr<SparqlResultTable> ParseSrx(std::string_view text) {
  auto root = ParseXml(text);
  if (!root.ok()) return root.status();
  if (root->ns != kSrxNs || root->local != "sparql") {
    return absl::InvalidArgumentError("the root element is not srx <sparql>");
  }
  SparqlResultTable table;
  if (const XmlElement* head = Child(*root, "head")) {
    for (const XmlElement& v : head->children) {
      if (v.local != "variable") continue;
      const std::string* name = v.Attribute("", "name");
      if (name == nullptr) {
        return absl::InvalidArgumentError(
            StrCat("line ", v.line, ": <variable> without a name"));
      }
      table.vars.push_back(*name);
    }
  }
  if (const XmlElement* boolean = Child(*root, "boolean")) {
    table.is_boolean = true;
    std::string b;
    for (char c : boolean->text) {
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r') b.push_back(c);
    }
    if (b != "true" && b != "false") {
      return absl::InvalidArgumentError(
          StrCat("line ", boolean->line, ": <boolean> is ", b));
    }
    table.boolean = b == "true";
    return table;
  }
  const XmlElement* results = Child(*root, "results");
  if (results == nullptr)
    return absl::InvalidArgumentError("neither <results> nor <boolean>");
  for (const XmlElement& r : results->children) {
    if (r.ns != kSrxNs || r.local != "result") continue;
    SparqlSolution row;
    for (const XmlElement& b : r.children) {
      if (b.ns != kSrxNs || b.local != "binding") continue;
      const std::string* name = b.Attribute("", "name");
      if (name == nullptr || b.children.size() != 1) {
        return absl::InvalidArgumentError(
            StrCat("line ", b.line, ": <binding> needs a name and one value"));
      }
      auto v = Value(b.children.front());
      if (!v.ok()) return v.status();
      row[*name] = *std::move(v);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<SparqlResultTable> ReadSrx(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text.ok()) return text.status();
  auto table = ParseSrx(*text);
  if (!table.ok())
    return absl::InvalidArgumentError(
        StrCat(path, ": ", table.status().message()));
  return table;
}

}  // namespace kg::testing
