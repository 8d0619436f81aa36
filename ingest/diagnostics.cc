#include "ingest/diagnostics.h"

#include <algorithm>

#include "kg/closest_name.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

// Line `line` (1-based) of `content`, without its line break.
std::string_view LineOf(std::string_view content, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    const size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = content.find('\n', start);
  if (end == std::string_view::npos) end = content.size();
  std::string_view text = content.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string_view best = ClosestName(word, candidates);
  if (best.empty()) return "";
  return StrCat(" (did you mean '", best, "'?)");
}

std::string FormatDiagnostic(std::string_view file, const Diagnostic& d,
                             std::optional<std::string_view> line) {
  std::string out = StrCat(file, ":", d.pos.line, ":", d.pos.col,
                           d.warning ? ": warning: " : ": error: ", d.message, "\n");
  // No undecodable bytes echoed; a caret under a huge line helps no one.
  if (!line || FindInvalidUtf8(*line) || line->size() > 300) return out;
  StrAppend(&out, *line, "\n");
  int col = 1;
  for (size_t i = 0; i < line->size() && col < d.pos.col; ++i) {
    if (IsUtf8Continuation((*line)[i])) continue;
    out.push_back((*line)[i] == '\t' ? '\t' : ' ');
    ++col;
  }
  for (; col < d.pos.col; ++col) out.push_back(' ');
  out.append("^\n");
  return out;
}

std::string Diagnostics::Format() const { return FormatAll(file_, content_, errors_); }

std::string Diagnostics::FormatWarnings() const { return FormatAll(file_, content_, warnings_); }

std::string Diagnostics::FormatAll(const std::string& file_, std::string_view content_,
                                   std::vector<Diagnostic> sorted) {
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.col < b.pos.col;
  });
  std::string out;
  // A hostile file can hold an error per byte (100,000 nested brackets took
  // two minutes to report in full): the first kMaxShown, then a count.
  constexpr size_t kMaxShown = 50;
  if (sorted.size() > kMaxShown) {
    const size_t more = sorted.size() - kMaxShown;
    sorted.resize(kMaxShown);
    sorted.push_back({sorted.back().pos, ""});  // marker, printed below
    sorted.back().message = StrCat("(", more, " more ", sorted.front().warning ? "warning" : "error",
                                   "(s) in this file not shown)");
  }
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Diagnostic& d = sorted[i];
    if (i == kMaxShown) {
      StrAppend(&out, file_, ": ", d.message, "\n");
      break;
    }
    out += FormatDiagnostic(file_, d, LineOf(content_, d.pos.line));
  }
  return out;
}

}  // namespace kg::ingest
