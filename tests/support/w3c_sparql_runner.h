// Runs one entry of the W3C SPARQL test suites (sparql_manifest.h) against
// query/sparql.h, for tests/query/w3c_sparql_test.cc:
//   syntax tests      CheckSparqlSyntax on the query file: a positive test
//                     must pass, a negative one must fail with
//                     InvalidArgument and a "line:col:" position;
//   query evaluation  an empty store from the pool with qt:data loaded as
//                     documents named after their files, qt:graphData and
//                     the files of FROM / FROM NAMED as documents named by
//                     their file:// IRIs (as kg's N-Quads import names a
//                     graph's document; RDF/XML through rdfxml.h);
//                     RunSparql, and the result compared with mf:result as
//                     sparql_results_compare.h says (graphs: isomorphic).
// The base IRI of a query is its file's file:// IRI. Update, protocol,
// federation, service description and entailment tests are skipped, with
// the reason.
#ifndef KG_TESTS_SUPPORT_W3C_SPARQL_RUNNER_H_
#define KG_TESTS_SUPPORT_W3C_SPARQL_RUNNER_H_

#include <string>

#include "tests/support/sparql_manifest.h"
#include "tests/support/store_pool.h"

namespace kg::testing {

enum class W3cSparqlKind { kSyntax, kEval, kSkipped };

struct W3cSparqlOutcome {
  W3cSparqlKind kind = W3cSparqlKind::kEval;
  bool pass = false;
  std::string detail;  // why it failed (first line: the gist), or why skipped
};

// Runs entry `e` of manifest `m`; evaluation tests take a store from
// `stores`.
W3cSparqlOutcome RunW3cSparqlEntry(const SparqlManifest& m,
                                   const SparqlTestEntry& e, StorePool* stores);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_W3C_SPARQL_RUNNER_H_
