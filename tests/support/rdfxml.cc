#include "tests/support/rdfxml.h"

#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "tests/support/mini_xml.h"

namespace kg::testing {
namespace {

using kg::RdfQuad;
using kg::RdfTerm;

class Reader {
 public:
  explicit Reader(std::vector<RdfQuad>* out) : out_(out) {}

  absl::Status Document(const XmlElement& root, const std::string& base) {
    if (IsRdf(root, "RDF")) {
      const std::string b = Base(root, base);
      for (const XmlElement& node : root.children) {
        auto s = Node(node, b, Lang(root, ""));
        if (!s.ok()) return s.status();
      }
      return absl::OkStatus();
    }
    return Node(root, base, "").status();
  }

 private:
  static bool IsRdf(const XmlElement& e, std::string_view local) {
    return e.ns == kRdfNs && e.local == local;
  }
  static std::string Base(const XmlElement& e, const std::string& base) {
    const std::string* b = e.Attribute(kXmlNs, "base");
    return b == nullptr ? base : ResolveIri(base, *b);
  }
  static std::string Lang(const XmlElement& e, const std::string& lang) {
    const std::string* l = e.Attribute(kXmlNs, "lang");
    return l == nullptr ? lang : *l;
  }
  static absl::Status Error(const XmlElement& e, std::string_view what) {
    return absl::InvalidArgumentError(StrCat("line ", e.line, ": ", what));
  }
  RdfTerm Fresh() { return RdfTerm::BlankNode(StrCat("x", ++blank_)); }
  void Emit(RdfTerm s, RdfTerm p, RdfTerm o) {
    out_->push_back(
        RdfQuad{std::move(s), std::move(p), std::move(o), std::nullopt});
  }
  static RdfTerm Rdf(std::string_view local) {
    return RdfTerm::Iri(StrCat(kRdfNs, local));
  }

  // A node element: its subject, type, property attributes and properties.
  absl::StatusOr<RdfTerm> Node(const XmlElement& e,
                               const std::string& inherited_base,
                               const std::string& inherited_lang) {
    const std::string base = Base(e, inherited_base);
    const std::string lang = Lang(e, inherited_lang);
    RdfTerm subject;
    if (const std::string* about = e.Attribute(kRdfNs, "about")) {
      subject = RdfTerm::Iri(ResolveIri(base, *about));
    } else if (const std::string* id = e.Attribute(kRdfNs, "ID")) {
      subject = RdfTerm::Iri(ResolveIri(base, StrCat("#", *id)));
    } else if (const std::string* node_id = e.Attribute(kRdfNs, "nodeID")) {
      subject = RdfTerm::BlankNode(*node_id);
    } else {
      subject = Fresh();
    }
    if (!IsRdf(e, "Description"))
      Emit(subject, Rdf("type"), RdfTerm::Iri(e.ns + e.local));
    for (const XmlAttribute& a : e.attributes) {
      if (a.ns == kXmlNs ||
          (a.ns == kRdfNs &&
           (a.local == "about" || a.local == "ID" || a.local == "nodeID"))) {
        continue;
      }
      if (a.ns == kRdfNs && a.local == "type") {
        Emit(subject, Rdf("type"), RdfTerm::Iri(ResolveIri(base, a.value)));
      } else if (!a.ns.empty()) {
        Emit(subject, RdfTerm::Iri(a.ns + a.local),
             lang.empty() ? RdfTerm::Literal(a.value)
                          : RdfTerm::LangLiteral(a.value, lang));
      }
    }
    if (auto s = Properties(e, subject, base, lang); !s.ok()) return s;
    return subject;
  }

  absl::Status Properties(const XmlElement& e, const RdfTerm& subject,
                          const std::string& base, const std::string& lang) {
    int li = 0;
    for (const XmlElement& p : e.children) {
      RdfTerm predicate = RdfTerm::Iri(p.ns + p.local);
      if (IsRdf(p, "li")) predicate = Rdf(StrCat("_", ++li));
      if (auto s =
              Property(p, subject, predicate, Base(p, base), Lang(p, lang));
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Property(const XmlElement& p, const RdfTerm& subject,
                        const RdfTerm& predicate, const std::string& base,
                        const std::string& lang) {
    const std::string* parse_type = p.Attribute(kRdfNs, "parseType");
    if (p.Attribute(kRdfNs, "ID") != nullptr)
      return Error(p, "reification (rdf:ID) unsupported");
    if (parse_type != nullptr && *parse_type == "Resource") {
      const RdfTerm node = Fresh();
      Emit(subject, predicate, node);
      return Properties(p, node, base, lang);
    }
    if (parse_type != nullptr && *parse_type == "Collection") {
      RdfTerm tail = Rdf("nil");
      std::vector<RdfTerm> items;
      for (const XmlElement& n : p.children) {
        auto item = Node(n, base, lang);
        if (!item.ok()) return item.status();
        items.push_back(*std::move(item));
      }
      for (auto it = items.rbegin(); it != items.rend(); ++it) {
        const RdfTerm cell = Fresh();
        Emit(cell, Rdf("first"), *it);
        Emit(cell, Rdf("rest"), tail);
        tail = cell;
      }
      Emit(subject, predicate, tail);
      return absl::OkStatus();
    }
    if (parse_type != nullptr)
      return Error(p, StrCat("rdf:parseType=\"", *parse_type, "\""));
    if (const std::string* resource = p.Attribute(kRdfNs, "resource")) {
      Emit(subject, predicate, RdfTerm::Iri(ResolveIri(base, *resource)));
      return absl::OkStatus();
    }
    if (const std::string* node_id = p.Attribute(kRdfNs, "nodeID")) {
      Emit(subject, predicate, RdfTerm::BlankNode(*node_id));
      return absl::OkStatus();
    }
    if (!p.children.empty()) {
      if (p.children.size() != 1)
        return Error(p, "a property element with several nodes");
      auto object = Node(p.children.front(), base, lang);
      if (!object.ok()) return object.status();
      Emit(subject, predicate, *object);
      return absl::OkStatus();
    }
    if (const std::string* dt = p.Attribute(kRdfNs, "datatype")) {
      Emit(subject, predicate, RdfTerm::Literal(p.text, ResolveIri(base, *dt)));
    } else if (!lang.empty()) {
      Emit(subject, predicate, RdfTerm::LangLiteral(p.text, lang));
    } else {
      Emit(subject, predicate, RdfTerm::Literal(p.text));
    }
    return absl::OkStatus();
  }

  std::vector<RdfQuad>* out_;
  int blank_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<RdfQuad>> ReadRdfXml(const std::string& path,
                                                const std::string& base) {
  auto root = ReadXmlFile(path);
  if (!root.ok()) return root.status();
  std::vector<RdfQuad> quads;
  Reader reader(&quads);
  if (auto s = reader.Document(*root, base.empty() ? FileIri(path) : base);
      !s.ok()) {
    return absl::InvalidArgumentError(StrCat(path, ": ", s.message()));
  }
  return quads;
}

}  // namespace kg::testing
