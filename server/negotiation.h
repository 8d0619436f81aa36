// Content negotiation for the SPARQL endpoint: which serialisation of a
// result to send, from the request's Accept header (RFC 9110 section 12.5.1,
// q-values honoured) or from the `format` / `output` parameter that clients
// such as SPARQLWrapper send.
//
//   auto f = ChooseFormat("text/csv;q=0.5, application/sparql-results+xml",
//                         "", ResultKind::kBindings);   // kXml
#ifndef KG_SERVER_NEGOTIATION_H_
#define KG_SERVER_NEGOTIATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg::server {

// What a SPARQL query returns: solutions or a boolean (SELECT, ASK), or a
// graph (CONSTRUCT, DESCRIBE).
enum class ResultKind { kBindings, kGraph };

enum class ResultFormat { kJson, kXml, kCsv, kTsv, kTurtle, kNTriples };

// The Content-Type a response in `format` is sent with (with charset).
std::string_view ContentType(ResultFormat format);

// The media types offered for `kind`, preferred first: what a 406 lists.
std::vector<std::string_view> OfferedTypes(ResultKind kind);

// The format for `kind`: the one `format_param` names ("json", "xml", "csv",
// "tsv", "turtle"/"ttl", "nt"/"ntriples"/"n-triples", or a media type) if it
// names one for `kind`; otherwise the acceptable one the client prefers by
// `accept` (ties go to the media range listed first, then to the order of
// OfferedTypes). An empty or absent Accept accepts everything: JSON for
// bindings, Turtle for graphs. nullopt when Accept excludes every format.
std::optional<ResultFormat> ChooseFormat(std::string_view accept, std::string_view format_param,
                                         ResultKind kind);

}  // namespace kg::server

#endif  // KG_SERVER_NEGOTIATION_H_
