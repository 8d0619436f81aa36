// Positioned error reports for input files: `file:line:col: error: message`,
// followed by the source line and a caret under the column.
#ifndef KG_INGEST_DIAGNOSTICS_H_
#define KG_INGEST_DIAGNOSTICS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg::ingest {

// A 1-based position; columns count Unicode code points.
struct Pos {
  int line = 0;
  int col = 0;
};

struct Diagnostic {
  Pos pos;
  std::string message;
  bool warning = false;  // reported, but the file still loads
};

// Collects the errors of one file. Not thread-safe.
class Diagnostics {
 public:
  Diagnostics(std::string file, std::string_view content)
      : file_(std::move(file)), content_(content) {}

  void Error(Pos pos, std::string message) {
    errors_.push_back({pos, std::move(message)});
  }
  // What a lenient ingest reports and loads anyway (a broken vocabulary rule).
  void Warning(Pos pos, std::string message) {
    warnings_.push_back({pos, std::move(message), /*warning=*/true});
  }
  bool ok() const { return errors_.empty(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  const std::string& file() const { return file_; }

  // All errors, ordered by position, each with its source line and caret.
  std::string Format() const;
  // The same for the warnings.
  std::string FormatWarnings() const;

 private:
  static std::string FormatAll(const std::string& file, std::string_view content,
                               std::vector<Diagnostic> sorted);

  std::string file_;
  std::string_view content_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

// One error as every reader reports it: "file:line:col: error: message"
// ("warning:" for a warning),
// then the source `line` it is on and a caret under its column (columns
// count code points; tabs are kept so the caret lines up). Without `line`,
// or when the line is longer than 300 bytes or not valid UTF-8, only the
// first line.
std::string FormatDiagnostic(std::string_view file, const Diagnostic& d,
                             std::optional<std::string_view> line);

// " (did you mean 'x'?)" for the candidate closest to `word` by
// case-insensitive edit distance, or "" if none is plausibly meant.
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace kg::ingest

#endif  // KG_INGEST_DIAGNOSTICS_H_
