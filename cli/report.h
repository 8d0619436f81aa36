// Shareable reports of a result, to paste into a story or a ticket: Markdown
// and a self-contained HTML page. A TRACE becomes the provenance tree as
// nested items (claim, evidence with its quote and hedge, documents with
// title, publisher, date and URL, down to each primary source); the HTML
// page also draws the tree as an inline SVG picture, so it needs nothing
// but a browser. Any other result becomes a table.
#ifndef KG_CLI_REPORT_H_
#define KG_CLI_REPORT_H_

#include <ostream>
#include <vector>

#include "query/query.h"

namespace kg::cli {

void RenderMarkdown(const query::Result& result, std::ostream& out);

// A whole HTML document of one or more results (UTF-8, inline CSS and SVG,
// no scripts, no external resources).
void RenderHtml(const std::vector<query::Result>& results, std::ostream& out);

}  // namespace kg::cli

#endif  // KG_CLI_REPORT_H_
