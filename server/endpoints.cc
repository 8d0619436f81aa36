// The errors every endpoint shares, and the /health, / and /query
// endpoints (endpoints.h). /sparql is in sparql_endpoint.cc.
#include "server/endpoints.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "kg/json.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/lexer.h"
#include "query/result_json.h"

namespace kg::server {

std::optional<std::string> Param(const Call& call, const std::string& name) {
  auto it = call.params.find(name);
  if (it == call.params.end()) return std::nullopt;
  return it->second;
}

namespace {

constexpr char kJson[] = "application/json; charset=utf-8";

// The statements of a /query request, or the error to answer with.
absl::StatusOr<std::string> StatementsOf(const Call& call) {
  if (auto q = Param(call, "q")) return *q;
  if (auto q = Param(call, "query")) return *q;
  if (call.request.method != "POST") {
    return absl::InvalidArgumentError(
        "no statements: give them as ?q=... or POST them (text/plain, or JSON {\"query\": "
        "\"...\"})");
  }
  // A form without a field q is taken as plain text: `curl -d STATEMENTS`
  // sends its body as a form.
  if (call.media_type != "application/json") return call.body;
  const nlohmann::json body = nlohmann::json::parse(call.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return absl::InvalidArgumentError("the request body is not JSON");
  for (const char* key : {"query", "q"}) {
    if (body.is_object() && body.contains(key) && body[key].is_string()) {
      return body[key].get<std::string>();
    }
  }
  return absl::InvalidArgumentError(
      "the JSON body has no string field \"query\": send {\"query\": \"STATEMENTS\"}");
}

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 422;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

void SetError(httplib::Response& res, int status, std::string_view message) {
  std::string body = StrCat("{\"error\":", JsonString(message));
  if (auto at = query::PositionOf(message)) {
    body += StrCat(",\"line\":", at->line, ",\"column\":", at->column);
  }
  res.status = status;
  res.set_content(body + "}\n", kJson);
}

void SetError(httplib::Response& res, const absl::Status& status) {
  SetError(res, HttpStatusOf(status.code()),
           std::string_view(status.message().data(), status.message().size()));
}

void Health(const Service& service, const Call&, httplib::Response& res) {
  std::string body = StrCat("{\"store\":", JsonString(service.store_path),
                            ",\"version\":", JsonString(service.version),
                            ",\"read_only\":", service.writer ? "false" : "true");
  auto totals = service.store->NewSnapshot()->Totals(/*count_predicates=*/false);
  if (!totals.ok()) {
    res.status = 503;
    res.set_content(StrCat("{\"status\":\"error\",", body.substr(1), ",\"error\":",
                           JsonString(std::string(totals.status().message())), "}\n"),
                    kJson);
    return;
  }
  res.set_content(StrCat("{\"status\":\"ok\",", body.substr(1), ",\"documents\":",
                         totals->documents, ",\"claims\":", totals->triples, "}\n"),
                  kJson);
}

void Index(const Service& service, const Call&, httplib::Response& res) {
  res.set_content(
      StrCat("{\"service\":\"kg serve\",\"version\":", JsonString(service.version),
             ",\"read_only\":", service.writer ? "false" : "true", ",\"endpoints\":{"
             "\"/sparql\":\"SPARQL 1.1 Protocol: GET ?query= or POST (application/sparql-query, "
             "form-encoded query=); GET without a query: the service description\","
             "\"/query\":\"kg's query language: GET ?q= or POST (text/plain, JSON {\\\"query\\\": "
             "...}); answers as kg query --format json\",",
             service.writer
                 ? "\"/ingest\":\"POST a file (?name=FILE.kga|.kgv|.nt|.nq|.ttl|.trig, "
                   "&check=1 for a dry run) with Authorization: Bearer TOKEN; checked whole, "
                   "then loaded\","
                 : "",
             "\"/health\":\"status of the service and the store\"}}\n"),
      kJson);
}

void Query(const Service& service, const Call& call, httplib::Response& res) {
  absl::StatusOr<std::string> text = StatementsOf(call);
  if (!text.ok()) return SetError(res, text.status());
  if (auto bad = FindInvalidUtf8(*text)) {
    return SetError(res, 400, StrCat("the statements are not UTF-8 (byte ", *bad, ")"));
  }
  // The last statement may omit its ';' (as for kg query); inserted just
  // after its last token, so no error position moves.
  std::string script = *std::move(text);
  std::vector<query::StatementSpan> spans = query::SplitStatements(script);
  if (spans.empty()) return SetError(res, 400, "no statements");
  if (!spans.back().ended) script.insert(spans.back().end, ";");
  query::Session session(service.store);
  auto results = session.Run(script, service.limits);
  if (!results.ok()) return SetError(res, results.status());
  std::string body;
  if (results->size() == 1) {
    body = query::ResultJson(results->front()) + "\n";
  } else {
    body = "[";
    for (size_t i = 0; i < results->size(); ++i) {
      body += StrCat(i ? ",\n" : "", query::ResultJson((*results)[i]));
    }
    body += "]\n";
  }
  res.set_content(body, kJson);
}

}  // namespace kg::server
