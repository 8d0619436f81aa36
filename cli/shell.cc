#include "cli/shell.h"

#include <unistd.h>

#include <algorithm>
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
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/terminal.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/lexer.h"
#include "query/query.h"

namespace kg::cli {

std::string PointAt(std::string_view line, int col) {
  constexpr int kBefore = 60, kShown = 120;  // code points of a long line shown
  std::vector<size_t> starts;                // byte offset of each code point
  for (size_t i = 0; i < line.size(); ++i) {
    if (!IsUtf8Continuation(line[i])) starts.push_back(i);
  }
  const int count = static_cast<int>(starts.size());
  col = std::max(col, 1);
  const int first = col - 1 > kBefore && count > kShown ? std::min(col - 1, count) - kBefore : 0;
  const int last = std::min(count, first + kShown);
  auto at = [&](int cp) { return cp < count ? starts[cp] : line.size(); };
  std::string shown(first > 0 ? "…" : "");
  std::string pad(first > 0 ? " " : "");
  shown.append(line.substr(at(first), at(last) - at(first)));
  if (last < count) shown += "…";
  for (int cp = first; cp < col - 1; ++cp) {
    pad += cp < count && line[starts[cp]] == '\t' ? '\t' : ' ';
  }
  return StrCat("  ", shown, "\n  ", pad, "^\n");
}

namespace {

// A statement as the shell reads it: its text, from its first token
// through its ';' once complete, and where that text is in the input.
struct Statement {
  std::string text;
  int line = 1;  // input line of text[0]
  int col = 1;   // its column (code points from 1)
  // The input lines the statement spans, from `line` on (for the caret).
  std::vector<std::string> lines;
  // Offset in `text` just past the last token: where a missing ';' belongs.
  size_t last_token_end = 0;
};

// The position in `text` of byte `offset`.
query::Pos PosIn(std::string_view text, size_t offset) {
  query::Pos p;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.col = 1;
    } else if (!IsUtf8Continuation(text[i])) {
      ++p.col;
    }
  }
  return p;
}

// A name as it is typed in a statement: in `backquotes` unless it lexes as
// one plain name; empty if it cannot be typed.
std::string Typed(const std::string& name) {
  const std::string typed = query::TermInQuery(Term::Entity(name));
  if (typed == name) return name;
  if (name.empty() || name.find_first_of("`\\\n") != std::string::npos) return "";
  return typed;
}

constexpr const char* kKeywords[] = {
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "DISTINCT", "GROUP BY", "ORDER BY", "ASC", "DESC",
    "LIMIT", "OFFSET", "AS", "AND", "OR", "NOT", "IN", "BETWEEN", "TRACE", "SOURCES OF",
    "CONFLICTS ABOUT", "VERDICTS ON", "SEARCH", "WORDS", "EXPLAIN", "EVIDENCE", "DEPTH", "TRUE", "FALSE",
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
         << "Enter \".help\" for usage hints. Statements end with ';'; Ctrl-C abandons one.\n";
    const std::string writer = Store::WriterOf(db_);
    if (!writer.empty()) {
      out_ << "note: " << writer
           << " is writing to this store; each statement sees what it has committed so far\n";
    }
  }

  // One line of input, line `line_no` of `source`; false when the shell
  // should stop. Runs each statement the line completes.
  bool Line(const std::string& raw, int line_no, const std::string& source) {
    std::string line = raw;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!pending_) {
      const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
      if (!trimmed.empty() && trimmed[0] == '.') {
        return DotCommand(std::string(trimmed), line_no, source);
      }
    } else {
      pending_->lines.push_back(line);
    }
    for (const query::StatementSpan& span : query::SplitStatements(line)) {
      size_t from = 0;  // where this line's part of the statement starts
      if (!pending_) {
        pending_.emplace();
        pending_->line = line_no;
        pending_->col = span.pos.col;
        pending_->lines = {line};
        from = span.begin;
      }
      if (!span.ended) {  // the last span: the statement goes on
        pending_->last_token_end = pending_->text.size() + span.end - from;
        pending_->text += line.substr(from);
        pending_->text += '\n';
        return true;
      }
      pending_->text += line.substr(from, span.end - from);
      Statement st = *std::move(pending_);
      pending_.reset();
      bool ok;
      if (span.status.ok()) {
        ok = RunStatement(st, source);
      } else {  // a string left open: the lexer's own error, placed in `st`
        const absl::Status lexed = query::Lex(st.text).status();
        ReportStatementError(std::string((lexed.ok() ? span.status : lexed).message()), st, 0,
                             source);
        ok = false;
      }
      if (!ok && bail_ && !options_.interactive) return false;
    }
    if (pending_) {  // a blank or comment line inside the statement
      pending_->text += line;
      pending_->text += '\n';
    }
    return true;
  }

  // The input ended. A statement still open runs as if ended by ';' if
  // `run_open` (the last statement of -c), else it is an error. False if a
  // statement failed.
  bool Finish(const std::string& source, bool run_open) {
    if (!pending_) return true;
    Statement st = *std::move(pending_);
    pending_.reset();
    st.text.resize(st.last_token_end);
    if (run_open) {
      st.text += ';';
      return RunStatement(st, source);
    }
    const query::Pos end = PosIn(st.text, st.last_token_end);
    ReportStatementError(
        StrCat(end.line, ":", end.col, ": statement not ended by ';' at the end of the input"), st,
        0, source);
    return false;
  }

  bool OnLine(const std::string& line, int line_no) override { return Line(line, line_no, ""); }
  bool PendingInput() const override { return pending_.has_value(); }
  void DiscardInput() override { pending_.reset(); }
  void EndInput() override { ended_inside_statement_ = !Finish("", false); }
  bool had_error() const { return had_error_; }
  bool ended_inside_statement() const { return ended_inside_statement_; }
  const std::vector<std::string>& completions() const override { return completions_; }

 private:
  // Where an error is: its column on input line `text`, the `line`-th of
  // the statement.
  struct Where {
    int line = 1;
    int col = 1;
    std::string_view text;
    bool multi_line = false;  // the statement spans several lines
  };

  bool RunStatement(const Statement& st, const std::string& source) {
    if (st.text == ";") return true;  // an empty statement
    if (!store_) {
      ReportError("no store is open (use .open DIR)", st.line, source);
      return false;
    }
    // Follow the writer: see what it has committed since the last statement.
    if (auto s = store_->CatchUp(); !s.ok()) {
      ReportError(std::string(s.message()), st.line, source);
      return false;
    }
    query::QueryOptions qo;
    qo.max_rows = max_rows_;
    qo.timeout = absl::Seconds(timeout_);
    constexpr std::string_view kExplain = "EXPLAIN ";
    const std::string text = explain_ ? StrCat(kExplain, st.text) : st.text;
    qo.cancel = StartStatement();
    const auto start = std::chrono::steady_clock::now();
    auto results = session_->Run(text, qo);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EndStatement();
    if (!results.ok()) {
      if (absl::IsCancelled(results.status())) {
        ReportError("interrupted: the statement was cancelled", st.line, source);
      } else {
        ReportStatementError(std::string(results.status().message()), st,
                             explain_ ? static_cast<int>(kExplain.size()) : 0, source);
      }
      return false;
    }
    RenderOptions ro;
    ro.format = format_;
    ro.width = OutputWidth(width_);
    for (const query::Result& r : *results) Render(r, ro, out_);
    if (timer_) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "Run Time: real %.3f s\n", seconds);
      out_ << buf;
    }
    out_.flush();
    return true;
  }

  // Reports `message` about `st`. Query errors start "L:C: ", a position in
  // the text that ran (`shift` characters of which, on its first line, were
  // not the user's): it is shown as a place in the input, with a caret.
  void ReportStatementError(const std::string& message, const Statement& st, int shift,
                            const std::string& source) {
    const auto at = query::PositionOf(message);
    if (!at || at->line > static_cast<int>(st.lines.size())) {
      ReportError(message, st.line, source);
      return;
    }
    const int l = at->line;
    int c = at->column;
    if (l == 1) c = std::max(1, c - shift);
    Where where;
    where.line = l;
    where.col = l == 1 ? st.col + c - 1 : c;
    where.text = st.lines[l - 1];
    where.multi_line = st.lines.size() > 1;
    ReportError(std::string(at->rest), st.line + l - 1, source, &where);
  }

  // "Error: near line N of SOURCE: column C: message" (on a terminal,
  // "Error: column C: message"), then the line with a caret under column C.
  void ReportError(const std::string& message, int line, const std::string& source,
                   const Where* where = nullptr) {
    had_error_ = true;
    std::string head = "Error: ";
    if (!options_.interactive) {
      head += StrCat("near line ", line, source.empty() ? std::string() : " of " + source, ": ");
    }
    if (where != nullptr) {
      if (options_.interactive && where->multi_line) head += StrCat("line ", where->line, ", ");
      head += StrCat("column ", where->col, ": ");
    }
    err_ << head << message << "\n";
    if (where != nullptr) err_ << PointAt(where->text, where->col);
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
        {".width", "[N|0|auto]",
         "table width: 0 no limit; auto (default) the terminal's, if output is one; none: show it",
         &Shell::DotWidth},
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
    out_ << "Statements (MATCH, TRACE, SOURCES OF, VERDICTS ON, CONFLICTS ABOUT, SEARCH, EXPLAIN) end "
            "with ';'"
            " -- see docs/query-language.md. Ctrl-C abandons one being typed.\n";
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
    if (a.empty()) {
      std::string now;
      if (!width_) {
        const size_t w = OutputWidth(std::nullopt);
        now = w == 0 ? "auto (no limit: output is not a terminal)"
                     : StrCat("auto (the terminal's: ", w, " columns)");
      } else {
        now = *width_ == 0 ? "0 (no limit)" : StrCat(*width_, " columns");
      }
      out_ << "width: " << now << "\n";
      return true;
    }
    if (a.size() == 1 && a[0] == "auto") {
      width_.reset();
      return true;
    }
    uint64_t n = 0;
    if (a.size() != 1 || !absl::SimpleAtoi(a[0], &n)) {
      ReportError("expected .width N, 0 (no limit) or auto", l, s);
      return !(bail_ && !options_.interactive);
    }
    width_ = n;
    return true;
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
    bool go_on = true;
    int n = 0;
    for (std::string line; go_on && std::getline(in, line);) go_on = Line(line, ++n, a[0]);
    if (go_on && !Finish(a[0], false)) go_on = !bail_;
    pending_.reset();  // a dot-command line starts no statement: none was open before
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
    ro.width = OutputWidth(width_);
    Render(r, ro, out_);
    return true;
  }

  // Keywords, dot-commands, predicates, entity names and their aliases, and
  // documents. A name is offered as it is typed, and also in backquotes,
  // which is how the terminal knows to offer it after a '`'.
  void LoadCompletions() {
    completions_.clear();
    for (const char* k : kKeywords) completions_.push_back(k);
    for (const Dot& d : Dots()) completions_.push_back(d.name);
    auto add_name = [this](const std::string& name) {
      const std::string typed = Typed(name);
      if (typed.empty()) return;
      completions_.push_back(typed);
      if (typed[0] != '`') completions_.push_back(StrCat("`", name, "`"));
    };
    auto snap = store_->NewSnapshot();
    if (auto preds = snap->AllPredicateStats(); preds.ok()) {
      for (const auto& [p, st] : *preds) {
        auto t = snap->Decode(p);
        if (t.ok() && t->kind() == TermKind::kEntity) add_name(t->text());
      }
    }
    if (auto entities = snap->ListEntities(); entities.ok()) {
      for (const Entity& e : *entities) {
        add_name(e.name);
        for (const std::string& alias : e.aliases) add_name(alias);
      }
    }
    if (auto docs = snap->ListDocuments(); docs.ok()) {
      for (const std::string& d : *docs) completions_.push_back("doc:" + d);
    }
    std::sort(completions_.begin(), completions_.end());
    completions_.erase(std::unique(completions_.begin(), completions_.end()), completions_.end());
  }

  ShellOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<query::Session> session_;
  std::string db_;
  std::string follower_dir_;
  // The statement being read, until its ';'.
  std::optional<Statement> pending_;
  bool had_error_ = false;
  bool ended_inside_statement_ = false;
  bool bail_ = false;
  bool timer_ = false;
  bool explain_ = false;
  Format format_ = Format::kTable;
  std::optional<size_t> width_;  // unset: OutputWidth's default
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
    int n = 0;
    bool go_on = true;
    for (absl::string_view line : absl::StrSplit(options.command, '\n')) {
      if (!(go_on = shell.Line(std::string(line), ++n, ""))) break;
    }
    if (go_on) shell.Finish("", /*run_open=*/true);
    return shell.had_error() ? 1 : 0;
  }
  if (options.interactive) {
    shell.Banner();
    const int code = RunTerminal(shell, HistoryPath(options));
    return code != 0 ? code : (shell.ended_inside_statement() ? 1 : 0);
  }
  int n = 0;
  bool go_on = true;
  for (std::string line; go_on && std::getline(in, line);) go_on = shell.Line(line, ++n, "");
  if (go_on) shell.Finish("", /*run_open=*/false);
  return shell.had_error() ? 1 : 0;
}

}  // namespace kg::cli
