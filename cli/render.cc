#include "cli/render.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "query/report.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/result_json.h"

namespace kg::cli {

using query::Cell;
using query::Result;
using query::TraceNode;

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "tree") return Format::kTree;
  if (name == "dot") return Format::kDot;
  if (name == "md" || name == "markdown") return Format::kMarkdown;
  if (name == "html") return Format::kHtml;
  return std::nullopt;
}

size_t DisplayWidth(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += !IsUtf8Continuation(c);
  return n;
}

namespace {

// The first `width` code points of `text` (newlines shown as spaces), with
// "…" when cut.
std::string Fit(std::string_view text, size_t width) {
  std::string out;
  size_t n = 0, i = 0;
  const size_t total = DisplayWidth(text);
  const size_t keep = total <= width ? total : (width == 0 ? 0 : width - 1);
  while (i < text.size() && n < keep) {
    size_t len = 1;
    while (i + len < text.size() && IsUtf8Continuation(text[i + len])) ++len;
    const char c = text[i];
    out += (c == '\n' || c == '\t' || c == '\r') ? std::string(" ") : std::string(text.substr(i, len));
    i += len;
    ++n;
  }
  if (total > width && width > 0) {
    out += "…";
    ++n;
  }
  out.append(width > n ? width - n : 0, ' ');
  return out;
}

void Footer(const Result& r, std::ostream& out) {
  out << "(" << r.rows.size() << (r.rows.size() == 1 ? " row)" : " rows)");
  if (!r.summary.empty()) out << " " << r.summary;
  out << "\n";
}

void Table(const Result& r, const RenderOptions& o, std::ostream& out) {
  const size_t n = r.columns.size();
  std::vector<size_t> w(n);
  for (size_t i = 0; i < n; ++i) {
    w[i] = DisplayWidth(r.columns[i]);
    for (const auto& row : r.rows) w[i] = std::max(w[i], DisplayWidth(row[i].text));
  }
  // Shrink the widest columns until the table fits.
  const size_t borders = n == 0 ? 0 : 3 * n - 1;
  auto total = [&] {
    size_t t = borders;
    for (size_t x : w) t += x;
    return t;
  };
  while (n > 0 && o.width > 0 && total() > o.width) {
    size_t widest = std::max_element(w.begin(), w.end()) - w.begin();
    if (w[widest] <= 4) break;  // room for a letter or two and "…"
    --w[widest];
  }
  std::string header;
  for (size_t i = 0; i < n; ++i) header += StrCat(i ? " | " : " ", Fit(r.columns[i], w[i]));
  while (!header.empty() && header.back() == ' ') header.pop_back();
  out << header << "\n";
  for (size_t i = 0; i < n; ++i) out << (i ? "-+-" : "-") << std::string(w[i], '-');
  out << "\n";
  for (const auto& row : r.rows) {
    std::string line;
    for (size_t i = 0; i < n; ++i) line += StrCat(i ? " | " : " ", Fit(row[i].text, w[i]));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  if (o.footer) Footer(r, out);
}

// One statement's result as one JSON object on one line, so that several
// statements make JSON Lines.
void Json(const Result& r, std::ostream& out) { out << query::ResultJson(r) << "\n"; }

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void Csv(const Result& r, std::ostream& out) {
  for (size_t i = 0; i < r.columns.size(); ++i) out << (i ? "," : "") << CsvField(r.columns[i]);
  out << "\r\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << CsvField(row[i].text);
    out << "\r\n";
  }
}

std::string NodeLine(const TraceNode& n, size_t width) {
  std::string line = StrCat(n.kind, " ", n.label);
  for (const auto& [k, cell] : n.fields) {
    const std::string& v = cell.text;
    if (k == "quote") {
      line += StrCat(" \"", v, "\"");
    } else if (k == "hedge" || k == "role") {
      line += StrCat(" [", v, "]");
    } else {
      line += StrCat(" ", k, "=", v);
    }
  }
  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (width > 0 && DisplayWidth(line) > width) {
    std::string cut = Fit(line, width);
    while (!cut.empty() && cut.back() == ' ') cut.pop_back();
    return cut;
  }
  return line;
}

void Tree(const Result& r, const RenderOptions& o, std::ostream& out) {
  if (!r.trace) {
    // Not a trace: each row as an indented record.
    for (const auto& row : r.rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        out << (i ? "  " : "") << r.columns[i] << ": " << row[i].text << "\n";
      }
    }
    if (o.footer) Footer(r, out);
    return;
  }
  std::function<void(const TraceNode&, const std::string&, bool, bool)> walk =
      [&](const TraceNode& n, const std::string& prefix, bool last, bool root) {
        const std::string branch = root ? "" : (last ? "└─ " : "├─ ");
        const size_t used = DisplayWidth(prefix) + DisplayWidth(branch);
        const size_t room = o.width == 0 ? 0 : o.width > used + 20 ? o.width - used : 20;
        out << prefix << branch << NodeLine(n, room) << "\n";
        const std::string next = root ? "" : prefix + (last ? "   " : "│  ");
        for (size_t i = 0; i < n.children.size(); ++i) {
          walk(n.children[i], next, i + 1 == n.children.size(), false);
        }
      };
  walk(*r.trace, "", true, true);
  if (o.footer && !r.summary.empty()) out << r.summary << "\n";
}

}  // namespace

void Render(const Result& result, const RenderOptions& options, std::ostream& out) {
  switch (options.format) {
    case Format::kTable: Table(result, options, out); return;
    case Format::kJson: Json(result, out); return;
    case Format::kCsv: Csv(result, out); return;
    case Format::kTree: Tree(result, options, out); return;
    case Format::kDot: query::RenderDot(result, out); return;
    case Format::kMarkdown: query::RenderMarkdown(result, out); return;
    case Format::kHtml: query::RenderHtml({result}, out); return;
  }
}

}  // namespace kg::cli
