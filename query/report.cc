#include "query/report.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/json.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::query {


namespace {

// ------------------------------------------------------------ shared

// The value of field `key` of `n`, or "".
std::string FieldOf(const TraceNode& n, std::string_view key) {
  for (const auto& [k, v] : n.fields) {
    if (k == key) return v.text;
  }
  return "";
}

// Whether a field is shown in a node's headline rather than in its list.
bool InHeadline(std::string_view kind, std::string_view key) {
  if (key == "role" || key == "quote" || key == "hedge" || key == "stance") return true;
  if (kind == "document") {
    return key == "title" || key == "publisher" || key == "date" || key == "url";
  }
  return false;
}

std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  // Runs of spaces from line breaks in the source text, once.
  std::string squeezed;
  for (char c : out) {
    if (c == ' ' && !squeezed.empty() && squeezed.back() == ' ') continue;
    squeezed += c;
  }
  return squeezed;
}

// The first `n` code points of `s`, with "…" when cut.
std::string Shorten(std::string_view s, size_t n) {
  if (CountCodePoints(s) <= n) return std::string(s);
  std::string out;
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool starts = !IsUtf8Continuation(s[i]);
    if (starts && ++points > n - 1) break;
    out += s[i];
  }
  return out + "…";
}

// What a trace is of: the claim, or for a trace of several claims the
// pattern or quote the statement asked for, without "TRACE" and ";".
std::string Subject(const TraceNode& t) {
  std::string_view label = t.label;
  if (t.kind == "trace") {
    if (label.starts_with("TRACE ")) label.remove_prefix(6);
    while (!label.empty() && (label.back() == ';' || label.back() == ' ')) label.remove_suffix(1);
  }
  return OneLine(label);
}

// ------------------------------------------------------------ Markdown

std::string Md(std::string_view s) {
  std::string out;
  for (char c : OneLine(s)) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A label (claim, document id, name) as a code span: no escapes needed.
std::string MdCode(std::string_view s) {
  const std::string text = OneLine(s);
  if (text.find('`') != std::string::npos) return Md(text);
  return StrCat("`", text, "`");
}

std::string MdHeadline(const TraceNode& n) {
  const std::string role = FieldOf(n, "role");
  std::string line;
  if (n.kind == "claim") {
    line = StrCat("**Claim** ", MdCode(n.label));
  } else if (n.kind == "evidence") {
    line = StrCat("**Evidence** ", MdCode(n.label));
    const std::string hedge = FieldOf(n, "hedge"), stance = FieldOf(n, "stance");
    if (!hedge.empty()) line += StrCat(" · *", Md(hedge), "*");
    if (!stance.empty()) line += StrCat(" · ", Md(stance));
  } else if (n.kind == "document") {
    const std::string title = FieldOf(n, "title"), url = FieldOf(n, "url");
    line = StrCat("**Document** ", MdCode(n.label));
    if (!title.empty()) {
      line += url.empty() ? StrCat(" — ", Md(title)) : StrCat(" — [", Md(title), "](", url, ")");
    } else if (!url.empty()) {
      line += StrCat(" — <", url, ">");
    }
    const std::string publisher = FieldOf(n, "publisher"), date = FieldOf(n, "date");
    if (!publisher.empty()) line += StrCat(", ", Md(publisher));
    if (!date.empty()) line += StrCat(", ", Md(date));
  } else if (n.kind == "agent") {
    line = StrCat("**Source** ", MdCode(n.label));
  } else if (n.kind == "cycle") {
    line = StrCat("**Circular citation** ", MdCode(n.label));
  } else {
    line = StrCat("**", Md(n.kind), "** ", Md(n.label));
  }
  if (!role.empty()) line += StrCat(" — **", Md(role), "**");
  return line;
}

void MdNode(const TraceNode& n, const std::string& indent, std::ostream& out) {
  out << indent << "- " << MdHeadline(n) << "\n";
  const std::string inner = indent + "  ";
  const std::string quote = FieldOf(n, "quote");
  if (!quote.empty()) out << inner << "> " << Md(quote) << "\n\n";
  std::vector<std::string> details;
  for (const auto& [k, v] : n.fields) {
    if (!InHeadline(n.kind, k)) details.push_back(StrCat(Md(k), ": ", Md(v.text)));
  }
  if (!details.empty()) {
    out << inner;
    for (size_t i = 0; i < details.size(); ++i) out << (i ? "; " : "") << details[i];
    out << "\n";
  }
  for (const TraceNode& c : n.children) MdNode(c, inner, out);
}

void MdTable(const Result& r, std::ostream& out) {
  if (r.columns.empty()) return;
  out << "|";
  for (const std::string& c : r.columns) out << " " << Md(c) << " |";
  out << "\n|";
  for (size_t i = 0; i < r.columns.size(); ++i) out << " --- |";
  out << "\n";
  for (const auto& row : r.rows) {
    out << "|";
    for (const Cell& c : row) out << " " << Md(c.text) << " |";
    out << "\n";
  }
}

// ------------------------------------------------------------ HTML

std::string Html(std::string_view s) { return HtmlEscape(s); }

// Only web addresses become links.
bool IsWebUrl(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

void HtmlNode(const TraceNode& n, std::ostream& out) {
  const std::string role = FieldOf(n, "role");
  out << "<li class=\"" << Html(n.kind) << (role.empty() ? "" : " primary") << "\">";
  out << "<span class=\"kind\">"
      << Html(n.kind == "agent" ? "source" : n.kind == "cycle" ? "circular citation" : n.kind)
      << "</span> <span class=\"label\">" << Html(OneLine(n.label)) << "</span>";
  if (n.kind == "document") {
    const std::string title = FieldOf(n, "title"), url = FieldOf(n, "url");
    if (!title.empty()) {
      out << " — "
          << (IsWebUrl(url) ? StrCat("<a href=\"", Html(url), "\">", Html(OneLine(title)), "</a>")
                            : StrCat("<cite>", Html(OneLine(title)), "</cite>"));
    } else if (IsWebUrl(url)) {
      out << " — <a href=\"" << Html(url) << "\">" << Html(url) << "</a>";
    }
    for (const char* key : {"publisher", "date"}) {
      const std::string v = FieldOf(n, key);
      if (!v.empty()) out << ", " << Html(v);
    }
  }
  const std::string hedge = FieldOf(n, "hedge"), stance = FieldOf(n, "stance");
  if (!hedge.empty()) out << " <span class=\"hedge\">" << Html(hedge) << "</span>";
  if (!stance.empty()) {
    out << " <span class=\"stance " << (stance == "supports" ? "pro" : "con") << "\">"
        << Html(stance) << "</span>";
  }
  if (!role.empty()) out << " <strong class=\"role\">" << Html(role) << "</strong>";
  const std::string quote = FieldOf(n, "quote");
  if (!quote.empty()) out << "<blockquote>" << Html(OneLine(quote)) << "</blockquote>";
  std::string details;
  for (const auto& [k, v] : n.fields) {
    if (InHeadline(n.kind, k)) continue;
    details += StrCat("<span class=\"field\">", Html(k), ": ", Html(OneLine(v.text)), "</span> ");
  }
  if (!details.empty()) out << "<div class=\"details\">" << details << "</div>";
  if (!n.children.empty()) {
    out << "<ul>";
    for (const TraceNode& c : n.children) HtmlNode(c, out);
    out << "</ul>";
  }
  out << "</li>\n";
}

// The provenance tree drawn left to right: a column per depth, a row per
// leaf, each parent centred on its children.
void Svg(const TraceNode& root, std::ostream& out) {
  constexpr int kBoxW = 250, kBoxH = 50, kColW = 285, kRowH = 64, kPad = 10;
  struct Placed {
    const TraceNode* node;
    int depth;
    double y;
    int parent;
  };
  std::vector<Placed> placed;
  int leaves = 0, depth_max = 0;
  std::function<double(const TraceNode&, int, int)> place = [&](const TraceNode& n, int depth,
                                                                int parent) -> double {
    const int index = static_cast<int>(placed.size());
    placed.push_back({&n, depth, 0, parent});
    depth_max = std::max(depth_max, depth);
    double y;
    if (n.children.empty()) {
      y = kPad + leaves++ * kRowH;
    } else {
      double first = 0, last = 0;
      for (size_t i = 0; i < n.children.size(); ++i) {
        const double cy = place(n.children[i], depth + 1, index);
        if (i == 0) first = cy;
        last = cy;
      }
      y = (first + last) / 2;
    }
    placed[index].y = y;
    return y;
  };
  place(root, 0, -1);
  const int width = kPad * 2 + depth_max * kColW + kBoxW;
  const int height = kPad * 2 + std::max(leaves, 1) * kRowH - (kRowH - kBoxH);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"provenance tree\" "
      << "style=\"max-width:100%;height:auto\" "
      << "width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " "
      << height << "\">\n";
  for (const Placed& p : placed) {
    if (p.parent < 0) continue;
    const Placed& q = placed[p.parent];
    const double x1 = kPad + q.depth * kColW + kBoxW, y1 = q.y + kBoxH / 2.0;
    const double x2 = kPad + p.depth * kColW, y2 = p.y + kBoxH / 2.0;
    const double mid = (x1 + x2) / 2;
    out << "<path class=\"edge\" d=\"M" << x1 << " " << y1 << " C" << mid << " " << y1 << " "
        << mid << " " << y2 << " " << x2 << " " << y2 << "\"/>\n";
  }
  for (const Placed& p : placed) {
    const TraceNode& n = *p.node;
    const bool primary = !FieldOf(n, "role").empty();
    const int x = kPad + p.depth * kColW;
    const std::string kind =
        n.kind == "agent" ? "source" : n.kind == "cycle" ? "circular citation" : n.kind;
    std::string second = FieldOf(n, "hedge");
    if (n.kind == "document") second = FieldOf(n, "publisher");
    if (n.kind == "claim") second = FieldOf(n, "independent sources");
    if (primary) second = second.empty() ? "primary source" : "primary source · " + second;
    out << "<g class=\"node " << Html(n.kind) << (primary ? " primary" : "") << "\">"
        << "<title>" << Html(StrCat(kind, " ", Subject(n))) << "</title>"
        << "<rect x=\"" << x << "\" y=\"" << p.y << "\" width=\"" << kBoxW << "\" height=\""
        << kBoxH << "\" rx=\"6\"/>"
        << "<text x=\"" << x + 8 << "\" y=\"" << p.y + 18 << "\">" << Html(kind) << ": "
        << Html(Shorten(Subject(n), 31)) << "</text>";
    if (!second.empty()) {
      out << "<text class=\"sub\" x=\"" << x + 8 << "\" y=\"" << p.y + 38 << "\">"
          << Html(Shorten(OneLine(second), 38)) << "</text>";
    }
    out << "</g>\n";
  }
  out << "</svg>\n";
}

constexpr char kSvgStyle[] = R"css(
svg .edge { fill: none; stroke: #999; stroke-width: 1.2; }
svg rect { fill: #f7f7f7; stroke: #888; }
svg .claim rect { fill: #e8f0fe; stroke: #3367d6; stroke-width: 2; }
svg .evidence rect { fill: #fff; }
svg .primary rect { fill: #fff3c4; stroke: #b08800; stroke-width: 2; }
svg .cycle rect { fill: #fde8e8; stroke: #c00; }
svg text { font: 12px system-ui, sans-serif; fill: #222; } svg text.sub { fill: #555; }
)css";

constexpr char kStyle[] = R"css(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.4em; } .summary { color: #555; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.4em; border-left: 1px solid #ccc; }
ul.tree li { margin: .4em 0; }
.kind { font-size: .8em; text-transform: uppercase; letter-spacing: .04em; color: #666; }
.label { font-weight: 600; }
.hedge { background: #eef; border-radius: 3px; padding: 0 .3em; font-style: italic; }
.stance.pro { color: #176b2c; } .stance.con { color: #a31515; }
.role { background: #fff3c4; padding: 0 .3em; }
blockquote { margin: .3em 0 .3em 1em; padding-left: .6em; border-left: 3px solid #999; }
.details { font-size: .85em; color: #555; } .field { margin-right: .8em; }
.picture { overflow-x: auto; border: 1px solid #ddd; padding: .5em; margin: 1em 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .5em; }
)css";

}  // namespace

void RenderMarkdown(const Result& r, std::ostream& out) {
  if (!r.trace) {
    MdTable(r, out);
    out << "\n*" << r.rows.size() << (r.rows.size() == 1 ? " row" : " rows")
        << (r.summary.empty() ? "" : StrCat("; ", Md(r.summary))) << "*\n";
    return;
  }
  const TraceNode& t = *r.trace;
  out << "# Provenance of " << MdCode(Subject(t)) << "\n\n";
  if (!r.summary.empty()) out << "*" << Md(r.summary) << "*\n\n";
  out << "Each claim, the evidence for it (the quote and how firmly it was said), the document "
         "that holds it, and the chain of sources down to each primary source.\n\n";
  if (t.kind == "claim") {
    MdNode(t, "", out);
  } else {
    for (const TraceNode& c : t.children) MdNode(c, "", out);
  }
}

namespace {

void HtmlResult(const Result& r, bool heading, std::ostream& out) {
  if (heading) {
    out << "<h2>"
        << Html(r.trace ? StrCat("Provenance of ", Subject(*r.trace)) : "Result")
        << "</h2>\n";
  }
  if (!r.summary.empty()) out << "<p class=\"summary\">" << Html(r.summary) << "</p>\n";
  if (r.trace) {
    out << "<div class=\"picture\">\n";
    Svg(*r.trace, out);
    out << "</div>\n<ul class=\"tree\">\n";
    if (r.trace->kind == "claim") {
      HtmlNode(*r.trace, out);
    } else {
      for (const TraceNode& c : r.trace->children) HtmlNode(c, out);
    }
    out << "</ul>\n";
    return;
  }
  out << "<table>\n<tr>";
  for (const std::string& c : r.columns) out << "<th>" << Html(c) << "</th>";
  out << "</tr>\n";
  for (const auto& row : r.rows) {
    out << "<tr>";
    for (const Cell& c : row) out << "<td>" << Html(c.text) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n<p>" << r.rows.size() << (r.rows.size() == 1 ? " row" : " rows") << "</p>\n";
}

}  // namespace

void RenderHtml(const std::vector<Result>& results, std::ostream& out) {
  std::string title = "kg results";
  if (results.size() == 1) {
    const Result& r = results[0];
    title = r.trace ? StrCat("Provenance of ", Subject(*r.trace)) : "kg result";
  }
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << Html(title) << "</title>\n<style>" << kStyle << kSvgStyle << "</style>\n</head>\n<body>\n"
      << "<h1>" << Html(title) << "</h1>\n";
  for (const Result& r : results) HtmlResult(r, results.size() > 1, out);
  out << "<footer><p class=\"summary\">Made by kg from its evidence store: each quote, how "
         "firmly it was said, the document that holds it and the chain to its primary "
         "source.</p></footer>\n</body>\n</html>\n";
}

void RenderTraceSvg(const TraceNode& root, std::ostream& out) { Svg(root, out); }

std::string_view TraceSvgStyle() { return kSvgStyle; }

namespace {

std::string DotString(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c == '\n' ? ' ' : c;
  }
  return q + "\"";
}

}  // namespace

void RenderDot(const Result& r, std::ostream& out) {
  out << "digraph provenance {\n  rankdir=LR;\n  node [fontname=\"Helvetica\" fontsize=10];\n";
  if (r.trace) {
    int next = 0;
    std::function<int(const TraceNode&)> walk = [&](const TraceNode& n) {
      const int id = next++;
      std::string label = StrCat(n.kind, "\\n", n.label);
      std::string attrs = "shape=box";
      for (const auto& [k, cell] : n.fields) {
        const std::string& v = cell.text;
        if (k == "quote") {
          std::string q = v.size() > 80 ? v.substr(0, 77) + "..." : v;
          label += StrCat("\\n“", q, "”");
        } else if (k == "hedge" || k == "role") {
          label += StrCat("\\n[", v, "]");
        }
      }
      if (n.kind == "claim") attrs = "shape=box style=bold";
      if (n.kind == "evidence") attrs = "shape=note";
      if (n.kind == "document") attrs = "shape=folder";
      if (n.kind == "agent") attrs = "shape=ellipse";
      if (n.kind == "cycle") attrs = "shape=octagon color=red";
      for (const auto& [k, v] : n.fields) {
        if (k == "role") attrs += " peripheries=2 style=filled fillcolor=\"#fff3c4\"";
      }
      std::string escaped;
      for (size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        if (c == '"') {
          escaped += "\\\"";
        } else if (c == '\\' && i + 1 < label.size() && label[i + 1] == 'n') {
          escaped += "\\n";
          ++i;
        } else if (c == '\\') {
          escaped += "\\\\";
        } else {
          escaped += c == '\n' ? ' ' : c;
        }
      }
      out << "  n" << id << " [label=\"" << escaped << "\" " << attrs << "];\n";
      for (const TraceNode& c : n.children) {
        const int child = walk(c);
        out << "  n" << id << " -> n" << child << ";\n";
      }
      return id;
    };
    walk(*r.trace);
  } else if (r.columns.size() >= 2) {
    // Rows as edges from the first column to the second, labelled by the rest.
    for (const auto& row : r.rows) {
      std::string label;
      for (size_t i = 2; i < row.size(); ++i) label += (i > 2 ? " " : "") + row[i].text;
      out << "  " << DotString(row[0].text) << " -> " << DotString(row[1].text);
      if (!label.empty()) out << " [label=" << DotString(label) << "]";
      out << ";\n";
    }
  } else {
    for (const auto& row : r.rows) {
      if (!row.empty()) out << "  " << DotString(row[0].text) << ";\n";
    }
  }
  out << "}\n";
}


}  // namespace kg::query
