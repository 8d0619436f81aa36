#include "cli/commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "cli/render.h"
#include "ingest/brat_import.h"
#include "ingest/ingest.h"
#include "ingest/json_export.h"
#include "ingest/rdf_export.h"
#include "ingest/rdf_import.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "kg/verify.h"
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

// Commands that only read open the store read-only, so they work while an
// ingest job holds the write lock.
std::unique_ptr<Store> OpenOrReport(const std::string& db, bool create,
                                    std::ostream& err) {
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

}  // namespace

int RunDemo(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenOrReport(db, /*create=*/true, err);
  if (!store) return 1;
  if (auto s = store->WriteDocument(DemoDocument()); !s.ok()) {
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
    out << "store " << db << ": " << totals->documents << " document(s), "
        << totals->triples << " claim(s), " << totals->evidence << " evidence; check: "
        << (report->ok() ? "ok" : "FAILED") << "\n";
  }
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

int RunIngest(const std::string& db, const std::vector<std::string>& paths,
              std::ostream& out, std::ostream& err, const std::string& bulk, uint64_t memory_mb,
              const std::string& commit_log) {
  CommitLog log;
  if (!log.Open(commit_log, err)) return 1;
  auto store = OpenOrReport(db, /*create=*/true, err);
  if (!store) return 1;
  ingest::IngestOptions options;
  options.on_commit = log.Callback();
  options.show_progress = isatty(STDERR_FILENO) != 0;
  options.bulk_memory = memory_mb << 20;
  if (bulk == "on") {
    options.bulk = true;
  } else if (bulk == "auto") {
    // The bulk path into an empty store from 16 MB of input.
    uint64_t bytes = 0;
    for (const std::string& p : paths) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) {
        for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
          if (e.is_regular_file(ec)) bytes += e.file_size(ec);
        }
      } else {
        bytes += std::filesystem::file_size(p, ec);
      }
    }
    auto totals = store->NewSnapshot()->Totals();
    options.bulk = bytes >= (16ull << 20) && totals.ok() && totals->documents == 0;
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
  return summary->ok() ? 0 : 1;
}

int RunImport(const std::string& db, const std::string& format, const std::string& doc,
              bool keep_going, const std::vector<std::string>& paths, std::ostream& out,
              std::ostream& err, const std::string& bulk, uint64_t memory_mb,
              const std::string& commit_log) {
  CommitLog log;
  if (!log.Open(commit_log, err)) return 1;
  auto store = OpenOrReport(db, /*create=*/true, err);
  if (!store) return 1;
  ingest::RdfImportOptions options;
  options.on_commit = log.Callback();
  options.bulk = bulk == "on"    ? ingest::RdfImportOptions::Bulk::kOn
                 : bulk == "off" ? ingest::RdfImportOptions::Bulk::kOff
                                 : ingest::RdfImportOptions::Bulk::kAuto;
  options.bulk_memory = memory_mb << 20;
  options.nquads = format == "nq";
  options.keep_going = keep_going;
  options.default_doc = doc;
  auto summary = ingest::ImportRdf(*store, paths, options, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  const double secs = std::max(summary->seconds, 1e-9);
  out << absl::StrFormat(
      "imported %d file(s)%s: %d statement(s) into %d document(s) in %.2f s (%.0f statements/s); "
      "%d file(s) failed, %d line(s) skipped\n",
      summary->files_loaded,
      summary->bulk ? absl::StrFormat(" (bulk: %d sorted run(s), merged and ingested in %.2f s)",
                                      summary->bulk_runs, summary->bulk_commit_seconds)
                    : std::string(),
      summary->statements,
      summary->documents, summary->seconds,
      summary->statements / secs, summary->files_failed, summary->skipped_lines);
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
  auto store = OpenOrReport(db, /*create=*/true, err);
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
  auto store = OpenOrReport(db, /*create=*/false, err);
  if (!store) return 1;
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "kg: cannot write " << output << "\n";
      return 1;
    }
  }
  std::ostream& sink = output.empty() ? out : file;
  auto snap = store->NewSnapshot();
  std::optional<std::string> only;
  if (!doc.empty()) only = doc;
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

int RunClaims(const std::string& db, const std::string& name, std::ostream& out,
              std::ostream& err) {
  auto store = OpenOrReport(db, /*create=*/false, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto ids = snap->Resolve(name);
  if (!ids.ok()) {
    err << "kg: " << ids.status().message() << "\n";
    return 1;
  }
  if (ids->empty()) {
    err << "kg: no entity is named '" << name << "'\n";
    return 1;
  }
  int claims = 0;
  for (const TermId& id : *ids) {
    for (bool as_subject : {true, false}) {
      TriplePattern q;
      (as_subject ? q.s : q.o) = id;
      TripleCursor c = snap->Scan(q);
      for (; c.Valid(); c.Next()) {
        const Triple& t = c.triple();
        if (!as_subject && t.s == id) continue;  // printed with the subjects
        const TermId claim = ClaimId(t.s, t.p, t.o);
        auto term = snap->Decode(claim);
        auto evidence = snap->EvidenceFor(claim);
        if (!term.ok() || !evidence.ok()) {
          err << "kg: " << (term.ok() ? evidence.status() : term.status()).message() << "\n";
          return 1;
        }
        ++claims;
        out << "claim " << term->ToString() << "\n";
        for (const auto& e : *evidence) PrintEvidence(*snap, e, out);
      }
      if (!c.status().ok()) {
        err << "kg: " << c.status().message() << "\n";
        return 1;
      }
    }
  }
  out << claims << " claim(s) about " << name << "\n";
  return 0;
}

int RunQuery(const std::string& db, const std::string& text, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err) {
  std::optional<Format> format = ParseFormat(options.format);
  if (!format) {
    err << "kg: unknown format '" << options.format << "' (table, json, csv, tree or dot)\n";
    return 2;
  }
  StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.read_only = true;
  auto store = Store::Open(db, store_options);
  if (!store.ok()) {
    err << "kg: " << store.status().message() << "\n";
    return 1;
  }
  query::Session session(store->get());
  query::QueryOptions qo;
  qo.max_rows = options.max_rows;
  qo.timeout = absl::Seconds(options.timeout_seconds);
  RenderOptions ro;
  ro.format = *format;
  ro.width = options.width;
  int printed = 0;
  absl::Status s = session.RunEach(text, qo, [&](query::Result r) {
    if (printed++ > 0 && (*format == Format::kTable || *format == Format::kTree)) out << "\n";
    Render(r, ro, out);
    out.flush();
  });
  if (!s.ok()) {
    err << "kg: query error: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

int RunVerify(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenOrReport(db, /*create=*/false, err);
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

std::string TraceStatement(const std::string& what) {
  const std::string as_claim = "TRACE (" + what + ");";
  if (query::CheckSyntax(as_claim).ok()) return as_claim;
  std::string quoted = "TRACE \"";
  for (char c : what) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\";";
}

int RunCheck(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenOrReport(db, /*create=*/false, err);
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

int RunStats(const std::string& db, bool storage, std::ostream& out, std::ostream& err) {
  auto store = OpenOrReport(db, /*create=*/false, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto totals = snap->Totals();
  auto preds = snap->AllPredicateStats();
  if (!totals.ok() || !preds.ok()) {
    err << "kg: " << (totals.ok() ? preds.status() : totals.status()).message() << "\n";
    return 1;
  }
  // Sources: everything the documents cite, report, quote or derive from
  // (documents, URLs, agents), counted once each.
  absl::flat_hash_set<TermId> sources;
  for (const char* relation : {"cites", "reports", "quotes", "derived_from"}) {
    TriplePattern q;
    q.p = IdOf(Term::Entity(relation));
    for (TripleCursor c = snap->Scan(q); c.Valid(); c.Next()) sources.insert(c.triple().o);
  }
  out << "documents  " << totals->documents << "\nclaims     " << totals->triples
      << "\nevidence   " << totals->evidence << "\nsources    " << sources.size()
      << "\npredicates " << totals->predicates
      << "\n\npredicate\ttriples\tsubjects\tobjects\n";
  for (const auto& [p, st] : *preds) {
    auto term = snap->Decode(p);
    out << (term.ok() ? term->ToString() : p.ToHex()) << "\t" << st.triples << "\t"
        << st.distinct_subjects << "\t" << st.distinct_objects << "\n";
  }
  if (storage) {
    auto use = store->StorageUse();
    if (!use.ok()) {
      err << "kg: " << use.status().message() << "\n";
      return 1;
    }
    uint64_t bytes = 0, keys = 0;
    for (const auto& u : *use) bytes += u.file_bytes, keys += u.estimated_keys;
    out << "\ncolumn family\tbytes in table files\tMiB\tkeys\tbytes per key\n";
    auto row = [&](const std::string& name, uint64_t b, uint64_t k) {
      char line[128];
      std::snprintf(line, sizeof line, "%s\t%llu\t%.1f\t%llu\t%.1f\n", name.c_str(),
                    static_cast<unsigned long long>(b), b / 1048576.0,
                    static_cast<unsigned long long>(k), k == 0 ? 0.0 : double(b) / double(k));
      out << line;
    };
    for (const auto& u : *use) row(u.name, u.file_bytes, u.estimated_keys);
    row("total", bytes, keys);
  }
  return 0;
}

}  // namespace kg::cli
