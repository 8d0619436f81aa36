// The endpoints of `kg serve` (server.h), each a function that answers one
// HTTP request in full: /sparql (SPARQL 1.1 Protocol), /query (kg's own
// language as JSON), /health and / (what the service offers). They hold no
// query logic: kg::query::Session and kg::query::RunSparql answer, and
// query/result_json.h and WriteSparqlResults write the answers.
//
// Every error is a JSON object {"error": message} -- with "line" and
// "column" when the message starts with a position in the query text --
// and an HTTP status by the absl::Status code (HttpStatusOf).
//
// Thread-safety: the handlers may run concurrently; they only read the
// Service and the store.
#ifndef KG_SERVER_ENDPOINTS_H_
#define KG_SERVER_ENDPOINTS_H_

#include <httplib.h>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "kg/store.h"
#include "query/query.h"

namespace kg::server {

class Writer;  // ingest_page.h

// What the endpoints answer from; outlives every request.
struct Service {
  Store* store = nullptr;
  // Set when kg serve holds a write token: uploads (/ingest, /ui/ingest).
  // Default: none (read-only)
  Writer* writer = nullptr;
  // Per-query limits; `cancel` stops running queries at a second SIGTERM.
  query::QueryOptions limits;
  std::string store_path;
  std::string version;
};

// One request as the endpoints see it.
struct Call {
  const httplib::Request& request;
  // The URL's parameters, and a form-encoded body's.
  httplib::Params params;
  // The request body (POST).
  std::string body;
  // The Content-Type without parameters, lower case ("" if none), and its
  // charset parameter, lower case ("" if none).
  std::string media_type;
  std::string charset;
  // The parts of a multipart/form-data body, in order (their text fields
  // are in `params` too).
  std::vector<httplib::MultipartFormData> parts;
};

// The first value of parameter `name`, if given.
std::optional<std::string> Param(const Call& call, const std::string& name);

// The HTTP status an error of code `code` is answered with:
// InvalidArgument, FailedPrecondition, OutOfRange 400; NotFound 404;
// ResourceExhausted (row cap) 422; DeadlineExceeded (timeout) 504;
// Cancelled (shutdown), Unavailable 503; Unimplemented 501; others 500.
int HttpStatusOf(absl::StatusCode code);

// Sets `res` to the JSON error {"error": message, "line": L, "column": C}
// with `status`; line and column only when `message` starts with "L:C: ".
void SetError(httplib::Response& res, int status, std::string_view message);
void SetError(httplib::Response& res, const absl::Status& status);

// GET /health: {"status":"ok","store":PATH,"version":V,"read_only":B,
// "documents":N,"claims":M}; 503 with "status":"error" when the store
// cannot be read.
void Health(const Service& service, const Call& call, httplib::Response& res);

// GET / : what the service offers, as JSON.
void Index(const Service& service, const Call& call, httplib::Response& res);

// /query: kg statements from ?q= (or ?query=), a form field q, a JSON body
// {"query": "..."}, or any other body (a form without q too: what
// `curl -d STATEMENTS` sends) as plain text. The last statement may
// omit its ';'. One statement: its result object as `kg query --format json`
// prints it; several: a JSON array of those objects, in order. A failing
// statement fails the whole request (nothing else is returned).
void Query(const Service& service, const Call& call, httplib::Response& res);

// /sparql: the SPARQL 1.1 Protocol's query operation (GET ?query=, POST
// application/sparql-query, POST form-encoded query=), negotiated as
// negotiation.h says; GET without a query: the service description
// (Turtle). A dataset in the request (default-graph-uri, named-graph-uri:
// documents) overrides the query's FROM / FROM NAMED. 400 for several
// queries or bad UTF-8; 403 for SPARQL Update; 415 for another POST body
// type or charset; 406 when Accept excludes every format the result has.
void Sparql(const Service& service, const Call& call, httplib::Response& res);

}  // namespace kg::server

#endif  // KG_SERVER_ENDPOINTS_H_
