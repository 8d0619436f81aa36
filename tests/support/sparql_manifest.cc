#include "tests/support/sparql_manifest.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "ingest/rdf/turtle.h"
#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"

namespace kg::testing {
namespace {

using kg::RdfQuad;
using kg::RdfTerm;

constexpr std::string_view kMf =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kQt =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
constexpr std::string_view kUt =
    "http://www.w3.org/2009/sparql/tests/test-update#";
constexpr std::string_view kDawgt =
    "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#";
constexpr std::string_view kRdfs = "http://www.w3.org/2000/01/rdf-schema#";

std::string LocalName(const std::string& iri) {
  const size_t cut = iri.find_last_of("#/");
  return cut == std::string::npos ? iri : iri.substr(cut + 1);
}

// file:///x/y%20z -> /x/y z
std::string PathOf(const std::string& iri) {
  const std::string p = iri.starts_with("file://") ? iri.substr(7) : iri;
  return PercentDecode(p).value_or(p);
}

// The statements of a manifest, by subject and predicate.
class Graph {
 public:
  absl::Status Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(StrCat("cannot read ", path));
    ingest::TurtleReader reader(path, in, /*trig=*/false, FileIri(path));
    RdfQuad q;
    while (reader.Next(&q)) props_[Key(q.s)][q.p.value].push_back(q.o);
    if (reader.error()) return absl::InvalidArgumentError(reader.FormatError());
    return absl::OkStatus();
  }

  static std::string Key(const RdfTerm& t) {
    return t.is_blank_node() ? "_:" + t.value : t.value;
  }

  const std::vector<RdfTerm>& All(const std::string& s, std::string_view ns,
                                  std::string_view local) const {
    static const std::vector<RdfTerm> kNone;
    auto it = props_.find(s);
    if (it == props_.end()) return kNone;
    auto jt = it->second.find(StrCat(ns, local));
    return jt == it->second.end() ? kNone : jt->second;
  }
  const RdfTerm* First(const std::string& s, std::string_view ns,
                       std::string_view local) const {
    const auto& all = All(s, ns, local);
    return all.empty() ? nullptr : &all.front();
  }
  // The subject with property `ns``local`, "" if none.
  std::string SubjectWith(std::string_view ns, std::string_view local) const {
    for (const auto& [s, p] : props_) {
      if (p.contains(StrCat(ns, local))) return s;
    }
    return "";
  }

  // The members of the RDF list starting at `head`.
  absl::StatusOr<std::vector<RdfTerm>> List(const RdfTerm& head) const {
    std::vector<RdfTerm> items;
    std::set<std::string> seen;
    for (std::string node = Key(head); node != StrCat(kRdfNs, "nil");) {
      const RdfTerm* first = First(node, kRdfNs, "first");
      const RdfTerm* rest = First(node, kRdfNs, "rest");
      if (first == nullptr || rest == nullptr || !seen.insert(node).second) {
        return absl::InvalidArgumentError("a malformed RDF list");
      }
      items.push_back(*first);
      node = Key(*rest);
    }
    return items;
  }

 private:
  std::map<std::string, std::map<std::string, std::vector<RdfTerm>>> props_;
};

std::vector<std::string> Paths(const std::vector<RdfTerm>& terms) {
  std::vector<std::string> out;
  for (const RdfTerm& t : terms) {
    if (t.is_iri()) out.push_back(PathOf(t.value));
  }
  return out;
}

SparqlTestEntry Entry(const Graph& g, const RdfTerm& item) {
  SparqlTestEntry e;
  const std::string s = Graph::Key(item);
  e.id = item.value;
  if (const RdfTerm* t = g.First(s, kRdfNs, "type"))
    e.type = LocalName(t->value);
  if (const RdfTerm* n = g.First(s, kMf, "name")) e.name = n->value;
  if (const RdfTerm* a = g.First(s, kDawgt, "approval"))
    e.approval = LocalName(a->value);
  if (const RdfTerm* action = g.First(s, kMf, "action")) {
    if (action->is_iri()) {
      e.query = PathOf(action->value);
    } else {
      const std::string a = Graph::Key(*action);
      if (const RdfTerm* q = g.First(a, kQt, "query"))
        e.query = PathOf(q->value);
      if (const RdfTerm* q = g.First(a, kUt, "request"))
        e.query = PathOf(q->value);
      e.data = Paths(g.All(a, kQt, "data"));
      e.graph_data = Paths(g.All(a, kQt, "graphData"));
      e.service_data = !g.All(a, kQt, "serviceData").empty();
    }
  }
  if (const RdfTerm* r = g.First(s, kMf, "result");
      r != nullptr && r->is_iri()) {
    e.result = PathOf(r->value);
  }
  for (const RdfTerm& r : g.All(s, kMf, "requires"))
    e.required.push_back(LocalName(r.value));
  if (const RdfTerm* c = g.First(s, kMf, "resultCardinality")) {
    e.lax_cardinality = LocalName(c->value) == "LaxCardinality";
  }
  return e;
}

absl::Status Collect(const std::string& path, std::set<std::string>* seen,
                     std::vector<SparqlManifest>* out) {
  if (!seen->insert(path).second) return absl::OkStatus();
  Graph g;
  if (auto s = g.Read(path); !s.ok()) return s;
  const std::string top = g.SubjectWith(kMf, "include");
  if (top.empty()) {
    auto m = ReadSparqlManifest(path);
    if (!m.ok()) return m.status();
    out->push_back(*std::move(m));
    return absl::OkStatus();
  }
  auto includes = g.List(*g.First(top, kMf, "include"));
  if (!includes.ok())
    return absl::InvalidArgumentError(
        StrCat(path, ": mf:include: ", includes.status().message()));
  for (const RdfTerm& inc : *includes) {
    if (auto s = Collect(PathOf(inc.value), seen, out); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SparqlManifest> ReadSparqlManifest(const std::string& path) {
  Graph g;
  if (auto s = g.Read(path); !s.ok()) return s;
  SparqlManifest m;
  m.path = path;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  m.folder = dir.filename().string();
  m.suite = dir.parent_path().filename().string();
  const std::string self = g.SubjectWith(kMf, "entries");
  if (self.empty()) return m;  // a manifest of manifests only, or empty
  if (const RdfTerm* l = g.First(self, kRdfs, "label")) m.label = l->value;
  auto items = g.List(*g.First(self, kMf, "entries"));
  if (!items.ok())
    return absl::InvalidArgumentError(
        StrCat(path, ": mf:entries: ", items.status().message()));
  std::set<std::string> keys;
  for (const RdfTerm& item : *items) {
    SparqlTestEntry e = Entry(g, item);
    const std::string base =
        StrCat(m.suite, "/", m.folder, "/", LocalName(e.id));
    e.key = base;
    for (int i = 2; !keys.insert(e.key).second; ++i)
      e.key = StrCat(base, "_", i);
    m.entries.push_back(std::move(e));
  }
  return m;
}

absl::StatusOr<std::vector<SparqlManifest>> ReadSparqlManifests(
    const std::string& top) {
  std::vector<SparqlManifest> out;
  std::set<std::string> seen;
  if (auto s = Collect(top, &seen, &out); !s.ok()) return s;
  return out;
}

}  // namespace kg::testing
