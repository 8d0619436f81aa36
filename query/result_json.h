// The JSON form of a kg query result, shared by `kg query --format json`
// (cli/) and the HTTP endpoint /query (server/), so both print the same
// shapes:
//
//   {"columns":["claim","source"],"rows":[{"claim":"...","source":"..."}],
//    "row_count":1,"summary":"1 independent source","counts":{"supporting":1},
//    "trace":{"kind":"claim","label":"...","fields":{...},"children":[...]}}
//
// "summary", "counts" and "trace" appear only when the result has them. Each
// value is one line of JSON text (no newline inside or at the end).
#ifndef KG_QUERY_RESULT_JSON_H_
#define KG_QUERY_RESULT_JSON_H_

#include <string>

#include "query/query.h"

namespace kg::query {

// One statement's result as one JSON object, as shown above.
std::string ResultJson(const Result& result);

// The rows of `result` as a JSON array of objects keyed by column.
std::string JsonRows(const Result& result);

// A TRACE tree as nested JSON objects {"kind","label","fields","children"};
// "fields" and "children" appear only when non-empty.
std::string TraceJson(const TraceNode& node);

}  // namespace kg::query

#endif  // KG_QUERY_RESULT_JSON_H_
