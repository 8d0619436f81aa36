// The fact-checker's workbench: HTML pages served by `kg serve` (issue 24),
// rendered on the server from the same query API as the JSON endpoints.
//
//   GET /          the search page (HTML when the client asks for text/html,
//                  e.g. a browser; the JSON service index otherwise)
//   GET /ui/search?q=TEXT   claims whose quotes have the phrase, the claims
//                  about an entity (aliases resolve), or the claim "(s p o)"
//   GET /ui/claim?c=CLAIM   a claim: its evidence by side with each quote
//                  highlighted in its sentence, the provenance graph (SVG),
//                  its independent sources and chains, its verdicts, a
//                  permalink, and /ui/claim/download?c=&format=md|html|json|dot
//   GET /ui/query?q=...     kg's language or SPARQL (&lang=sparql), results
//                  as a table with every term linked, EXPLAIN, the time taken
//   GET /ui/doc?id=ID       a document: metadata, its text with every quote
//                  highlighted and linked to its claim, citations out and in
//
// Everything that comes from the store is HTML-escaped: document text is
// untrusted.
#ifndef KG_SERVER_WORKBENCH_H_
#define KG_SERVER_WORKBENCH_H_

#include <string>
#include <string_view>

#include "server/endpoints.h"

namespace kg::server {

// True if the request's Accept header asks for HTML before JSON.
bool WantsHtml(const httplib::Request& request);

void WorkbenchSearch(const Service& service, const Call& call, httplib::Response& res);
void WorkbenchClaim(const Service& service, const Call& call, httplib::Response& res);
void WorkbenchDocument(const Service& service, const Call& call, httplib::Response& res);
// GET /ui/claim/download?c=CLAIM&format=md|html|json|dot: the claim's TRACE
// as the Markdown or HTML report, JSON, or Graphviz DOT, as an attachment.
void WorkbenchClaimDownload(const Service& service, const Call& call, httplib::Response& res);
// GET /ui/query?q=STATEMENTS[&lang=sparql]: a form, and the results as a
// table whose terms link to their pages, with the time taken.
void WorkbenchQuery(const Service& service, const Call& call, httplib::Response& res);

}  // namespace kg::server

#endif  // KG_SERVER_WORKBENCH_H_
