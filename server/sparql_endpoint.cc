// /sparql (endpoints.h): the query operation of the SPARQL 1.1 Protocol
// (https://www.w3.org/TR/sparql11-protocol/) over kg::query::RunSparql,
// with results written by WriteSparqlResults (bindings) or the RDF writers
// of ingest/rdf/ (graphs), and the service description
// (https://www.w3.org/TR/sparql11-service-description/).
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/rdf/rdf_export.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/sparql.h"
#include "server/endpoints.h"
#include "server/negotiation.h"

namespace kg::server {
namespace {

// The endpoint's own IRI, as the client addressed it: the base IRI of
// queries and the sd:endpoint of the service description.
std::string EndpointIri(const httplib::Request& req) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = StrCat(req.local_addr, ":", req.local_port);
  return StrCat("http://", host, "/sparql");
}

void ServiceDescription(const Call& call, httplib::Response& res) {
  const std::string endpoint = EndpointIri(call.request);
  // The default graph holds every claim; each document is a named graph
  // (query/sparql.h).
  res.set_content(
      StrCat("@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
             "@prefix format: <http://www.w3.org/ns/formats/> .\n\n"
             "[] a sd:Service ;\n"
             "  sd:endpoint <",
             endpoint,
             "> ;\n"
             "  sd:supportedLanguage sd:SPARQL11Query ;\n"
             "  sd:resultFormat format:SPARQL_Results_JSON, format:SPARQL_Results_XML,\n"
             "    format:SPARQL_Results_CSV, format:SPARQL_Results_TSV, format:Turtle,\n"
             "    format:N-Triples ;\n"
             "  sd:feature sd:UnionDefaultGraph ;\n"
             "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"),
      "text/turtle; charset=utf-8");
}

// Every value of parameter `name` (default-graph-uri, named-graph-uri), or
// nullopt when it is not given.
std::optional<std::vector<std::string>> Graphs(const Call& call, const std::string& name) {
  auto [begin, end] = call.params.equal_range(name);
  if (begin == end) return std::nullopt;
  std::vector<std::string> iris;
  for (auto it = begin; it != end; ++it) iris.push_back(it->second);
  return iris;
}

std::string JoinTypes(const std::vector<std::string_view>& types) {
  std::string s;
  for (std::string_view t : types) s += StrCat(s.empty() ? "" : ", ", t);
  return s;
}

}  // namespace

void Sparql(const Service& service, const Call& call, httplib::Response& res) {
  res.set_header("Vary", "Accept");
  const httplib::Request& req = call.request;
  const bool post = req.method == "POST";
  if (call.params.count("update") > 0 || (post && call.media_type == "application/sparql-update")) {
    return SetError(res, 403, "SPARQL Update is not accepted: kg serve is read-only");
  }
  std::string text;
  if (post && call.media_type == "application/sparql-query") {
    if (!call.charset.empty() && call.charset != "utf-8" && call.charset != "utf8") {
      return SetError(res, 415, StrCat("a query must be UTF-8, not ", call.charset));
    }
    text = call.body;
  } else if (post && call.media_type != "application/x-www-form-urlencoded") {
    return SetError(res, 415,
                    StrCat("POST a query as application/sparql-query or as "
                           "application/x-www-form-urlencoded (query=...), not as '",
                           call.media_type.empty() ? "no Content-Type" : call.media_type, "'"));
  } else {
    const size_t queries = call.params.count("query");
    if (queries > 1) return SetError(res, 400, "more than one 'query' parameter");
    if (queries == 0) {
      if (post) return SetError(res, 400, "the form has no 'query' field");
      return ServiceDescription(call, res);
    }
    text = call.params.find("query")->second;
  }
  if (auto bad = FindInvalidUtf8(text)) {
    return SetError(res, 400, StrCat("the query is not UTF-8 (byte ", *bad, ")"));
  }
  const std::string accept = req.get_header_value("Accept");
  std::string format_param;
  for (const char* name : {"format", "output"}) {
    if (auto it = call.params.find(name); it != call.params.end()) format_param = it->second;
  }
  if (!ChooseFormat(accept, format_param, ResultKind::kBindings) &&
      !ChooseFormat(accept, format_param, ResultKind::kGraph)) {
    std::vector<std::string_view> types = OfferedTypes(ResultKind::kBindings);
    for (std::string_view t : OfferedTypes(ResultKind::kGraph)) types.push_back(t);
    return SetError(
        res, 406,
        StrCat("no acceptable result format (Accept: ", accept, "); offered: ", JoinTypes(types)));
  }

  query::SparqlOptions options;
  options.base = EndpointIri(req);
  // A dataset in the request (SPARQL 1.1 Protocol 2.1.4) overrides the
  // query's FROM / FROM NAMED; each IRI names a document.
  options.default_graphs = Graphs(call, "default-graph-uri");
  options.named_graphs = Graphs(call, "named-graph-uri");
  if (auto it = call.params.find("explain"); it != call.params.end()) {
    options.explain = it->second != "false" && it->second != "0";
  }
  absl::StatusOr<query::SparqlResult> result =
      query::RunSparql(service.store, text, service.limits, options);
  if (!result.ok()) return SetError(res, result.status());
  if (options.explain) return res.set_content(result->explain, "text/plain; charset=utf-8");

  const ResultKind kind = result->form == query::SparqlResult::Form::kGraph ? ResultKind::kGraph
                                                                            : ResultKind::kBindings;
  std::optional<ResultFormat> format = ChooseFormat(accept, format_param, kind);
  if (!format) {
    return SetError(
        res, 406,
        StrCat("no acceptable format for this ", kind == ResultKind::kGraph ? "graph" : "result",
               " (Accept: ", accept, "); offered: ", JoinTypes(OfferedTypes(kind))));
  }
  std::string body;
  switch (*format) {
    case ResultFormat::kJson:
      body = WriteSparqlResults(*result, query::SparqlResultsFormat::kJson);
      break;
    case ResultFormat::kXml:
      body = WriteSparqlResults(*result, query::SparqlResultsFormat::kXml);
      break;
    case ResultFormat::kCsv:
      body = WriteSparqlResults(*result, query::SparqlResultsFormat::kCsv);
      break;
    case ResultFormat::kTsv:
      body = WriteSparqlResults(*result, query::SparqlResultsFormat::kTsv);
      break;
    case ResultFormat::kTurtle:
    case ResultFormat::kNTriples:
      std::ostringstream graph;
      ingest::WriteTriples(result->triples, *format == ResultFormat::kTurtle, graph);
      body = graph.str();
      break;
  }
  res.set_content(body, std::string(ContentType(*format)));
}

}  // namespace kg::server
