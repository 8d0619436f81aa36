// Shareable reports of a result, to paste into a story or a ticket: Markdown
// and a self-contained HTML page. A TRACE becomes the provenance tree as
// nested items (claim, evidence with its quote and hedge, documents with
// title, publisher, date and URL, down to each primary source); the HTML
// page also draws the tree as an inline SVG picture, so it needs nothing
// but a browser. Any other result becomes a table. Also the DOT text of a
// result. Used by `kg query/trace --format md|html|dot` and by the
// workbench of `kg serve`.
#ifndef KG_QUERY_REPORT_H_
#define KG_QUERY_REPORT_H_

#include <ostream>
#include <string_view>
#include <vector>

#include "query/query.h"

namespace kg::query {

void RenderMarkdown(const Result& result, std::ostream& out);

// A whole HTML document of one or more results (UTF-8, inline CSS and SVG,
// no scripts, no external resources).
void RenderHtml(const std::vector<Result>& results, std::ostream& out);

// The provenance tree drawn as an inline SVG picture (what RenderHtml
// embeds), with no external resources.
void RenderTraceSvg(const TraceNode& root, std::ostream& out);
// The CSS the picture's classes need (a page that embeds it includes it).
std::string_view TraceSvgStyle();

// Graphviz DOT: a TRACE as its tree; other results as edges from the first
// column to the second, labelled by the rest.
void RenderDot(const Result& result, std::ostream& out);

}  // namespace kg::query

#endif  // KG_QUERY_REPORT_H_
