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
//   GET /ui/log    the transaction log, newest first (a document's page has
//                  its own history)
//   /ui/ingest     uploads, when the server has a write token (ingest_page.h)
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
// GET /ui/log[?n=N]: the store's transaction log (kg/txlog.h), newest first.
void WorkbenchLog(const Service& service, const Call& call, httplib::Response& res);

// ---- building blocks of the pages (ingest_page.cc uses them too) ----

inline constexpr char kHtml[] = "text/html; charset=utf-8";

// A whole page: the header (home, Query, Ingest when the server takes
// uploads, and the search box holding `query`), then `body`, which must be
// HTML already; `title` is escaped here.
std::string Page(const Service& service, std::string_view title, std::string_view query,
                 std::string_view body);
void SetPage(const Service& service, httplib::Response& res, int status, std::string_view title,
             std::string_view query, std::string_view body);
// An error page, its status by the status code (HttpStatusOf).
void SetFailure(const Service& service, httplib::Response& res, const absl::Status& s,
                std::string_view query);
// PATH?KEY=VALUE with VALUE %-encoded (not HTML-escaped).
std::string Url(std::string_view path, std::string_view key, std::string_view value);
// The link to a claim's page and to a document's page, HTML-escaped.
std::string ClaimHref(const Term& claim);
std::string ClaimLink(const Term& claim);
std::string DocLink(std::string_view id);

}  // namespace kg::server

#endif  // KG_SERVER_WORKBENCH_H_
