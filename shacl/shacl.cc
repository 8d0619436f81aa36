#include "shacl/shacl.h"

#include "absl/container/flat_hash_map.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"

namespace kg::shacl {

absl::StatusOr<Shapes> ReadShapesFile(const std::string& path,
                                      const std::shared_ptr<TermPool>& pool) {
  Graph graph(pool);
  KG_RETURN_IF_ERROR(ReadRdfFile(path, "s_", &graph));
  graph.Finish();
  return ParseShapes(graph, path);
}

absl::StatusOr<Report> ValidateFile(const std::string& path, const Shapes& shapes) {
  Graph data(shapes.pool);
  KG_RETURN_IF_ERROR(ReadRdfFile(path, "d_", &data));
  data.Finish();
  return Validate(data, shapes);
}

absl::Status ReadStoreGraph(const Snapshot& snap, Graph* graph) {
  absl::flat_hash_map<TermId, NodeId> nodes;  // each term decoded once
  auto node = [&](const TermId& id) -> absl::StatusOr<NodeId> {
    if (auto it = nodes.find(id); it != nodes.end()) return it->second;
    KG_ASSIGN_OR_RETURN(Term term, snap.Decode(id));
    const NodeId n = graph->pool().Intern(ToRdf(term));
    nodes.emplace(id, n);
    return n;
  };
  TripleCursor c = snap.Scan(TriplePattern{});
  for (; c.Valid(); c.Next()) {
    const Triple& t = c.triple();
    KG_ASSIGN_OR_RETURN(const NodeId s, node(t.s));
    KG_ASSIGN_OR_RETURN(const NodeId p, node(t.p));
    KG_ASSIGN_OR_RETURN(const NodeId o, node(t.o));
    graph->Add(s, p, o);
  }
  return c.status();
}

absl::StatusOr<Report> ValidateStore(const Snapshot& snap, const Shapes& shapes) {
  Graph data(shapes.pool);
  KG_RETURN_IF_ERROR(ReadStoreGraph(snap, &data));
  data.Finish();
  return Validate(data, shapes);
}

}  // namespace kg::shacl
