// Renders query results for people and programs: an aligned table that fits
// a width, JSON (query/result_json.h), CSV, an indented tree (TRACE) and
// Graphviz DOT.
#ifndef KG_CLI_RENDER_H_
#define KG_CLI_RENDER_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "query/query.h"

namespace kg::cli {

// kMarkdown and kHtml are shareable reports (cli/report.h); RunQuery
// gathers the results of all statements into one HTML page.
enum class Format { kTable, kJson, kCsv, kTree, kDot, kMarkdown, kHtml };
std::optional<Format> ParseFormat(std::string_view name);

struct RenderOptions {
  Format format = Format::kTable;
  // Table and tree width in columns; long cells are cut with "…" to fit.
  // 0: no limit, nothing is cut (output to a file or pipe).
  // Default: 0
  size_t width = 0;
  // Print the "(N rows)" line and the summary after a table or tree.
  // Default: true
  bool footer = true;
};

void Render(const query::Result& result, const RenderOptions& options, std::ostream& out);

// Width of `text` on a terminal, counting code points.
size_t DisplayWidth(std::string_view text);

}  // namespace kg::cli

#endif  // KG_CLI_RENDER_H_
