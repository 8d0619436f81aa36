// Escaped text for output formats: JSON for the CLI's machine-readable
// output and the exporters, HTML for reports and the workbench.
#ifndef KG_KG_JSON_H_
#define KG_KG_JSON_H_

#include <string>
#include <string_view>

namespace kg {

// JSON string literal (quoted, escaped) of UTF-8 `s`.
std::string JsonString(std::string_view s);

// `s` with & < > " ' replaced by character references: safe as HTML text
// and inside a quoted attribute value.
std::string HtmlEscape(std::string_view s);

}  // namespace kg

#endif  // KG_KG_JSON_H_
