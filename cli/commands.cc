#include "cli/commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "cli/browse.h"
#include "cli/render.h"
#include "cli/report.h"
#include "cli/shell.h"
#include "cli/terminal.h"
#include "kg/status_macros.h"
#include "ingest/brat_import.h"
#include "ingest/ingest.h"
#include "ingest/json_export.h"
#include "ingest/rdf_export.h"
#include "ingest/rdf_import.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "kg/verify.h"
#include "query/lexer.h"
#include "query/query.h"

namespace kg::cli {
namespace {

// A short news-style passage with second- and third-hand attribution, as in
// the sample corpus.
constexpr char kDemoText[] =
    "According to a Wall Street Journal report, Ukrainian officials claim that "
    "North Korea now supplies about half of the munitions Russia fires in "
    "Ukraine. Pyongyang has sent artillery shells since 2023.";

Span SpanOf(std::string_view text, std::string_view quote) {
  const size_t byte = text.find(quote);
  const uint64_t start = CountCodePoints(text.substr(0, byte));
  return Span{start, start + CountCodePoints(quote)};
}

DocumentWrite DemoDocument() {
  DocumentWrite w;
  Document& d = w.document;
  d.id = "demo-article";
  d.title = "Demo: who supplies Russia's munitions";
  d.publisher = "Demo News";
  d.authors = {"A. Reporter"};
  d.date = Date{2024, 11, 2};
  d.type = "article";
  d.text = kDemoText;
  d.links.push_back({Relation::kReports, Term::Document("wsj-report"),
                     "a Wall Street Journal report",
                     SpanOf(kDemoText, "a Wall Street Journal report")});

  const Term nk = Term::Entity("North Korea");
  const Term russia = Term::Entity("Russia");
  w.entities = {{"North Korea", {"Pyongyang", "DPRK"}, "Country"},
                {"Russia", {"Moscow", "the Kremlin"}, "Country"}};

  ClaimEvidence half;
  half.claim = Term::Claim(nk, Term::Entity("supplies_munitions_to"), russia);
  half.evidence.quote =
      "North Korea now supplies about half of the munitions Russia fires in Ukraine";
  half.evidence.span = SpanOf(kDemoText, half.evidence.quote);
  half.evidence.agent = Term::Entity("Ukrainian officials");
  half.evidence.via = {Term::Document("wsj-report")};
  half.evidence.hedge = Hedge::kClaimed;
  half.evidence.qualifiers = {{"quantity", *Term::Quantity("0.5", "share of munitions fired")}};

  ClaimEvidence shells;
  shells.claim = Term::Claim(nk, Term::Entity("supplied"), Term::Entity("artillery shells"));
  shells.evidence.quote = "Pyongyang has sent artillery shells since 2023";
  shells.evidence.span = SpanOf(kDemoText, shells.evidence.quote);
  shells.evidence.qualifiers = {{"time", *Term::ParseDate("2023")}};

  w.claims = {half, shells};
  return w;
}

void PrintEvidence(const Snapshot& snap, const EvidenceEntry& e, std::ostream& out) {
  const Evidence& ev = e.evidence;
  out << "  evidence in doc:" << e.document_id;
  if (ev.span) out << " [" << ev.span->start << "," << ev.span->end << ")";
  out << " hedge=" << HedgeName(ev.hedge) << " stance=" << StanceName(ev.stance);
  if (ev.negated) out << " negated";
  if (ev.agent) out << " agent=" << ev.agent->ToString();
  for (const Term& v : ev.via) out << " via=" << v.ToString();
  if (!ev.quote.empty()) {
    std::string quote = ev.quote;
    std::replace(quote.begin(), quote.end(), '\n', ' ');
    out << "\n    \"" << quote << "\"";
  }
  const std::string primary = ev.agent          ? ev.agent->ToString()
                              : !ev.via.empty() ? ev.via.back().ToString()
                                                : "doc:" + e.document_id;
  out << "\n    primary source: " << primary << "\n";
  for (const Qualifier& q : ev.qualifiers) {
    out << "    " << q.key << ": " << q.value.ToString() << "\n";
  }
}

}  // namespace

std::unique_ptr<Store> OpenStore(const std::string& db, bool create, std::ostream& err) {
  StoreOptions options;
  options.create_if_missing = create;
  options.read_only = !create;
  auto store = Store::Open(db, options);
  if (!store.ok()) {
    err << "kg: " << store.status().message() << "\n";
    return nullptr;
  }
  return *std::move(store);
}

int RunDemo(const std::string& db_arg, std::ostream& out, std::ostream& err) {
  // Without --db the demo runs in a store of its own, removed afterwards:
  // it never writes into the user's store.
  std::string db = db_arg;
  std::string temp;
  if (db.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = StrCat(tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp", "/kg-demo-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      err << "kg: cannot create a temporary directory for the demo store (" << pattern
          << "): " << std::strerror(errno) << "\n";
      return 1;
    }
    temp = pattern;
    db = temp + "/kg.db";
  }
  struct RemoveAtExit {
    std::string dir;
    ~RemoveAtExit() {
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
  } cleanup{temp};
  auto store = OpenStore(db, /*create=*/true, err);
  if (!store) return 1;
  const DocumentWrite demo = DemoDocument();
  {
    // Only into an empty store or one holding nothing but an earlier demo.
    auto ids = store->NewSnapshot()->ListDocuments();
    if (!ids.ok()) {
      err << "kg: " << ids.status().message() << "\n";
      return 1;
    }
    for (const std::string& id : *ids) {
      if (id != demo.document.id) {
        err << "kg: store " << db << " already holds documents (doc:" << id
            << "); kg demo writes only into an empty store: run it without --db (it then uses "
               "a temporary store) or with --db NEW_DIR\n";
        return 1;
      }
    }
  }
  if (auto s = store->WriteDocument(demo); !s.ok()) {
    err << "kg: " << s.message() << "\n";
    return 1;
  }
  auto snap = store->NewSnapshot();
  auto doc = snap->GetDocument("demo-article");
  if (!doc.ok() || !doc->has_value()) {
    err << "kg: demo document did not read back\n";
    return 1;
  }
  out << "stored doc:" << (*doc)->id << " \"" << (*doc)->title << "\" ("
      << (*doc)->publisher << ", sha256 " << (*doc)->sha256.substr(0, 16) << "...)\n";

  // Read back through the alias index and the SPO order, as a query would.
  auto nk = snap->Resolve("pyongyang");
  if (!nk.ok() || nk->size() != 1) {
    err << "kg: alias 'pyongyang' did not resolve to one entity\n";
    return 1;
  }
  TriplePattern pattern;
  pattern.s = nk->front();
  for (TripleCursor c = snap->Scan(pattern); c.Valid(); c.Next()) {
    const Triple& t = c.triple();
    const TermId claim = ClaimId(t.s, t.p, t.o);
    auto term = snap->Decode(claim);
    auto evidence = snap->EvidenceFor(claim);
    if (!term.ok() || !evidence.ok()) {
      err << "kg: reading claim failed\n";
      return 1;
    }
    out << "claim " << term->ToString() << "\n";
    for (const auto& e : *evidence) PrintEvidence(*snap, e, out);
  }
  auto report = store->Check();
  if (!report.ok()) {
    err << "kg: " << report.status().message() << "\n";
    return 1;
  }
  auto totals = snap->Totals();
  if (totals.ok()) {
    out << "store " << (temp.empty() ? db : "(temporary, removed now)") << ": "
        << totals->documents << " document(s), " << totals->triples << " claim(s), "
        << totals->evidence << " evidence; check: " << (report->ok() ? "ok" : "FAILED") << "\n";
  }
  if (!temp.empty()) out << "(kg demo --db DIR keeps the demo store in DIR)\n";
  return report->ok() ? 0 : 1;
}

// --commit-log FILE: one line per committed document id, appended with one
// write(2) each as the commit returns, so a line in the file means the
// document was durable even if the process is killed right after.
class CommitLog {
 public:
  bool Open(const std::string& path, std::ostream& err) {
    if (path.empty()) return true;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) err << "kg: cannot open commit log " << path << ": " << std::strerror(errno) << "\n";
    return fd_ >= 0;
  }
  ~CommitLog() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::function<void(const std::string&)> Callback() {
    if (fd_ < 0) return nullptr;
    return [fd = fd_](const std::string& doc) {
      const std::string line = doc + "\n";
      // A failed write cannot undo the commit; the log then lacks the line.
      [[maybe_unused]] const ssize_t n = ::write(fd, line.data(), line.size());
    };
  }

 private:
  int fd_ = -1;
};

namespace {

// "a, b and 3 more" for a list of file names.
std::string NameList(const std::vector<std::string>& names, size_t show = 10) {
  std::string s;
  for (size_t i = 0; i < names.size() && i < show; ++i) {
    s += (i == 0 ? "" : ", ") + names[i];
  }
  if (names.size() > show) s += StrCat(" and ", names.size() - show, " more");
  return s;
}

uint64_t InputBytes(const std::vector<std::string>& paths) {
  uint64_t bytes = 0;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file(ec)) bytes += e.file_size(ec);
      }
    } else {
      const uint64_t size = std::filesystem::file_size(p, ec);
      if (!ec) bytes += size;
    }
  }
  return bytes;
}

}  // namespace

int RunIngest(const std::string& db, const std::vector<std::string>& paths,
              std::ostream& out, std::ostream& err, const std::string& bulk, uint64_t memory_mb,
              const std::string& commit_log) {
  CommitLog log;
  if (!log.Open(commit_log, err)) return 1;
  auto store = OpenStore(db, /*create=*/true, err);
  if (!store) return 1;
  ingest::IngestOptions options;
  options.on_commit = log.Callback();
  options.show_progress = isatty(STDERR_FILENO) != 0;
  options.bulk_memory = memory_mb << 20;
  if (bulk == "on") {
    options.bulk = true;
  } else if (bulk == "auto") {
    // The bulk path into an empty store from 16 MB of input.
    auto totals = store->NewSnapshot()->Totals();
    options.bulk = InputBytes(paths) >= (16ull << 20) && totals.ok() && totals->documents == 0;
  }
  auto summary = ingest::IngestPaths(*store, paths, options, err, err);
  if (!summary.ok()) {
    err << "kg: ingest stopped: " << summary.status().message() << "\n";
    return 1;
  }
  const double secs = std::max(summary->seconds, 1e-9);
  out << absl::StrFormat(
      "ingested %d document(s) with %d piece(s) of evidence and %d vocabulary file(s) in "
      "%.2f s (%.0f evidence/s, %.2f MB/s); %d failed\n",
      summary->documents_loaded, summary->claims, summary->vocabularies_loaded,
      summary->seconds, summary->claims / secs, summary->bytes / secs / 1e6,
      summary->documents_failed + summary->vocabularies_failed);
  for (const auto& r : summary->replaced) {
    out << "replaced doc:" << r.id << " (from " << r.file << "): its earlier version and its "
        << "evidence are gone" << (r.text_changed ? "; the text changed" : "; same text") << "\n";
  }
  if (!summary->failed_files.empty()) {
    out << "failed (nothing from them was loaded): " << NameList(summary->failed_files) << "\n";
  }
  return summary->ok() ? 0 : 1;
}

absl::StatusOr<std::string> InferImportFormat(const std::vector<std::string>& paths) {
  std::string found;
  auto add = [&](const std::string& path, const std::string& format) -> absl::Status {
    if (found.empty() || found == format) {
      found = format;
    } else if ((found == "nt" || found == "nq") && (format == "nt" || format == "nq")) {
      found = "nq";  // N-Quads reads N-Triples lines too
    } else {
      return absl::InvalidArgumentError(StrCat(
          path, " is ", format, " but an earlier input is ", found,
          ": import them with separate commands, or say which with --format"));
    }
    return absl::OkStatus();
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      bool ann = false;
      for (const auto& e : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (e.path().extension() == ".ann") ann = true;
      }
      if (!ann) {
        return absl::InvalidArgumentError(StrCat(
            path, " is a directory without brat .ann files; kg import reads N-Triples and N-Quads "
                  "files, or brat directories (annotated text: kg ingest)"));
      }
      KG_RETURN_IF_ERROR(add(path, "brat"));
      continue;
    }
    std::string name = std::filesystem::path(path).filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (name.ends_with(".gz")) name.resize(name.size() - 3);
    if (name.ends_with(".nt")) {
      KG_RETURN_IF_ERROR(add(path, "nt"));
      continue;
    }
    if (name.ends_with(".nq")) {
      KG_RETURN_IF_ERROR(add(path, "nq"));
      continue;
    }
    if (name.ends_with(".ann") || name.ends_with(".txt")) {
      KG_RETURN_IF_ERROR(add(path, "brat"));
      continue;
    }
    for (const char* ext : {".ttl", ".trig", ".rdf", ".owl", ".jsonld", ".n3", ".bz2"}) {
      if (name.ends_with(ext)) {
        return absl::InvalidArgumentError(StrCat(
            path, ": ", ext, " is not a format kg imports yet (N-Triples, N-Quads, brat); "
                  "convert it to N-Triples first, e.g. serdi -o ntriples or rapper -o ntriples"));
      }
    }
    if (name.ends_with(".kga") || name.ends_with(".kgv")) {
      return absl::InvalidArgumentError(
          StrCat(path, " is annotated text: load it with kg ingest"));
    }
    // No telling extension: the first statement line decides.
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(StrCat(path, ": cannot open file"));
    std::string head(4096, '\0');
    in.read(head.data(), head.size());
    head.resize(in.gcount());
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
      KG_RETURN_IF_ERROR(add(path, "nq"));  // gzip: read as N-Quads (N-Triples included)
      continue;
    }
    std::string line;
    for (std::istringstream lines(head); std::getline(lines, line);) {
      const size_t at = line.find_first_not_of(" \t\r");
      if (at == std::string::npos || line[at] == '#') continue;
      line = line.substr(at);
      break;
    }
    if (line.starts_with("<") || line.starts_with("_:")) {
      KG_RETURN_IF_ERROR(add(path, "nq"));
    } else if (line.starts_with("@prefix") || line.starts_with("PREFIX") ||
               line.starts_with("@base") || line.starts_with("BASE")) {
      return absl::InvalidArgumentError(StrCat(
          path, " looks like Turtle, which kg does not import yet; convert it to N-Triples first "
                "(serdi -o ntriples or rapper -i turtle -o ntriples)"));
    } else {
      return absl::InvalidArgumentError(StrCat(
          path, ": cannot tell its format from its name or its first line; say it with "
                "--format nt, nq or brat"));
    }
  }
  if (found.empty()) return absl::InvalidArgumentError("no input files");
  return found;
}

int RunImport(const ImportCommandOptions& o, std::ostream& out, std::ostream& err) {
  std::string format = o.format;
  if (format.empty()) {
    auto inferred = InferImportFormat(o.paths);
    if (!inferred.ok()) {
      err << "kg: " << inferred.status().message() << "\n";
      return absl::IsNotFound(inferred.status()) ? 1 : 2;
    }
    format = *inferred;
  }
  if (format == "brat") return RunImportBrat(o.db, o.brat_mapping, o.paths, out, err);
  if (!o.brat_mapping.empty()) {
    err << "kg: --mapping applies to brat input only\n";
    return 2;
  }
  CommitLog log;
  if (!log.Open(o.commit_log, err)) return 1;
  auto store = OpenStore(o.db, /*create=*/true, err);
  if (!store) return 1;
  ingest::RdfImportOptions options;
  options.on_commit = log.Callback();
  options.bulk = o.bulk == "on"    ? ingest::RdfImportOptions::Bulk::kOn
                 : o.bulk == "off" ? ingest::RdfImportOptions::Bulk::kOff
                                   : ingest::RdfImportOptions::Bulk::kAuto;
  options.bulk_memory = o.memory_mb << 20;
  options.nquads = format == "nq";
  options.keep_going = o.keep_going;
  options.default_doc = StripDocPrefix(o.doc);
  auto summary = ingest::ImportRdf(*store, o.paths, options, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  const double secs = std::max(summary->seconds, 1e-9);
  out << absl::StrFormat(
      "imported %d file(s)%s as %s: %d statement(s) into %d document(s) in %.2f s (%.0f "
      "statements/s); %d file(s) failed, %d line(s) skipped\n",
      summary->files_loaded,
      summary->bulk ? absl::StrFormat(" (bulk: %d sorted run(s), merged and ingested in %.2f s)",
                                      summary->bulk_runs, summary->bulk_commit_seconds)
                    : std::string(),
      format == "nq" ? "N-Quads" : "N-Triples", summary->statements, summary->documents,
      summary->seconds, summary->statements / secs, summary->files_failed,
      summary->skipped_lines);
  if (!summary->failed_files.empty()) {
    out << "failed (nothing from them was loaded): " << NameList(summary->failed_files) << "\n";
  }
  if (!summary->files_with_skipped_lines.empty()) {
    out << "loaded with bad lines skipped: " << NameList(summary->files_with_skipped_lines) << "\n";
  }
  return summary->ok() ? 0 : 1;
}

int RunImportBrat(const std::string& db, const std::string& mapping_file,
                  const std::vector<std::string>& paths, std::ostream& out, std::ostream& err) {
  ingest::BratMapping mapping = ingest::BratMapping::Builtin();
  if (!mapping_file.empty()) {
    std::ifstream in(mapping_file, std::ios::binary);
    if (!in) {
      err << "kg: cannot read " << mapping_file << "\n";
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    ingest::Diagnostics diag(mapping_file, content);
    mapping = ingest::BratMapping::Parse(content, &diag);
    if (!diag.ok()) {
      err << diag.Format();
      return 1;
    }
  }
  auto store = OpenStore(db, /*create=*/true, err);
  if (!store) return 1;
  auto summary = ingest::ImportBrat(*store, paths, mapping, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  out << absl::StrFormat("imported %d brat document(s) with %d claim(s) in %.2f s; %d failed\n",
                         summary->documents_loaded, summary->claims, summary->seconds,
                         summary->documents_failed);
  return summary->ok() ? 0 : 1;
}

int RunExport(const std::string& db, const std::string& format, const std::string& doc,
              const std::string& output, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  std::optional<std::string> only;
  if (!doc.empty()) {
    only = StripDocPrefix(doc);
    auto found = snap->GetDocument(*only);
    if (found.ok() && !found->has_value()) {
      err << "kg: no document doc:" << *only << " is stored (kg docs lists them)\n";
      return 1;
    }
  }
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "kg: cannot write " << output << ": " << std::strerror(errno) << "\n";
      return 1;
    }
  }
  std::ostream& sink = output.empty() ? out : file;
  absl::Status s = absl::InvalidArgumentError("unknown format " + format);
  if (format == "jsonl") s = ingest::ExportJsonLines(*snap, only, sink);
  if (format == "nq") s = ingest::ExportNQuads(*snap, only, sink);
  sink.flush();
  if (s.ok() && !sink) s = absl::UnavailableError("write failed");
  if (!s.ok()) {
    err << "kg: export failed: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

int RunQuery(const std::string& db, const std::string& text, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err) {
  std::optional<Format> format = ParseFormat(options.format);
  if (!format) {
    err << "kg: unknown format '" << options.format
        << "' (table, json, csv, tree, dot, md or html)\n";
    return 2;
  }
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  // The last statement may omit its ';' (as with psql -c); inserted just
  // after its last token, so no error position moves.
  std::string script = text;
  if (auto spans = query::SplitStatements(script); !spans.empty() && !spans.back().ended) {
    script.insert(spans.back().end, ";");
  }
  query::Session session(store.get());
  query::QueryOptions qo;
  qo.max_rows = options.max_rows;
  qo.timeout = absl::Seconds(options.timeout_seconds);
  RenderOptions ro;
  ro.format = *format;
  ro.width = OutputWidth(options.width);
  int printed = 0;
  std::vector<query::Result> page;  // HTML: one page of every result
  absl::Status s = session.RunEach(script, qo, [&](query::Result r) {
    if (*format == Format::kHtml) {
      page.push_back(std::move(r));
      return;
    }
    // Tables, trees and CSV tables of several statements are set apart by
    // an empty line; JSON is one object per statement and line.
    if (printed++ > 0 && *format != Format::kJson && *format != Format::kDot) out << "\n";
    Render(r, ro, out);
    out.flush();
  });
  if (!page.empty()) RenderHtml(page, out);
  if (!s.ok()) {
    err << "kg: query error: " << s.message() << "\n";
    // Under the message, the line of the query it is about, with a caret.
    int line = 0, column = 0;
    const std::string message(s.message());
    if (std::sscanf(message.c_str(), "%d:%d:", &line, &column) == 2 && line > 0 && column > 0) {
      std::istringstream lines(script);
      std::string text_line;
      for (int i = 0; i < line && std::getline(lines, text_line); ++i) {
      }
      if (lines || !text_line.empty()) err << PointAt(text_line, column);
    }
    return 1;
  }
  return 0;
}

int RunVerify(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto report = VerifyEvidence(*store->NewSnapshot());
  if (!report.ok()) {
    err << "kg: " << report.status().message() << "\n";
    return 1;
  }
  for (const VerifyProblem& p : report->problems) {
    out << "doc:" << p.document_id;
    if (!p.claim.empty()) out << " " << p.claim << " at " << p.start << "-" << p.end;
    out << ": " << p.message << "\n";
  }
  out << (report->ok() ? "verified: " : "NOT verified: ") << report->documents << " documents, "
      << report->quotes_checked << " quotes checked against their text ("
      << report->evidence << " pieces of evidence), " << report->problems.size()
      << " problem(s)\n";
  return report->ok() ? 0 : 1;
}

namespace {

std::string QuotedPhrase(const std::string& what) {
  std::string quoted = "\"";
  for (char c : what) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// A query error about the statement `TRACE (WHAT);` as the user typed WHAT:
// the column counted in WHAT, not in the statement built around it.
std::string InUserText(std::string_view message, size_t prefix) {
  int line = 0, column = 0, used = 0;
  if (std::sscanf(std::string(message).c_str(), "%d:%d: %n", &line, &column, &used) == 2 &&
      used > 0 && line == 1 && column > static_cast<int>(prefix)) {
    return StrCat("column ", column - static_cast<int>(prefix), ": ", message.substr(used));
  }
  return std::string(message);
}

}  // namespace

absl::StatusOr<std::string> TraceStatement(Store& store, const std::string& what) {
  const std::string as_claim = "TRACE (" + what + ");";
  const std::string as_quote = "TRACE " + QuotedPhrase(what) + ";";
  if (!query::CheckSyntax(as_claim).ok()) return as_quote;
  query::Session session(&store);
  auto claim = session.Run(as_claim, {});
  if (claim.ok()) return as_claim;
  if (!absl::IsInvalidArgument(claim.status())) return claim.status();
  // Not a claim over known names: words of a quote, if a quote has them.
  auto quote = session.Run(as_quote, {});
  if (quote.ok() && !quote->empty() && !quote->front().rows.empty()) return as_quote;
  return absl::InvalidArgumentError(StrCat(
      "'", what, "' is not a claim (", InUserText(std::string(claim.status().message()), 7),
      ") and no stored quote contains that phrase (kg trace takes a claim 's p o' or words of a "
      "quote; SEARCH WORDS finds quotes with the words in any order)"));
}

int RunTrace(const std::string& db, const std::string& what, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err) {
  std::string statement;
  {
    auto store = OpenStore(db, /*create=*/false, err);
    if (!store) return 1;
    auto chosen = TraceStatement(*store, what);
    if (!chosen.ok()) {
      err << "kg trace: " << chosen.status().message() << "\n";
      return 1;
    }
    statement = *chosen;
  }
  return RunQuery(db, statement, options, out, err);
}

size_t OutputWidth(std::optional<size_t> requested) {
  if (requested) return *requested;
  if (!isatty(STDOUT_FILENO)) return 0;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0) return n;
  }
  return TerminalWidth();
}

int RunCheck(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto report = store->Check();
  if (!report.ok()) {
    err << "kg: check failed: " << report.status().message() << "\n";
    return 1;
  }
  for (const auto& p : report->problems) out << "problem: " << p << "\n";
  for (const auto& n : report->notes) out << "note: " << n << "\n";
  out << "checked " << report->triples << " triples, " << report->evidence
      << " evidence, " << report->documents << " documents, "
      << report->dictionary_entries << " dictionary entries: "
      << (report->ok() ? "ok" : StrCat(report->problems.size(), " problem(s)"))
      << "\n";
  return report->ok() ? 0 : 1;
}

}  // namespace kg::cli
