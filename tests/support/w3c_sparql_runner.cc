#include "tests/support/w3c_sparql_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "query/sparql.h"
#include "tests/support/rdf_isomorphism.h"
#include "tests/support/rdfxml.h"
#include "tests/support/sparql_query_text.h"
#include "tests/support/sparql_results.h"
#include "tests/support/sparql_results_compare.h"
#include "tests/support/temp_dir.h"

namespace kg::testing {
namespace {

using ::kg::query::CheckSparqlSyntax;
using ::kg::query::QueryOptions;
using ::kg::query::RunSparql;
using ::kg::query::SparqlOptions;
using ::kg::query::SparqlResult;
using ::kg::query::SparqlResultsFormat;
using ::kg::query::WriteSparqlResults;

// Per query; the suites' queries run on a handful of triples.
constexpr absl::Duration kQueryTimeout = absl::Seconds(10);

// Folders of the suites whose tests are not run, and why.
constexpr std::pair<const char*, const char*> kSkippedFolders[] = {
    {"add", "update: not supported"},
    {"basic-update", "update: not supported"},
    {"clear", "update: not supported"},
    {"copy", "update: not supported"},
    {"delete", "update: not supported"},
    {"delete-data", "update: not supported"},
    {"delete-insert", "update: not supported"},
    {"delete-where", "update: not supported"},
    {"drop", "update: not supported"},
    {"move", "update: not supported"},
    {"update-silent", "update: not supported"},
    {"syntax-update-1", "update: not supported"},
    {"syntax-update-2", "update: not supported"},
    {"entailment", "entailment regimes: not supported"},
    {"service", "federation (SERVICE): not supported"},
    {"syntax-fed", "federation (SERVICE): not supported"},
    {"protocol", "SPARQL protocol: not part of the query API"},
    {"graph-store-protocol", "graph store protocol: not supported"},
    {"http-rdf-update", "graph store protocol: not supported"},
    {"service-description", "service description: not supported"},
};

const char* SkipReason(const SparqlManifest& m, const SparqlTestEntry& e) {
  for (const auto& [folder, reason] : kSkippedFolders) {
    if (m.folder == folder) return reason;
  }
  if (e.type.find("Update") != std::string::npos)
    return "update: not supported";
  if (e.type == "ProtocolTest")
    return "SPARQL protocol: not part of the query API";
  if (e.type == "GraphStoreProtocolTest")
    return "graph store protocol: not supported";
  if (e.type == "ServiceDescriptionTest")
    return "service description: not supported";
  if (e.service_data) return "federation (SERVICE): not supported";
  return nullptr;
}

// file:///x/y%20z -> /x/y z
std::string PathOfFileIri(const std::string& iri) {
  return PercentDecode(iri.substr(7)).value_or(iri.substr(7));
}

// Loads `path` into the store as document `doc` ("" for the default: the
// file name without its extension). RDF/XML, which kg does not import, is
// read by the test reader and loaded as N-Triples.
absl::Status Load(Store& store, const std::string& path, const std::string& doc,
                  const TempDir& dir) {
  std::string file = path;
  ingest::RdfImportOptions o;
  o.bulk = ingest::RdfImportOptions::Bulk::kOff;
  o.default_doc =
      doc.empty() ? std::filesystem::path(path).stem().string() : doc;
  if (path.ends_with(".rdf")) {
    auto quads = ReadRdfXml(path);
    if (!quads.ok()) return quads.status();
    static int converted = 0;
    file = dir.Sub(StrCat("rdfxml", ++converted, ".nt"));
    std::ofstream out(file, std::ios::binary);
    for (const RdfQuad& q : *quads) out << ingest::CanonicalNQuad(q);
  }
  std::ostringstream err;
  auto summary = ingest::ImportRdf(store, {file}, o, err);
  if (!summary.ok()) return summary.status();
  if (!summary->ok())
    return absl::InvalidArgumentError(
        StrCat("cannot load ", path, ": ", err.str()));
  return absl::OkStatus();
}

W3cSparqlOutcome RunSyntax(const SparqlTestEntry& e, bool positive) {
  W3cSparqlOutcome o;
  o.kind = W3cSparqlKind::kSyntax;
  auto text = ReadFileText(e.query);
  if (!text.ok()) {
    o.detail = text.status().ToString();
    return o;
  }
  SparqlOptions options;
  options.base = FileIri(e.query);
  const absl::Status s = CheckSparqlSyntax(*text, options);
  static const std::regex kPosition(R"(^\d+:\d+: )");
  if (positive) {
    o.pass = s.ok();
    if (!o.pass) o.detail = StrCat("rejected a valid query: ", s.ToString());
  } else if (s.ok()) {
    o.detail = "accepted an invalid query";
  } else if (s.code() != absl::StatusCode::kInvalidArgument) {
    o.detail = StrCat("rejected with ", s.ToString(),
                      ", not a syntax error (InvalidArgument)");
  } else if (!std::regex_search(std::string(s.message()), kPosition)) {
    o.detail = StrCat("rejected without a line:col position: ", s.message());
  } else {
    o.pass = true;
  }
  return o;
}

SparqlResultTable TableOf(const SparqlResult& r) {
  SparqlResultTable t;
  if (r.form == SparqlResult::Form::kAsk) {
    t.is_boolean = true;
    t.boolean = r.boolean;
    return t;
  }
  t.vars = r.vars;
  for (const auto& row : r.rows) {
    SparqlSolution s;
    for (size_t i = 0; i < row.size() && i < r.vars.size(); ++i) {
      if (row[i]) s[r.vars[i]] = ToRdf(*row[i]);
    }
    t.rows.push_back(std::move(s));
  }
  return t;
}

// Compares what RunSparql gave with mf:result.
W3cSparqlOutcome Judge(const SparqlTestEntry& e, const std::string& query,
                       const SparqlResult& r) {
  W3cSparqlOutcome o;
  if (e.result.empty()) {
    o.detail = "the manifest names no mf:result";
    return o;
  }
  SparqlResultTable expected, actual;
  if (e.type == "CSVResultFormatTest") {
    auto text = ReadFileText(e.result);
    if (!text.ok()) {
      o.detail = text.status().ToString();
      return o;
    }
    auto parsed = ParseCsv(*text);
    if (!parsed.ok()) {
      o.detail =
          StrCat("cannot read ", e.result, ": ", parsed.status().ToString());
      return o;
    }
    auto written = ParseCsv(WriteSparqlResults(r, SparqlResultsFormat::kCsv));
    if (!written.ok()) {
      o.detail = StrCat("WriteSparqlResults gave malformed CSV: ",
                        written.status().ToString());
      return o;
    }
    expected = *std::move(parsed);
    actual = *std::move(written);
  } else {
    auto result = ReadExpectedResult(e.result);
    if (!result.ok()) {
      o.detail = StrCat("cannot read the expected result: ",
                        result.status().ToString());
      return o;
    }
    if (!result->table) {
      if (r.form != SparqlResult::Form::kGraph) {
        o.detail = "expected a graph (CONSTRUCT / DESCRIBE), got solutions";
        return o;
      }
      std::vector<RdfQuad> got;
      for (const auto& t : r.triples)
        got.push_back({ToRdf(t[0]), ToRdf(t[1]), ToRdf(t[2]), std::nullopt});
      std::string why;
      o.pass = Isomorphic(got, result->graph, &why);
      if (!o.pass) {
        std::string text;
        for (const RdfQuad& q : got) text += ingest::CanonicalNQuad(q);
        o.detail = StrCat("graph not isomorphic to ", e.result, ": ", why,
                          "\ngot:\n", text);
      }
      return o;
    }
    if (r.form == SparqlResult::Form::kGraph) {
      o.detail = "expected solutions, got a graph";
      return o;
    }
    expected = *std::move(result->table);
    actual = TableOf(r);
  }
  ResultsCompareOptions options;
  const QueryOrdering ordering = OrderingOf(query);
  options.ordered = ordering.ordered || expected.ordered;
  for (const std::string& k : ordering.keys) {
    if (std::find(expected.vars.begin(), expected.vars.end(), k) !=
        expected.vars.end()) {
      options.order_keys.push_back(k);
    }
  }
  options.lax_cardinality = e.lax_cardinality;
  std::string why;
  o.pass = SameResults(expected, actual, options, &why);
  if (!o.pass) {
    o.detail = StrCat(why, "\nexpected (", e.result, "):\n",
                      FormatResultTable(expected), "got:\n",
                      FormatResultTable(actual));
  }
  return o;
}

W3cSparqlOutcome RunEval(const SparqlTestEntry& e, StorePool* stores) {
  W3cSparqlOutcome o;
  auto fail = [&](std::string detail) {
    o.detail = std::move(detail);
    return o;
  };
  auto query = ReadFileText(e.query);
  if (!query.ok()) return fail(query.status().ToString());
  const std::string base = FileIri(e.query);
  TempDir dir;  // RDF/XML data converted to N-Triples
  auto store = stores->Empty();
  if (!store.ok())
    return fail(StrCat("cannot create a store: ", store.status().ToString()));
  // Every file is a document named by its file IRI; the test's dataset
  // (qt:data the default graph, qt:graphData the named graphs) is passed as
  // the protocol would pass it, unless the query has its own FROM clauses.
  std::set<std::string> named;
  std::vector<std::string> default_graphs, named_graphs;
  for (const std::string& p : e.data) {
    default_graphs.push_back(FileIri(p));
    if (!named.insert(FileIri(p)).second) continue;
    if (auto s = Load(**store, p, FileIri(p), dir); !s.ok())
      return fail(StrCat("data: ", s.ToString()));
  }
  for (const std::string& p : e.graph_data) {
    named_graphs.push_back(FileIri(p));
    if (!named.insert(FileIri(p)).second) continue;
    if (auto s = Load(**store, p, FileIri(p), dir); !s.ok()) {
      return fail(StrCat("graph data: ", s.ToString()));
    }
  }
  const auto clauses = DatasetClauses(*query, base);
  for (const auto& [iri, is_named] : clauses) {
    if (!iri.starts_with("file://") || !named.insert(iri).second) continue;
    const std::string path = PathOfFileIri(iri);
    if (!std::filesystem::is_regular_file(path)) continue;
    if (auto s = Load(**store, path, iri, dir); !s.ok()) {
      return fail(
          StrCat("FROM", is_named ? " NAMED" : "", " data: ", s.ToString()));
    }
  }
  QueryOptions qo;
  qo.timeout = kQueryTimeout;
  SparqlOptions sparql;
  sparql.base = base;
  if (clauses.empty()) {
    sparql.default_graphs = default_graphs;
    sparql.named_graphs = named_graphs;
  }
  auto result = RunSparql(*store, *query, qo, sparql);
  if (!result.ok()) return fail(result.status().ToString());
  return Judge(e, *query, *result);
}

}  // namespace

W3cSparqlOutcome RunW3cSparqlEntry(const SparqlManifest& m,
                                   const SparqlTestEntry& e,
                                   StorePool* stores) {
  if (const char* reason = SkipReason(m, e))
    return W3cSparqlOutcome{W3cSparqlKind::kSkipped, false, reason};
  const std::string& t = e.type;
  if (t == "PositiveSyntaxTest" || t == "PositiveSyntaxTest11")
    return RunSyntax(e, true);
  if (t == "NegativeSyntaxTest" || t == "NegativeSyntaxTest11")
    return RunSyntax(e, false);
  if (t == "QueryEvaluationTest" || t == "CSVResultFormatTest")
    return RunEval(e, stores);
  return W3cSparqlOutcome{W3cSparqlKind::kEval, false,
                          StrCat("unknown test type ", t)};
}

}  // namespace kg::testing
