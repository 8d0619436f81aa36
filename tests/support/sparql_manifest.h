// The W3C SPARQL test suites' manifests (mf:, qt:, dawgt: vocabularies)
// read with kg's own Turtle reader: a top manifest's mf:include list of
// folder manifests, and each folder's mf:entries with what the SPARQL
// harness (tests/query/w3c_sparql_test.cc) needs of them.
#ifndef KG_TESTS_SUPPORT_SPARQL_MANIFEST_H_
#define KG_TESTS_SUPPORT_SPARQL_MANIFEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kg::testing {

struct SparqlTestEntry {
  std::string id;  // the entry's IRI
  std::string
      key;  // "<suite>/<folder>/<local name>", unique; names it in lists
  std::string name;  // mf:name
  std::string type;  // local name of its rdf:type, e.g. "QueryEvaluationTest"
  // The query (qt:query, or mf:action itself for syntax tests) or update
  // (ut:request) file; "" if none.
  std::string query;
  std::vector<std::string> data;        // qt:data files: the default graph
  std::vector<std::string> graph_data;  // qt:graphData files: named graphs
  bool service_data = false;            // has qt:serviceData (federation)
  std::string result;                   // mf:result file, "" if none
  std::vector<std::string> required;    // local names of mf:requires
  bool lax_cardinality = false;  // mf:resultCardinality mf:LaxCardinality
  std::string approval;          // local name of dawgt:approval, "" if none
};

struct SparqlManifest {
  std::string path;    // the manifest file
  std::string suite;   // its folder's parent, e.g. "sparql11"
  std::string folder;  // its folder, e.g. "aggregates"
  std::string label;   // rdfs:label
  std::vector<SparqlTestEntry> entries;
};

// Reads one manifest (its mf:entries; mf:include is not followed).
absl::StatusOr<SparqlManifest> ReadSparqlManifest(const std::string& path);

// The manifests a top manifest names in its mf:include list, in order
// (each read with ReadSparqlManifest; nested includes are followed).
absl::StatusOr<std::vector<SparqlManifest>> ReadSparqlManifests(
    const std::string& top);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_SPARQL_MANIFEST_H_
