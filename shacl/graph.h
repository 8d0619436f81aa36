// The in-memory RDF graphs SHACL validation reads: terms interned once in a
// TermPool shared by the data graph, the shapes graph and the report (so a
// node of one is the same id in the others), and triples kept sorted by
// subject and by object for the lookups paths and constraints make.
#ifndef KG_SHACL_GRAPH_H_
#define KG_SHACL_GRAPH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/rdf.h"

namespace kg::shacl {

using NodeId = uint32_t;

// Interns RDF terms: equal terms (RDF 1.2 term equality: language tags
// case-insensitively) get equal ids. Not thread-safe.
class TermPool {
 public:
  NodeId Intern(const RdfTerm& term);
  NodeId Iri(std::string_view iri) { return Intern(RdfTerm::Iri(std::string(iri))); }
  // The id of `term` if interned, else nullopt.
  std::optional<NodeId> Find(const RdfTerm& term) const;
  // REQUIRES: `id` came from this pool.
  const RdfTerm& term(NodeId id) const { return terms_[id]; }
  size_t size() const { return terms_.size(); }

 private:
  std::vector<RdfTerm> terms_;
  absl::flat_hash_map<std::string, NodeId> ids_;  // canonical N-Triples form -> id
};

struct IdTriple {
  NodeId s, p, o;
  bool operator==(const IdTriple&) const = default;
};

// A set of triples over a TermPool. Add() triples, then Finish() once;
// the lookups are valid only after Finish().
class Graph {
 public:
  explicit Graph(std::shared_ptr<TermPool> pool);

  TermPool& pool() const { return *pool_; }
  const std::shared_ptr<TermPool>& shared_pool() const { return pool_; }

  void Add(NodeId s, NodeId p, NodeId o) { spo_.push_back({s, p, o}); }
  void Add(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o);
  // Sorts, drops duplicates and builds the indexes.
  void Finish();

  // Triples with subject `s`, ordered by predicate then object.
  std::span<const IdTriple> Out(NodeId s) const;
  // Triples with object `o`, ordered by predicate then subject.
  std::span<const IdTriple> In(NodeId o) const;
  // Every triple, ordered by subject, predicate, object.
  const std::vector<IdTriple>& triples() const { return spo_; }

  std::vector<NodeId> Objects(NodeId s, NodeId p) const;
  std::vector<NodeId> Subjects(NodeId p, NodeId o) const;
  // Some object of (s, p), or nullopt.
  std::optional<NodeId> Object(NodeId s, NodeId p) const;
  bool Has(NodeId s, NodeId p, NodeId o) const;
  bool HasSubject(NodeId s) const { return out_.contains(s); }

  // The members of the RDF list starting at `head`. InvalidArgument if it
  // is not a well-formed list (a node without exactly one rdf:first and
  // rdf:rest, or a cycle).
  absl::StatusOr<std::vector<NodeId>> List(NodeId head) const;

  // SHACL instance: `node` has an rdf:type whose rdfs:subClassOf* reaches
  // `cls`.
  bool IsInstanceOf(NodeId node, NodeId cls) const;
  // Every SHACL instance of `cls`, each once.
  std::vector<NodeId> InstancesOf(NodeId cls) const;

  // Ids of well-known IRIs, interned at construction.
  NodeId rdf_type() const { return rdf_type_; }
  NodeId rdf_first() const { return rdf_first_; }
  NodeId rdf_rest() const { return rdf_rest_; }
  NodeId rdf_nil() const { return rdf_nil_; }
  NodeId rdfs_sub_class_of() const { return rdfs_sub_class_of_; }

 private:
  std::span<const IdTriple> Range(const std::vector<IdTriple>& v,
                                  const absl::flat_hash_map<NodeId, std::pair<uint32_t, uint32_t>>& index,
                                  NodeId key) const;
  // `cls` and every class below it by rdfs:subClassOf.
  std::vector<NodeId> SubClassesOf(NodeId cls) const;

  std::shared_ptr<TermPool> pool_;
  std::vector<IdTriple> spo_;  // by subject, predicate, object
  std::vector<IdTriple> ops_;  // by object, predicate, subject
  absl::flat_hash_map<NodeId, std::pair<uint32_t, uint32_t>> out_, in_;
  NodeId rdf_type_, rdf_first_, rdf_rest_, rdf_nil_, rdfs_sub_class_of_;
};

// Reads the RDF file `path` into `graph` (syntax told by its name: .nt .nq
// .ttl .trig, optionally .gz/.bz2; else sniffed). Quads in named graphs are
// added too (their graph dropped). Blank node labels get `blank_prefix`
// so that two files read into one pool keep their blank nodes apart.
// InvalidArgument with "file:line:col: error: ..." on a syntax error,
// NotFound if the file cannot be read. Does not call Finish().
absl::Status ReadRdfFile(const std::string& path, std::string_view blank_prefix, Graph* graph);

// The same for Turtle text; `name` is the file name errors give and
// `base` the base IRI ("" : relative IRIs are an error).
absl::Status ReadTurtleText(std::string_view text, const std::string& name,
                            const std::string& base, std::string_view blank_prefix,
                            Graph* graph);

}  // namespace kg::shacl

#endif  // KG_SHACL_GRAPH_H_
