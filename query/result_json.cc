#include "query/result_json.h"

#include "kg/json.h"
#include "kg/str_cat.h"

namespace kg::query {
namespace {

void AppendTrace(const TraceNode& n, std::string& out) {
  out += StrCat("{\"kind\":", JsonString(n.kind), ",\"label\":", JsonString(n.label));
  if (!n.fields.empty()) {
    out += ",\"fields\":{";
    for (size_t i = 0; i < n.fields.size(); ++i) {
      out += StrCat(i ? "," : "", JsonString(n.fields[i].first), ":", CellJson(n.fields[i].second));
    }
    out += "}";
  }
  if (!n.children.empty()) {
    out += ",\"children\":[";
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i) out += ",";
      AppendTrace(n.children[i], out);
    }
    out += "]";
  }
  out += "}";
}

}  // namespace

std::string JsonRows(const Result& r) {
  std::string s = "[";
  for (size_t k = 0; k < r.rows.size(); ++k) {
    s += k ? ",{" : "{";
    for (size_t i = 0; i < r.columns.size(); ++i) {
      s += StrCat(i ? "," : "", JsonString(r.columns[i]), ":", CellJson(r.rows[k][i]));
    }
    s += "}";
  }
  return s + "]";
}

std::string TraceJson(const TraceNode& node) {
  std::string out;
  AppendTrace(node, out);
  return out;
}

std::string ResultJson(const Result& r) {
  std::string out = "{\"columns\":[";
  for (size_t i = 0; i < r.columns.size(); ++i)
    out += StrCat(i ? "," : "", JsonString(r.columns[i]));
  out += StrCat("],\"rows\":", JsonRows(r), ",\"row_count\":", r.rows.size());
  if (!r.summary.empty()) out += StrCat(",\"summary\":", JsonString(r.summary));
  if (!r.counts.empty()) {
    out += ",\"counts\":{";
    for (size_t i = 0; i < r.counts.size(); ++i) {
      out += StrCat(i ? "," : "", JsonString(r.counts[i].first), ":", r.counts[i].second);
    }
    out += "}";
  }
  if (r.trace) out += StrCat(",\"trace\":", TraceJson(*r.trace));
  return out + "}";
}

}  // namespace kg::query
