#include "shacl/graph.h"

#include <algorithm>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/rdf_reader.h"
#include "ingest/rdf/turtle.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::shacl {

NodeId TermPool::Intern(const RdfTerm& term) {
  std::string key = ingest::CanonicalTerm(term);
  auto [it, added] = ids_.try_emplace(std::move(key), static_cast<NodeId>(terms_.size()));
  if (added) terms_.push_back(term);
  return it->second;
}

std::optional<NodeId> TermPool::Find(const RdfTerm& term) const {
  auto it = ids_.find(ingest::CanonicalTerm(term));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

Graph::Graph(std::shared_ptr<TermPool> pool) : pool_(std::move(pool)) {
  rdf_type_ = pool_->Iri(StrCat(kRdfNs, "type"));
  rdf_first_ = pool_->Iri(StrCat(kRdfNs, "first"));
  rdf_rest_ = pool_->Iri(StrCat(kRdfNs, "rest"));
  rdf_nil_ = pool_->Iri(StrCat(kRdfNs, "nil"));
  rdfs_sub_class_of_ = pool_->Iri("http://www.w3.org/2000/01/rdf-schema#subClassOf");
}

void Graph::Add(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o) {
  Add(pool_->Intern(s), pool_->Intern(p), pool_->Intern(o));
}

namespace {

void BuildIndex(const std::vector<IdTriple>& v, NodeId IdTriple::*key,
                absl::flat_hash_map<NodeId, std::pair<uint32_t, uint32_t>>* index) {
  index->clear();
  for (uint32_t i = 0; i < v.size();) {
    uint32_t j = i;
    while (j < v.size() && v[j].*key == v[i].*key) ++j;
    (*index)[v[i].*key] = {i, j};
    i = j;
  }
}

}  // namespace

void Graph::Finish() {
  auto by_spo = [](const IdTriple& a, const IdTriple& b) {
    return std::tie(a.s, a.p, a.o) < std::tie(b.s, b.p, b.o);
  };
  std::sort(spo_.begin(), spo_.end(), by_spo);
  spo_.erase(std::unique(spo_.begin(), spo_.end()), spo_.end());
  ops_ = spo_;
  std::sort(ops_.begin(), ops_.end(), [](const IdTriple& a, const IdTriple& b) {
    return std::tie(a.o, a.p, a.s) < std::tie(b.o, b.p, b.s);
  });
  BuildIndex(spo_, &IdTriple::s, &out_);
  BuildIndex(ops_, &IdTriple::o, &in_);
}

std::span<const IdTriple> Graph::Range(
    const std::vector<IdTriple>& v,
    const absl::flat_hash_map<NodeId, std::pair<uint32_t, uint32_t>>& index, NodeId key) const {
  auto it = index.find(key);
  if (it == index.end()) return {};
  return std::span<const IdTriple>(v.data() + it->second.first, it->second.second - it->second.first);
}

std::span<const IdTriple> Graph::Out(NodeId s) const { return Range(spo_, out_, s); }
std::span<const IdTriple> Graph::In(NodeId o) const { return Range(ops_, in_, o); }

std::vector<NodeId> Graph::Objects(NodeId s, NodeId p) const {
  std::vector<NodeId> out;
  auto edges = Out(s);
  auto lo = std::lower_bound(edges.begin(), edges.end(), p,
                             [](const IdTriple& t, NodeId p) { return t.p < p; });
  for (; lo != edges.end() && lo->p == p; ++lo) out.push_back(lo->o);
  return out;
}

std::vector<NodeId> Graph::Subjects(NodeId p, NodeId o) const {
  std::vector<NodeId> out;
  auto edges = In(o);
  auto lo = std::lower_bound(edges.begin(), edges.end(), p,
                             [](const IdTriple& t, NodeId p) { return t.p < p; });
  for (; lo != edges.end() && lo->p == p; ++lo) out.push_back(lo->s);
  return out;
}

std::optional<NodeId> Graph::Object(NodeId s, NodeId p) const {
  auto edges = Out(s);
  auto lo = std::lower_bound(edges.begin(), edges.end(), p,
                             [](const IdTriple& t, NodeId p) { return t.p < p; });
  if (lo != edges.end() && lo->p == p) return lo->o;
  return std::nullopt;
}

bool Graph::Has(NodeId s, NodeId p, NodeId o) const {
  auto edges = Out(s);
  return std::binary_search(edges.begin(), edges.end(), IdTriple{s, p, o},
                            [](const IdTriple& a, const IdTriple& b) {
                              return std::tie(a.p, a.o) < std::tie(b.p, b.o);
                            });
}

absl::StatusOr<std::vector<NodeId>> Graph::List(NodeId head) const {
  std::vector<NodeId> items;
  absl::flat_hash_set<NodeId> seen;
  for (NodeId n = head; n != rdf_nil_;) {
    if (!seen.insert(n).second) {
      return absl::InvalidArgumentError(
          StrCat("the RDF list at ", ingest::CanonicalTerm(pool_->term(head)), " is cyclic"));
    }
    const std::vector<NodeId> first = Objects(n, rdf_first_);
    const std::vector<NodeId> rest = Objects(n, rdf_rest_);
    if (first.size() != 1 || rest.size() != 1) {
      return absl::InvalidArgumentError(
          StrCat(ingest::CanonicalTerm(pool_->term(head)),
                 " is not a well-formed RDF list (each node needs one rdf:first and one rdf:rest)"));
    }
    items.push_back(first[0]);
    n = rest[0];
  }
  return items;
}

std::vector<NodeId> Graph::SubClassesOf(NodeId cls) const {
  std::vector<NodeId> out = {cls};
  absl::flat_hash_set<NodeId> seen = {cls};
  for (size_t i = 0; i < out.size(); ++i) {
    for (NodeId sub : Subjects(rdfs_sub_class_of_, out[i])) {
      if (seen.insert(sub).second) out.push_back(sub);
    }
  }
  return out;
}

bool Graph::IsInstanceOf(NodeId node, NodeId cls) const {
  // Upwards from the node's types: usually far fewer than the subclasses.
  std::vector<NodeId> todo = Objects(node, rdf_type_);
  absl::flat_hash_set<NodeId> seen(todo.begin(), todo.end());
  while (!todo.empty()) {
    const NodeId c = todo.back();
    todo.pop_back();
    if (c == cls) return true;
    for (NodeId super : Objects(c, rdfs_sub_class_of_)) {
      if (seen.insert(super).second) todo.push_back(super);
    }
  }
  return false;
}

std::vector<NodeId> Graph::InstancesOf(NodeId cls) const {
  std::vector<NodeId> out;
  absl::flat_hash_set<NodeId> seen;
  for (NodeId c : SubClassesOf(cls)) {
    for (NodeId n : Subjects(rdf_type_, c)) {
      if (seen.insert(n).second) out.push_back(n);
    }
  }
  return out;
}

namespace {

RdfTerm Scoped(const RdfTerm& t, std::string_view prefix) {
  if (prefix.empty()) return t;
  if (t.is_blank_node()) return RdfTerm::BlankNode(StrCat(prefix, t.value));
  if (t.is_triple_term() && t.triple != nullptr) {
    return RdfTerm::TripleTerm(Scoped(t.triple->s, prefix), Scoped(t.triple->p, prefix),
                               Scoped(t.triple->o, prefix));
  }
  return t;
}

absl::Status ReadAll(ingest::RdfReader& reader, std::string_view blank_prefix, Graph* graph) {
  RdfQuad q;
  while (reader.Next(&q)) {
    graph->Add(Scoped(q.s, blank_prefix), Scoped(q.p, blank_prefix), Scoped(q.o, blank_prefix));
  }
  if (reader.error()) return absl::InvalidArgumentError(reader.FormatError());
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadRdfFile(const std::string& path, std::string_view blank_prefix, Graph* graph) {
  std::optional<ingest::RdfSyntax> syntax = ingest::RdfSyntaxFromName(path);
  if (!syntax) {
    KG_ASSIGN_OR_RETURN(syntax, ingest::SniffRdfSyntax(path));
  }
  KG_ASSIGN_OR_RETURN(ingest::RdfSource source, ingest::OpenRdfReader(path, *syntax));
  return ReadAll(*source.reader, blank_prefix, graph);
}

absl::Status ReadTurtleText(std::string_view text, const std::string& name,
                            const std::string& base, std::string_view blank_prefix,
                            Graph* graph) {
  std::istringstream in{std::string(text)};
  ingest::TurtleReader reader(name, in, /*trig=*/false, base);
  return ReadAll(reader, blank_prefix, graph);
}

}  // namespace kg::shacl
