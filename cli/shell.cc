#include "cli/shell.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "cli/render.h"
#include "cli/terminal.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "query/query.h"

namespace kg::cli {

bool StatementComplete(const std::string& buffer) {
  char last = 0;
  for (size_t i = 0; i < buffer.size(); ++i) {
    const char c = buffer[i];
    if (c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < buffer.size() && buffer[j] != c && buffer[j] != '\n') j += buffer[j] == '\\' ? 2 : 1;
      if (j >= buffer.size()) return false;  // still inside the string
      i = j;
      last = c;
      continue;
    }
    if (c == '-' && i + 1 < buffer.size() && buffer[i + 1] == '-') {
      while (i < buffer.size() && buffer[i] != '\n') ++i;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') last = c;
  }
  return last == ';';
}

namespace {

// Splits a complete buffer into statements, each with the 0-based line of
// the buffer it starts on.
std::vector<std::pair<std::string, int>> SplitStatements(const std::string& buffer) {
  std::vector<std::pair<std::string, int>> out;
  std::string cur;
  int line = 0, start_line = -1;
  for (size_t i = 0; i < buffer.size(); ++i) {
    const char c = buffer[i];
    auto take = [&](char ch) {
      if (start_line < 0 && ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') start_line = line;
      cur += ch;
      if (ch == '\n') ++line;
    };
    if (c == '"' || c == '`') {
      take(c);
      size_t j = i + 1;
      while (j < buffer.size() && buffer[j] != c) {
        if (buffer[j] == '\\' && j + 1 < buffer.size()) take(buffer[j++]);
        take(buffer[j++]);
      }
      if (j < buffer.size()) take(buffer[j]);
      i = j;
      continue;
    }
    if (c == '-' && i + 1 < buffer.size() && buffer[i + 1] == '-') {
      while (i < buffer.size() && buffer[i] != '\n') cur += buffer[i++];
      if (i < buffer.size()) take('\n');
      continue;
    }
    take(c);
    if (c == ';') {
      if (start_line >= 0) out.emplace_back(cur, start_line);
      // Lines of `cur` before the statement are blank or comments.
      cur.clear();
      start_line = -1;
    }
  }
  return out;
}

constexpr const char* kKeywords[] = {
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "DISTINCT", "GROUP BY", "ORDER BY", "ASC", "DESC",
    "LIMIT", "OFFSET", "AS", "AND", "OR", "NOT", "IN", "BETWEEN", "TRACE", "SOURCES OF",
    "CONFLICTS ABOUT", "SEARCH", "WORDS", "EXPLAIN", "EVIDENCE", "DEPTH", "TRUE", "FALSE",
    "NULL", "COUNT(", "MIN(", "MAX(", "SUM(", "evidence(", "sources(", "opposing(",
    "documents(", "size(", "bound(", "str(", "lower(", "upper(", "kind(", "lang(", "year(",
    "date(", "contains(", "starts_with(", "regex("};

class Shell : public TerminalClient {
 public:
  Shell(const ShellOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {
    format_ = ParseFormat(options.format).value_or(Format::kTable);
  }
  ~Shell() { Close(); }

  // Follows the store in `db`; on failure the shell keeps the one it had.
  bool Open(const std::string& db) {
    char tmpl[] = "/tmp/kg-shell-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      err_ << "Error: cannot create a temporary directory\n";
      return false;
    }
    StoreOptions so;
    so.create_if_missing = false;
    so.follower_dir = tmpl;
    auto store = Store::Open(db, so);
    if (!store.ok()) {
      err_ << "Error: " << store.status().message() << "\n";
      std::error_code ec;
      std::filesystem::remove_all(tmpl, ec);
      return false;
    }
    Close();
    follower_dir_ = tmpl;
    store_ = *std::move(store);
    session_ = std::make_unique<query::Session>(store_.get());
    db_ = db;
    LoadCompletions();
    return true;
  }

  void Close() {
    session_.reset();
    store_.reset();
    if (!follower_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(follower_dir_, ec);
      follower_dir_.clear();
    }
  }

  void Banner() {
    out_ << "kg shell -- " << db_ << " (read-only; follows writers)\n"
         << "Enter \".help\" for usage hints. Statements end with ';'.\n";
    const std::string writer = Store::WriterOf(db_);
    if (!writer.empty()) {
      out_ << "note: " << writer
           << " is writing to this store; each statement sees what it has committed so far\n";
    }
  }

  // One line of input; false when the shell should stop.
  bool Line(const std::string& raw, int line_no, const std::string& source) {
    std::string line = raw;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (buffer_.empty()) {
      const std::string trimmed(absl::StripAsciiWhitespace(line));
      if (trimmed.empty()) return true;
      if (trimmed[0] == '.') return DotCommand(trimmed, line_no, source);
      buffer_line_ = line_no;
    }
    buffer_ += line;
    buffer_ += "\n";
    if (!StatementComplete(buffer_)) return true;
    std::string text;
    text.swap(buffer_);
    return RunText(text, buffer_line_, source);
  }

  // Input ended: a statement without ';' is an error, as in sqlite3.
  bool Finish(const std::string& source) {
    if (std::string(absl::StripAsciiWhitespace(buffer_)).empty()) return true;
    ReportError(StrCat("incomplete statement at the end of the input (missing ';'): ",
                       std::string(absl::StripAsciiWhitespace(buffer_))),
                buffer_line_, source);
    buffer_.clear();
    return false;
  }

  bool OnLine(const std::string& line, int line_no) override { return Line(line, line_no, ""); }
  bool PendingInput() const override { return !buffer_.empty(); }
  void DiscardInput() override { buffer_.clear(); }
  bool had_error() const { return had_error_; }
  bool interactive() const { return options_.interactive; }
  const std::vector<std::string>& completions() const override { return completions_; }

  // Runs every statement in `text`, which starts at `first_line` of `source`.
  bool RunText(const std::string& text, int first_line, const std::string& source) {
    for (const auto& [stmt, offset] : SplitStatements(text)) {
      if (!RunStatement(stmt, first_line + offset, source) && bail_ && !options_.interactive) {
        return false;
      }
    }
    return true;
  }

 private:
  bool RunStatement(const std::string& stmt, int line, const std::string& source) {
    if (!store_) {
      ReportError("no store is open (use .open DIR)", line, source);
      return false;
    }
    // Follow the writer: see what it has committed since the last statement.
    if (auto s = store_->CatchUp(); !s.ok()) {
      ReportError(std::string(s.message()), line, source);
      return false;
    }
    query::QueryOptions qo;
    qo.max_rows = max_rows_;
    qo.timeout = absl::Seconds(timeout_);
    const std::string text = explain_ ? "EXPLAIN " + stmt : stmt;
    qo.cancel = StartStatement();
    const auto start = std::chrono::steady_clock::now();
    auto results = session_->Run(text, qo);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EndStatement();
    if (!results.ok()) {
      std::string message(results.status().message());
      if (absl::IsCancelled(results.status())) message = "interrupted: the statement was cancelled";
      // Positions are relative to the statement; shift them to the input.
      int l = 0, c = 0, n = 0;
      if (!explain_ && std::sscanf(message.c_str(), "%d:%d: %n", &l, &c, &n) == 2 && n > 0) {
        line += l - 1;
        message = StrCat("column ", c, ": ", message.substr(n));
      }
      ReportError(message, line, source);
      return false;
    }
    RenderOptions ro;
    ro.format = format_;
    ro.width = width_ > 0 ? width_ : (options_.interactive ? TerminalWidth() : 120);
    for (const query::Result& r : *results) Render(r, ro, out_);
    if (timer_) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "Run Time: real %.3f s\n", seconds);
      out_ << buf;
    }
    out_.flush();
    return true;
  }

  void ReportError(const std::string& message, int line, const std::string& source) {
    had_error_ = true;
    if (options_.interactive) {
      err_ << "Error: " << message << "\n";
    } else {
      err_ << "Error: near line " << line << (source.empty() ? "" : " of " + source) << ": "
           << message << "\n";
    }
    err_.flush();
  }

  struct Dot {
    const char* name;
    const char* args;
    const char* help;
    bool (Shell::*run)(const std::vector<std::string>& args, int line, const std::string& source);
  };
  static const std::vector<Dot>& Dots() {
    static const std::vector<Dot> dots = {
        {".bail", "on|off", "stop at the first error (input from a pipe or .read)", &Shell::DotBail},
        {".exit", "", "leave the shell", &Shell::DotQuit},
        {".explain", "on|off", "show the plan of each statement instead of running it",
         &Shell::DotExplain},
        {".help", "", "this list", &Shell::DotHelp},
        {".maxrows", "N", "row cap per statement (default 1000000)", &Shell::DotMaxRows},
        {".mode", "table|json|csv|tree|dot", "how results are printed", &Shell::DotMode},
        {".open", "DIR", "follow the store in DIR instead", &Shell::DotOpen},
        {".quit", "", "leave the shell", &Shell::DotQuit},
        {".read", "FILE", "run the statements in FILE", &Shell::DotRead},
        {".refresh", "", "catch up with what writers have committed (also done before each "
                         "statement)",
         &Shell::DotRefresh},
        {".schema", "", "predicates with their triple counts, and entity types",
         &Shell::DotSchema},
        {".stats", "", "documents, claims, evidence, predicates", &Shell::DotStats},
        {".timeout", "SECONDS", "time limit per statement (default 30)", &Shell::DotTimeout},
        {".timer", "on|off", "print how long each statement took", &Shell::DotTimer},
        {".width", "N", "table width (0: the terminal's)", &Shell::DotWidth},
    };
    return dots;
  }

  bool DotCommand(const std::string& line, int line_no, const std::string& source) {
    std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    for (const Dot& d : Dots()) {
      if (words[0] == d.name) {
        std::vector<std::string> args(words.begin() + 1, words.end());
        return (this->*d.run)(args, line_no, source);
      }
    }
    ReportError(StrCat("unknown command ", words[0], " (.help lists them)"), line_no, source);
    return !(bail_ && !options_.interactive);
  }

  bool OnOff(const std::vector<std::string>& args, bool& flag, int line, const std::string& src) {
    if (args.size() == 1 && (args[0] == "on" || args[0] == "off")) {
      flag = args[0] == "on";
      return true;
    }
    ReportError("expected on or off", line, src);
    return !(bail_ && !options_.interactive);
  }
  bool DotBail(const std::vector<std::string>& a, int l, const std::string& s) { return OnOff(a, bail_, l, s); }
  bool DotTimer(const std::vector<std::string>& a, int l, const std::string& s) { return OnOff(a, timer_, l, s); }
  bool DotExplain(const std::vector<std::string>& a, int l, const std::string& s) { return OnOff(a, explain_, l, s); }
  bool DotQuit(const std::vector<std::string>&, int, const std::string&) { return false; }
  bool DotHelp(const std::vector<std::string>&, int, const std::string&) {
    for (const Dot& d : Dots()) {
      std::string head = StrCat(d.name, " ", d.args);
      head.resize(std::max<size_t>(head.size() + 1, 34), ' ');
      out_ << head << d.help << "\n";
    }
    out_ << "Statements (MATCH, TRACE, SOURCES OF, CONFLICTS ABOUT, SEARCH, EXPLAIN) end with ';'"
            " -- see docs/query-language.md.\n";
    return true;
  }
  bool DotMode(const std::vector<std::string>& a, int l, const std::string& s) {
    std::optional<Format> f = a.size() == 1 ? ParseFormat(a[0]) : std::nullopt;
    if (!f) {
      ReportError("expected .mode table|json|csv|tree|dot", l, s);
      return !(bail_ && !options_.interactive);
    }
    format_ = *f;
    return true;
  }
  bool Number(const std::vector<std::string>& a, uint64_t& value, const char* usage, int l,
              const std::string& s) {
    uint64_t n = 0;
    if (a.size() != 1 || !absl::SimpleAtoi(a[0], &n)) {
      ReportError(usage, l, s);
      return !(bail_ && !options_.interactive);
    }
    value = n;
    return true;
  }
  bool DotWidth(const std::vector<std::string>& a, int l, const std::string& s) {
    uint64_t n = width_;
    const bool ok = Number(a, n, "expected .width N", l, s);
    width_ = n;
    return ok;
  }
  bool DotMaxRows(const std::vector<std::string>& a, int l, const std::string& s) {
    return Number(a, max_rows_, "expected .maxrows N", l, s);
  }
  bool DotTimeout(const std::vector<std::string>& a, int l, const std::string& s) {
    uint64_t n = static_cast<uint64_t>(timeout_);
    const bool ok = Number(a, n, "expected .timeout SECONDS", l, s);
    timeout_ = static_cast<double>(n);
    return ok;
  }
  bool DotOpen(const std::vector<std::string>& a, int l, const std::string& s) {
    if (a.size() != 1) {
      ReportError("expected .open DIR", l, s);
      return !(bail_ && !options_.interactive);
    }
    if (!Open(a[0])) had_error_ = true;
    return !(had_error_ && bail_ && !options_.interactive);
  }
  bool DotRead(const std::vector<std::string>& a, int l, const std::string& s) {
    if (a.size() != 1) {
      ReportError("expected .read FILE", l, s);
      return !(bail_ && !options_.interactive);
    }
    std::ifstream in(a[0]);
    if (!in) {
      ReportError(StrCat("cannot read ", a[0]), l, s);
      return !(bail_ && !options_.interactive);
    }
    // Errors in the file are reported with its own line numbers.
    const bool was_interactive = options_.interactive;
    options_.interactive = false;
    std::string saved;
    saved.swap(buffer_);
    bool go_on = true;
    int n = 0;
    for (std::string line; go_on && std::getline(in, line);) go_on = Line(line, ++n, a[0]);
    if (go_on) go_on = Finish(a[0]);
    buffer_.swap(saved);
    options_.interactive = was_interactive;
    return go_on || was_interactive;
  }
  bool DotRefresh(const std::vector<std::string>&, int l, const std::string& s) {
    if (!store_) return true;
    if (auto st = store_->CatchUp(); !st.ok()) {
      ReportError(std::string(st.message()), l, s);
      return true;
    }
    LoadCompletions();
    auto totals = store_->NewSnapshot()->Totals();
    if (totals.ok()) {
      out_ << "up to date: " << totals->documents << " documents, " << totals->triples
           << " claims, " << totals->evidence << " pieces of evidence\n";
    }
    return true;
  }
  bool DotStats(const std::vector<std::string>&, int l, const std::string& s) {
    if (!store_) return true;
    auto totals = store_->NewSnapshot()->Totals();
    if (!totals.ok()) {
      ReportError(std::string(totals.status().message()), l, s);
      return true;
    }
    out_ << "documents  " << totals->documents << "\nclaims     " << totals->triples
         << "\nevidence   " << totals->evidence << "\npredicates " << totals->predicates << "\n";
    return true;
  }
  bool DotSchema(const std::vector<std::string>&, int l, const std::string& s) {
    if (!store_) return true;
    auto snap = store_->NewSnapshot();
    auto preds = snap->AllPredicateStats();
    auto entities = snap->ListEntities();
    if (!preds.ok() || !entities.ok()) {
      ReportError(std::string((preds.ok() ? entities.status() : preds.status()).message()), l, s);
      return true;
    }
    query::Result r;
    r.columns = {"predicate", "triples", "subjects", "objects"};
    for (const auto& [p, st] : *preds) {
      auto term = snap->Decode(p);
      auto cell = [](std::string t, query::Cell::Type type) {
        query::Cell c;
        c.type = type;
        c.text = std::move(t);
        return c;
      };
      r.rows.push_back({cell(term.ok() ? (term->kind() == TermKind::kEntity ? term->text()
                                                                             : term->ToString())
                                        : p.ToHex(),
                             query::Cell::Type::kText),
                        cell(StrCat(st.triples), query::Cell::Type::kNumber),
                        cell(StrCat(st.distinct_subjects), query::Cell::Type::kNumber),
                        cell(StrCat(st.distinct_objects), query::Cell::Type::kNumber)});
    }
    std::map<std::string, int> types;
    for (const Entity& e : *entities) ++types[e.type.empty() ? "(untyped)" : e.type];
    std::string summary = "entity types:";
    for (const auto& [t, n] : types) summary += StrCat(" ", t, " ", n, ";");
    if (!summary.empty() && summary.back() == ';') summary.pop_back();
    r.summary = summary;
    RenderOptions ro;
    ro.width = width_ > 0 ? width_ : (options_.interactive ? TerminalWidth() : 120);
    Render(r, ro, out_);
    return true;
  }

  void LoadCompletions() {
    completions_.clear();
    for (const char* k : kKeywords) completions_.push_back(k);
    for (const Dot& d : Dots()) completions_.push_back(d.name);
    auto snap = store_->NewSnapshot();
    if (auto preds = snap->AllPredicateStats(); preds.ok()) {
      for (const auto& [p, st] : *preds) {
        auto t = snap->Decode(p);
        if (t.ok() && t->kind() == TermKind::kEntity) completions_.push_back(t->text());
      }
    }
    if (auto entities = snap->ListEntities(); entities.ok()) {
      for (const Entity& e : *entities) completions_.push_back(e.name);
    }
    if (auto docs = snap->ListDocuments(); docs.ok()) {
      for (const std::string& d : *docs) completions_.push_back("doc:" + d);
    }
  }

  ShellOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<query::Session> session_;
  std::string db_;
  std::string follower_dir_;
  std::string buffer_;
  int buffer_line_ = 1;
  bool had_error_ = false;
  bool bail_ = false;
  bool timer_ = false;
  bool explain_ = false;
  Format format_ = Format::kTable;
  uint64_t width_ = 0;
  uint64_t max_rows_ = 1'000'000;
  double timeout_ = 30;
  std::vector<std::string> completions_;
};

std::string HistoryPath(const ShellOptions& options) {
  if (!options.history_file.empty()) return options.history_file;
  if (const char* h = std::getenv("KG_HISTORY"); h != nullptr) return h;
  if (const char* home = std::getenv("HOME"); home != nullptr) return StrCat(home, "/.kg_history");
  return "";
}

}  // namespace

int RunShell(const ShellOptions& options, std::istream& in, std::ostream& out,
             std::ostream& err) {
  Shell shell(options, out, err);
  if (!shell.Open(options.db)) return 1;
  if (options.has_command) {
    std::string text = options.command;
    if (!StatementComplete(text)) text += ";";
    shell.RunText(text, 1, "");
    return shell.had_error() ? 1 : 0;
  }
  if (options.interactive) {
    shell.Banner();
    return RunTerminal(shell, HistoryPath(options));
  }
  int n = 0;
  bool go_on = true;
  for (std::string line; go_on && std::getline(in, line);) go_on = shell.Line(line, ++n, "");
  if (go_on) shell.Finish("");
  return shell.had_error() ? 1 : 0;
}

}  // namespace kg::cli
