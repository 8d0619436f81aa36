#include "server/workbench.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "kg/closest_name.h"
#include "kg/json.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "kg/verdict.h"
#include "query/context.h"
#include "query/lexer.h"
#include "query/provenance.h"
#include "query/query.h"
#include "query/report.h"
#include "query/result_json.h"
#include "query/sparql.h"
#include "query/verdicts.h"

namespace kg::server {

bool WantsHtml(const httplib::Request& request) {
  const std::string accept = absl::AsciiStrToLower(request.get_header_value("Accept"));
  const size_t html = accept.find("text/html");
  if (html == std::string::npos) return false;
  const size_t json = accept.find("application/json");
  return json == std::string::npos || html < json;
}

namespace {

// Plain, small and readable without colour: marks are also underlined,
// sides are named in words, and the layout is one column below 720 px.
constexpr char kStyle[] = R"(
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#111;background:#fff}
header{padding:.5rem 1rem;border-bottom:2px solid #333;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
header a{font-weight:bold;text-decoration:none;color:#111}
main{padding:1rem;max-width:60rem;overflow-wrap:anywhere}
form.search{display:flex;gap:.5rem;flex:1;min-width:14rem}
form.search input{flex:1;font:inherit;padding:.3rem;min-width:8rem}
button{font:inherit;padding:.3rem .8rem}
mark{background:#ffe066;text-decoration:underline;color:#000}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:4px solid #999}
.meta{color:#444;font-size:.9rem}
.side{border:1px solid #bbb;padding:.5rem;margin:.8rem 0}
.doctext{white-space:pre-wrap;font-family:Georgia,serif;overflow-wrap:anywhere}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .4rem;text-align:left;vertical-align:top}
a:focus,button:focus,input:focus{outline:3px solid #1a5fb4}
@media(max-width:720px){main{padding:.5rem}table{font-size:.85rem}}
)";

}  // namespace

std::string Page(const Service& service, std::string_view title, std::string_view query,
                 std::string_view body) {
  return StrCat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                "<title>", HtmlEscape(title), " - kg workbench</title><style>", kStyle,
                query::TraceSvgStyle(),
                "</style></head><body><header><a href=\"/\">kg workbench</a>"
                "<a href=\"/ui/query\">Query</a><a href=\"/ui/log\">Log</a>",
                service.writer ? "<a href=\"/ui/ingest\">Ingest</a>" : "",
                "<form class=\"search\" action=\"/ui/search\" role=\"search\">"
                "<label for=\"q\" class=\"meta\">Search</label>"
                "<input id=\"q\" name=\"q\" value=\"", HtmlEscape(query),
                "\" placeholder=\"a phrase from an article, an entity, or (subject predicate object)\">"
                "<button type=\"submit\">Search</button></form></header><main>",
                body, "</main></body></html>\n");
}

void SetPage(const Service& service, httplib::Response& res, int status, std::string_view title,
             std::string_view query, std::string_view body) {
  res.status = status;
  res.set_content(Page(service, title, query, body), kHtml);
}

void SetFailure(const Service& service, httplib::Response& res, const absl::Status& s,
                std::string_view query) {
  SetPage(service, res, HttpStatusOf(s.code()), "Error", query,
          StrCat("<h1>Error</h1><p role=\"alert\">", HtmlEscape(std::string(s.message())), "</p>"));
}

std::string Url(std::string_view path, std::string_view key, std::string_view value) {
  return StrCat(path, "?", key, "=", httplib::detail::encode_query_param(std::string(value)));
}

std::string ClaimHref(const Term& claim) {
  return Url("/ui/claim", "c", query::TermInQuery(claim));
}

std::string ClaimLink(const Term& claim) {
  std::string sentence;
  const std::string shown = IsTextClaim(claim, &sentence) ? StrCat("\u201c", sentence, "\u201d")
                                                           : claim.ToString();
  return StrCat("<a href=\"", HtmlEscape(ClaimHref(claim)), "\">", HtmlEscape(shown), "</a>");
}

std::string DocLink(std::string_view id) {
  return StrCat("<a href=\"", HtmlEscape(Url("/ui/doc", "id", id)), "\">doc:", HtmlEscape(id),
                "</a>");
}

namespace {

std::string TermHtml(const Term& t) {
  if (t.kind() == TermKind::kDocument) return DocLink(t.text());
  if (t.kind() == TermKind::kEntity) {
    return StrCat("<a href=\"", HtmlEscape(Url("/ui/search", "q", t.text())), "\">",
                  HtmlEscape(t.text()), "</a>");
  }
  return HtmlEscape(t.ToString());
}

// `sentence` with the first occurrence of `quote` marked.
std::string MarkedSentence(const std::string& sentence, const std::string& quote) {
  const size_t at = quote.empty() ? std::string::npos : sentence.find(quote);
  if (at == std::string::npos) return HtmlEscape(sentence);
  return StrCat(HtmlEscape(sentence.substr(0, at)), "<mark>", HtmlEscape(quote), "</mark>",
                HtmlEscape(sentence.substr(at + quote.size())));
}


// ---- search -----------------------------------------------------------

absl::StatusOr<std::string> SearchResults(const Service& service, const std::string& q) {
  std::string body = StrCat("<h1>Results for \u201c", HtmlEscape(q), "\u201d</h1>");
  std::unique_ptr<Snapshot> snap = service.store->NewSnapshot();
  // A claim written out.
  if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(q), "(")) {
    KG_ASSIGN_OR_RETURN(std::vector<Term> claims, query::FindClaims(service.store, q, 101));
    body += StrCat("<p>", claims.size(), " claim(s)</p><ul>");
    for (const Term& c : claims) body += StrCat("<li>", ClaimLink(c), "</li>");
    return body + "</ul>";
  }
  // An entity, by name or alias, or an IRI written <...>: the claims about it.
  std::vector<TermId> named;
  const absl::string_view trimmed = absl::StripAsciiWhitespace(q);
  if (trimmed.size() > 2 && trimmed.front() == '<' && trimmed.back() == '>' &&
      std::none_of(trimmed.begin(), trimmed.end(),
                   [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); })) {
    KG_ASSIGN_OR_RETURN(std::optional<TermId> iri,
                        snap->Find(Term::Iri(std::string(trimmed.substr(1, trimmed.size() - 2)))));
    if (iri) named.push_back(*iri);
  } else {
    KG_ASSIGN_OR_RETURN(named, snap->Resolve(q));
  }
  if (!named.empty()) {
    KG_ASSIGN_OR_RETURN(Term entity, snap->Decode(named[0]));
    body += StrCat("<h2>Claims about ", TermHtml(entity), "</h2><ul>");
    std::set<std::string> seen;
    size_t shown = 0;
    for (bool subject : {true, false}) {
      TriplePattern p;
      (subject ? p.s : p.o) = named[0];
      TripleCursor cur = snap->Scan(p);
      for (; cur.Valid() && shown < 200; cur.Next()) {
        KG_ASSIGN_OR_RETURN(TermId id, snap->ClaimIdOf(cur.triple()));
        KG_ASSIGN_OR_RETURN(Term claim, snap->Decode(id));
        if (!seen.insert(claim.ToString()).second) continue;
        body += StrCat("<li>", ClaimLink(claim), "</li>");
        ++shown;
      }
      KG_RETURN_IF_ERROR(cur.status());
    }
    body += "</ul>";
  }
  // The quotes with the phrase.
  auto hits = snap->SearchQuotes(q, /*phrase=*/true, 201);
  if (absl::IsInvalidArgument(hits.status())) return body + "<p>No words to search for.</p>";
  KG_RETURN_IF_ERROR(hits.status());
  if (named.empty() && hits->empty()) {
    // Nothing: perhaps a misspelt name ("Pyongyng").
    KG_ASSIGN_OR_RETURN(std::vector<Entity> entities, snap->ListEntities());
    std::vector<std::string_view> names;
    for (const Entity& e : entities) {
      if (e.type == "Type" || e.type == "Predicate") continue;
      if (CouldSuggest(q, e.name)) names.push_back(e.name);
      for (const std::string& a : e.aliases) {
        if (CouldSuggest(q, a)) names.push_back(a);
      }
    }
    const std::string_view closest = ClosestName(q, names);
    if (!closest.empty()) {
      body += StrCat("<p id=\"suggestion\">Did you mean <a href=\"",
                     HtmlEscape(Url("/ui/search", "q", closest)), "\">", HtmlEscape(closest),
                     "</a>?</p>");
    }
  }
  body += StrCat("<h2>Quotes</h2><p>", hits->size() > 200 ? "more than 200" : StrCat(hits->size()),
                 " quote(s) with these words</p><table><thead><tr><th>claim</th><th>quote</th>"
                 "<th>document</th></tr></thead><tbody>");
  for (size_t i = 0; i < hits->size() && i < 200; ++i) {
    const EvidenceEntry& e = (*hits)[i];
    KG_ASSIGN_OR_RETURN(Term claim, snap->Decode(e.claim));
    body += StrCat("<tr><td>", ClaimLink(claim), "</td><td>", HtmlEscape(e.evidence.quote),
                   "</td><td>", DocLink(e.document_id), "</td></tr>");
  }
  return body + "</tbody></table>";
}

// ---- claim ------------------------------------------------------------

absl::StatusOr<std::string> ClaimBody(const Service& service, const Term& claim) {
  std::unique_ptr<Snapshot> snap = service.store->NewSnapshot();
  query::Context ctx(*snap, service.limits);
  KG_ASSIGN_OR_RETURN(std::optional<TermId> id, snap->Find(claim));
  if (!id) return absl::NotFoundError(StrCat("no stored claim ", claim.ToString()));
  KG_ASSIGN_OR_RETURN(auto evidence, ctx.EvidenceFor(*id));
  KG_ASSIGN_OR_RETURN(std::vector<query::RootSource> roots, query::RootsOf(ctx, *id));
  const query::SourceCounts n = query::CountSources(roots);
  std::string body = StrCat("<h1>", ClaimLink(claim), "</h1>");
  std::vector<std::string> downloads;
  for (const auto& [format, name] : {std::pair{"md", "Markdown"}, std::pair{"html", "HTML"},
                                     std::pair{"json", "JSON"}, std::pair{"dot", "DOT"}}) {
    const std::string href =
        StrCat(Url("/ui/claim/download", "c", query::TermInQuery(claim)), "&format=", format);
    downloads.push_back(StrCat("<a href=\"", HtmlEscape(href), "\" download>", name, "</a>"));
  }
  body += StrCat("<p class=\"meta\">Permalink: <a href=\"", HtmlEscape(ClaimHref(claim)), "\">",
                 HtmlEscape(ClaimHref(claim)), "</a> &middot; Download the trace: ",
                 absl::StrJoin(downloads, ", "), "</p>");
  body += StrCat("<p id=\"independence\"><strong>", n.supporting,
                 " independent source(s) support, ", n.opposing, " oppose</strong>",
                 n.circular > 0 ? StrCat("; ", n.circular, " circular citation(s) not counted")
                                : "",
                 "</p><details><summary>How the sources are counted</summary><p>Each piece of "
                 "evidence is followed from its document through the sources it names to its "
                 "primary source. Chains on one side that share a source after the document "
                 "that reports them depend on each other; each group of such chains is one "
                 "independent source. A group resting only on circular citations is not "
                 "counted. Verdicts are not sources. (docs/query-language.md, section 11)</p>"
                 "</details>");
  // The provenance graph, drawn on the server (no script, no request).
  {
    // A claim whose terms the query language cannot spell (a document id
    // with characters doc: terms lack) is shown without its picture.
    query::Session session(service.store);
    auto trace = session.Run(StrCat("TRACE ", query::TermInQuery(claim), ";"), service.limits);
    if (!trace.ok() && !absl::IsInvalidArgument(trace.status())) return trace.status();
    if (trace.ok() && !trace->empty() && (*trace)[0].trace) {
      std::ostringstream svg;
      query::RenderTraceSvg(*(*trace)[0].trace, svg);
      body += StrCat("<h2>Provenance</h2><div class=\"graph\" style=\"overflow-x:auto\">", svg.str(),
                     "</div>");
    }
  }
  // The independent sources and their chains.
  body += "<h2>Independent sources</h2><ul id=\"roots\">";
  for (const query::RootSource& r : roots) {
    std::vector<std::string> chains;
    for (const query::Chain& c : r.chains) {
      std::vector<std::string> parts;
      for (const Term& t : c.terms) parts.push_back(TermHtml(t));
      chains.push_back(absl::StrJoin(parts, " &rarr; ") + (c.circular ? " (circular)" : ""));
    }
    body += StrCat("<li><strong>", r.opposes ? "opposes" : "supports", ":</strong> ",
                   TermHtml(r.root), r.cycle ? " (circular, not counted)" : "",
                   "<br><span class=\"meta\">", absl::StrJoin(chains, "<br>"), "</span></li>");
  }
  body += "</ul>";
  // The evidence by side, each quote in its sentence.
  for (const char* side : {"supports", "disputes", "negates"}) {
    std::string items;
    for (const EvidenceEntry& e : *evidence) {
      if (IsVerdict(e.evidence) || query::SideName(e.evidence) != side) continue;
      const Evidence& ev = e.evidence;
      KG_ASSIGN_OR_RETURN(query::Context::DocumentFacts facts, ctx.DescribeDocument(e.document_id));
      std::optional<std::string> sentence;
      if (ev.span) sentence = SentenceAround(facts.document.text, ev.span->start, ev.span->end);
      KG_ASSIGN_OR_RETURN(std::vector<Term> chain, query::FullChain(ctx, e));
      std::vector<std::string> hops;
      for (const Term& t : chain) hops.push_back(TermHtml(t));
      items += StrCat("<li><blockquote>",
                      sentence ? MarkedSentence(*sentence, ev.quote)
                               : StrCat("<mark>", HtmlEscape(ev.quote), "</mark>"),
                      "</blockquote><span class=\"meta\">", DocLink(e.document_id), " #",
                      e.ordinal, " &middot; hedge: ", HedgeName(ev.hedge),
                      ev.agent ? StrCat(" &middot; said by ", TermHtml(*ev.agent)) : "",
                      " &middot; chain: ", absl::StrJoin(hops, " &rarr; "), "</span></li>");
    }
    if (items.empty()) continue;
    body += StrCat("<section class=\"side\" id=\"", side, "\"><h2>Evidence that ", side,
                   " the claim</h2><ul>", items, "</ul></section>");
  }
  // The verdicts.
  const std::vector<EvidenceEntry> verdicts = query::VerdictsAmong(*evidence);
  if (!verdicts.empty()) {
    body += StrCat("<h2>Verdicts</h2>",
                   query::ReviewersDisagree(verdicts) ? "<p><strong>The reviewers disagree.</strong></p>"
                                                      : "",
                   "<ul id=\"verdicts\">");
    for (const EvidenceEntry& e : verdicts) {
      std::vector<std::string> fields;
      for (const auto& [k, v] : query::VerdictFields(ctx, e)) {
        fields.push_back(StrCat(HtmlEscape(k), ": ", HtmlEscape(v)));
      }
      body += StrCat("<li>", DocLink(e.document_id), " &middot; ", absl::StrJoin(fields, "; "),
                     "</li>");
    }
    body += "</ul>";
  }
  return body;
}

// ---- document ---------------------------------------------------------

// ---- the transaction log ----------------------------------------------------

std::string TxTime(const TxRecord& tx) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMicros(tx.unix_micros),
                          absl::UTCTimeZone());
}

// Rows of the log's table for `txs`, at most `limit`.
std::string TxRows(const std::vector<TxRecord>& txs, size_t limit) {
  std::string rows;
  size_t shown = 0;
  for (const TxRecord& tx : txs) {
    if (shown++ == limit) break;
    rows += StrCat("<tr><td>", tx.id, "</td><td>", HtmlEscape(TxTime(tx)), "</td><td>",
                   HtmlEscape(tx.kind), "</td><td>", tx.document.empty() ? "" : DocLink(tx.document),
                   "</td><td>", tx.count, "</td><td>", HtmlEscape(tx.user), "</td><td><code>",
                   HtmlEscape(tx.command), "</code></td></tr>");
  }
  return rows;
}

constexpr char kTxHead[] =
    "<table><thead><tr><th>tx</th><th>when</th><th>what</th><th>document</th><th>count</th>"
    "<th>user</th><th>command</th></tr></thead><tbody>";

// The document's transactions, newest first ("" when the log has none).
std::string DocumentHistory(const Snapshot& snap, const std::string& id) {
  absl::StatusOr<std::vector<TxRecord>> txs = snap.TransactionsOf(id, 50);
  if (!txs.ok()) return "";
  const std::string rows = TxRows(*txs, 50);
  if (rows.empty()) return "";
  return StrCat("<h2>History</h2><p class=\"meta\">When this document was written, replaced "
                "or deleted (the store's transaction log).</p>",
                kTxHead, rows, "</tbody></table>");
}

absl::StatusOr<std::string> DocumentBody(const Service& service, const std::string& id) {
  std::unique_ptr<Snapshot> snap = service.store->NewSnapshot();
  query::Context ctx(*snap, service.limits);
  KG_ASSIGN_OR_RETURN(query::Context::DocumentFacts facts, ctx.DescribeDocument(id));
  const Document& d = facts.document;
  // Who cites it: a document known only from citations has a page too.
  std::string cited_by;
  {
    KG_ASSIGN_OR_RETURN(std::optional<TermId> self, snap->Find(Term::Document(id)));
    if (self) {
      TriplePattern p;
      p.o = *self;
      TripleCursor cur = snap->Scan(p);
      for (; cur.Valid(); cur.Next()) {
        KG_ASSIGN_OR_RETURN(Term s, snap->Decode(cur.triple().s));
        KG_ASSIGN_OR_RETURN(Term pred, snap->Decode(cur.triple().p));
        if (s.kind() != TermKind::kDocument || pred.kind() != TermKind::kEntity ||
            !ParseRelation(pred.text())) {
          continue;
        }
        cited_by += StrCat("<li>", TermHtml(s), " ", HtmlEscape(pred.text()), " it</li>");
      }
      KG_RETURN_IF_ERROR(cur.status());
    }
  }
  if (!facts.stored && d.title.empty() && d.url.empty() && cited_by.empty()) {
    return absl::NotFoundError(StrCat("no document doc:", id));
  }
  std::string body = StrCat("<h1>", HtmlEscape(d.title.empty() ? StrCat("doc:", id) : d.title),
                            "</h1><table class=\"meta\"><tbody>");
  auto row = [&](std::string_view k, const std::string& v) {
    if (!v.empty()) body += StrCat("<tr><th>", k, "</th><td>", v, "</td></tr>");
  };
  row("id", DocLink(id));
  row("publisher", HtmlEscape(d.publisher));
  row("authors", HtmlEscape(absl::StrJoin(d.authors, "; ")));
  if (d.date) row("date", HtmlEscape(FormatDate(*d.date)));
  if (!d.url.empty()) {
    row("url", StrCat("<a rel=\"noopener noreferrer\" href=\"", HtmlEscape(d.url), "\">",
                      HtmlEscape(d.url), "</a>"));
  }
  row("type", HtmlEscape(d.type));
  row("stored", facts.stored ? "yes" : "no: known only from citations");
  body += "</tbody></table>";
  // Citations out and in.
  if (!d.links.empty()) {
    body += "<h2>Relies on</h2><ul>";
    for (const DocumentLink& l : d.links) {
      body += StrCat("<li>", RelationName(l.relation), " ", TermHtml(l.target), "</li>");
    }
    body += "</ul>";
  }
  if (!cited_by.empty()) body += StrCat("<h2>Cited by</h2><ul>", cited_by, "</ul>");
  body += DocumentHistory(*snap, id);
  if (!facts.stored) return body;
  if (d.text.empty()) {
    // Imported as RDF: no text to mark, and maybe millions of statements
    // (the 10M benchmark store is one document), so a link to the first
    // of them rather than a read of all.
    const Term graph = GraphName(id);
    const std::string iri = graph.kind() == TermKind::kIri ? std::string(graph.text())
                                                            : StrCat(kKgDocNs, id);
    const std::string sparql =
        StrCat("SELECT ?s ?p ?o WHERE { GRAPH <", iri, "> { ?s ?p ?o } } LIMIT 100");
    body += StrCat("<p>No stored text (imported as RDF): <a href=\"",
                   HtmlEscape(StrCat(Url("/ui/query", "q", sparql), "&lang=sparql")),
                   "\">its first 100 statements</a>.</p>");
    return body;
  }
  // The quotes: only a document with text has them to mark.
  KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> evidence, snap->EvidenceInDocument(id));
  // The text, every quote marked and linked to its claim; a quote inside
  // another is shown within the outer one.
  std::vector<const EvidenceEntry*> spans;
  for (const EvidenceEntry& e : evidence) {
    if (e.evidence.span && e.evidence.span->end > e.evidence.span->start) spans.push_back(&e);
  }
  std::sort(spans.begin(), spans.end(), [](const EvidenceEntry* a, const EvidenceEntry* b) {
    return a->evidence.span->start != b->evidence.span->start
               ? a->evidence.span->start < b->evidence.span->start
               : a->evidence.span->end > b->evidence.span->end;
  });
  std::string text;
  uint64_t at = 0;  // code points written
  const uint64_t total = CountCodePoints(d.text);
  auto slice = [&](uint64_t from, uint64_t to) {
    const size_t b0 = *CodePointToByte(d.text, std::min(from, total));
    const size_t b1 = *CodePointToByte(d.text, std::min(to, total));
    return HtmlEscape(std::string_view(d.text).substr(b0, b1 - b0));
  };
  size_t marks = 0;
  for (const EvidenceEntry* e : spans) {
    const Span s = *e->evidence.span;
    if (s.start < at || s.end > total) continue;
    KG_ASSIGN_OR_RETURN(Term claim, snap->Decode(e->claim));
    text += slice(at, s.start);
    text += StrCat("<mark><a href=\"", HtmlEscape(ClaimHref(claim)), "\" title=\"",
                   HtmlEscape(claim.ToString()), "\">", slice(s.start, s.end), "</a></mark>");
    at = s.end;
    ++marks;
  }
  text += slice(at, total);
  body += StrCat("<h2>Text</h2><p class=\"meta\">", marks,
                 " quote(s) marked; each links to its claim.</p><div class=\"doctext\">", text,
                 "</div>");
  return body;
}

// ---- query --------------------------------------------------------------

// A cell of a kg result, its terms linked: documents to their page, claims
// to theirs, names to a search.
std::string CellHtml(const query::Cell& c) {
  if (c.type != query::Cell::Type::kTerm) return HtmlEscape(c.text);
  const std::string& t = c.text;
  if (absl::StartsWith(t, "doc:")) return DocLink(t.substr(4));
  if (absl::StartsWith(t, "<< ") && absl::EndsWith(t, " >>")) {
    const std::string claim = StrCat("(", t.substr(3, t.size() - 6), ")");
    return StrCat("<a href=\"", HtmlEscape(Url("/ui/claim", "c", claim)), "\">", HtmlEscape(t),
                  "</a>");
  }
  return HtmlEscape(t);
}

std::string TableHtml(const std::vector<std::string>& head,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><thead><tr>";
  for (const std::string& h : head) out += StrCat("<th>", HtmlEscape(h), "</th>");
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += StrCat("<td>", cell, "</td>");
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

absl::StatusOr<std::string> QueryResults(const Service& service, const std::string& text,
                                         bool sparql) {
  std::string out;
  if (sparql) {
    KG_ASSIGN_OR_RETURN(query::SparqlResult r, query::RunSparql(service.store, text, {}));
    if (!r.explain.empty()) return StrCat("<pre>", HtmlEscape(r.explain), "</pre>");
    if (r.form == query::SparqlResult::Form::kAsk) return StrCat("<p>", r.boolean ? "true" : "false", "</p>");
    std::vector<std::vector<std::string>> rows;
    if (r.form == query::SparqlResult::Form::kGraph) {
      for (const auto& t : r.triples) rows.push_back({TermHtml(t[0]), TermHtml(t[1]), TermHtml(t[2])});
      return StrCat("<p>", rows.size(), " triple(s)</p>", TableHtml({"subject", "predicate", "object"}, rows));
    }
    for (const auto& row : r.rows) {
      std::vector<std::string> cells;
      for (const auto& t : row) cells.push_back(t ? TermHtml(*t) : "");
      rows.push_back(std::move(cells));
    }
    return StrCat("<p>", rows.size(), " row(s)</p>", TableHtml(r.vars, rows));
  }
  query::Session session(service.store);
  KG_ASSIGN_OR_RETURN(std::vector<query::Result> results, session.Run(text, service.limits));
  for (const query::Result& r : results) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r.rows) {
      std::vector<std::string> cells;
      for (const query::Cell& c : row) cells.push_back(CellHtml(c));
      rows.push_back(std::move(cells));
    }
    out += StrCat("<p>", rows.size(), " row(s)", r.summary.empty() ? "" : StrCat(" &middot; ", HtmlEscape(r.summary)),
                  "</p>", TableHtml(r.columns, rows));
  }
  return out;
}

}  // namespace

void WorkbenchQuery(const Service& service, const Call& call, httplib::Response& res) {
  const std::string text = Param(call, "q").value_or("");
  const bool sparql = Param(call, "lang").value_or("") == "sparql";
  std::string body = StrCat(
      "<h1>Query</h1><form action=\"/ui/query\"><p><label><input type=\"radio\" name=\"lang\" "
      "value=\"kg\"", sparql ? "" : " checked", "> kg's language</label> <label><input "
      "type=\"radio\" name=\"lang\" value=\"sparql\"", sparql ? " checked" : "",
      "> SPARQL</label></p><p><label for=\"text\">Statements (EXPLAIN shows the plan)</label><br>"
      "<textarea id=\"text\" name=\"q\" rows=\"6\" style=\"width:100%\">", HtmlEscape(text),
      "</textarea></p><button type=\"submit\">Run</button></form>");
  if (text.empty()) return SetPage(service, res, 200, "Query", "", body);
  if (FindInvalidUtf8(text)) {
    return SetFailure(service, res, absl::InvalidArgumentError("the query is not UTF-8"), "");
  }
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> results = QueryResults(service, text, sparql);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!results.ok()) {
    res.status = HttpStatusOf(results.status().code());
    res.set_content(Page(service, "Query", "", StrCat(body, "<p role=\"alert\">",
                                              HtmlEscape(std::string(results.status().message())),
                                              "</p>")),
                    kHtml);
    return;
  }
  SetPage(service, res, 200, "Query", "",
          StrCat(body, "<p class=\"meta\" id=\"time\">", absl::StrFormat("%.1f", ms), " ms</p>",
                 *results));
}

void WorkbenchSearch(const Service& service, const Call& call, httplib::Response& res) {
  const std::string q = std::string(absl::StripAsciiWhitespace(Param(call, "q").value_or("")));
  if (q.empty()) {
    return SetPage(service, res, 200, "Search", "",
                   "<h1>Where does a claim come from?</h1><p>Paste a phrase from an article, "
                   "an entity's name, or a claim written as <code>(subject predicate "
                   "object)</code>.</p><p class=\"meta\">For example: "
                   "<a href=\"/ui/search?q=half+of+Russia%27s+munitions\">half of Russia's "
                   "munitions</a>, <a href=\"/ui/search?q=Pyongyang\">Pyongyang</a>, "
                   "<a href=\"/ui/search?q=%28Iran+supplied+ShahedDrone%29\">(Iran supplied "
                   "ShahedDrone)</a>.</p>");
  }
  if (FindInvalidUtf8(q)) return SetFailure(service, res, absl::InvalidArgumentError("the search is not UTF-8"), "");
  absl::StatusOr<std::string> body = SearchResults(service, q);
  if (!body.ok()) return SetFailure(service, res, body.status(), q);
  SetPage(service, res, 200, q, q, *body);
}

void WorkbenchClaim(const Service& service, const Call& call, httplib::Response& res) {
  const std::string c = Param(call, "c").value_or("");
  if (c.empty() || FindInvalidUtf8(c)) {
    return SetFailure(service, res, absl::InvalidArgumentError("give the claim: /ui/claim?c=(s p o)"), "");
  }
  auto claims = query::FindClaims(service.store, c, 51);
  if (!claims.ok()) return SetFailure(service, res, claims.status(), c);
  if (claims->empty()) return SetFailure(service, res, absl::NotFoundError(StrCat("no stored claim matches ", c)), c);
  if (claims->size() > 1) {
    std::string body = StrCat("<h1>", claims->size() > 50 ? "More than 50" : StrCat(claims->size()),
                              " claims match</h1><ul>");
    for (const Term& t : *claims) body += StrCat("<li>", ClaimLink(t), "</li>");
    return SetPage(service, res, 200, c, c, body + "</ul>");
  }
  absl::StatusOr<std::string> body = ClaimBody(service, (*claims)[0]);
  if (!body.ok()) return SetFailure(service, res, body.status(), c);
  SetPage(service, res, 200, (*claims)[0].ToString(), "", *body);
}

void WorkbenchClaimDownload(const Service& service, const Call& call, httplib::Response& res) {
  const std::string c = Param(call, "c").value_or("");
  const std::string format = Param(call, "format").value_or("");
  if (c.empty() || FindInvalidUtf8(c)) return SetError(res, 400, "give the claim: ?c=(s p o)");
  query::Session session(service.store);
  auto results = session.Run(StrCat("TRACE ", c, ";"), service.limits);
  if (!results.ok()) return SetError(res, results.status());
  std::ostringstream out;
  const char* type = "text/plain; charset=utf-8";
  if (format == "md") {
    query::RenderMarkdown(results->front(), out);
    type = "text/markdown; charset=utf-8";
  } else if (format == "html") {
    query::RenderHtml(*results, out);
    type = kHtml;
  } else if (format == "json") {
    out << query::ResultJson(results->front()) << "\n";
    type = "application/json";
  } else if (format == "dot") {
    query::RenderDot(results->front(), out);
    type = "text/vnd.graphviz; charset=utf-8";
  } else {
    return SetError(res, 400, "format must be md, html, json or dot");
  }
  res.set_header("Content-Disposition",
                 StrCat("attachment; filename=\"trace.", format, "\""));
  res.set_content(out.str(), type);
}

void WorkbenchLog(const Service& service, const Call& call, httplib::Response& res) {
  size_t limit = 100;
  if (auto n = Param(call, "n")) {
    if (!absl::SimpleAtoi(*n, &limit) || limit == 0 || limit > 10000) {
      return SetFailure(service, res, absl::InvalidArgumentError("n must be 1 to 10000"), "");
    }
  }
  absl::StatusOr<std::vector<TxRecord>> txs =
      service.store->NewSnapshot()->Transactions(limit, /*newest_first=*/true);
  if (!txs.ok()) return SetFailure(service, res, txs.status(), "");
  const std::string rows = TxRows(*txs, limit);
  SetPage(service, res, 200, "Log", "",
          StrCat("<h1>What changed</h1><p class=\"meta\">The store's transactions, newest "
                 "first: every document written, replaced, appended to or deleted, and every "
                 "vocabulary loaded (<code>kg log</code>).</p>",
                 rows.empty() ? "<p>No transactions recorded.</p>"
                              : StrCat(kTxHead, rows, "</tbody></table>")));
}

void WorkbenchDocument(const Service& service, const Call& call, httplib::Response& res) {
  std::string id = Param(call, "id").value_or("");
  if (absl::StartsWith(id, "doc:")) id = id.substr(4);
  if (id.empty() || FindInvalidUtf8(id)) {
    return SetFailure(service, res, absl::InvalidArgumentError("give the document: /ui/doc?id=ID"), "");
  }
  absl::StatusOr<std::string> body = DocumentBody(service, id);
  if (!body.ok()) return SetFailure(service, res, body.status(), "");
  SetPage(service, res, 200, StrCat("doc:", id), "", *body);
}

}  // namespace kg::server
