#include "cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <filesystem>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "cli/browse.h"
#include "cli/render.h"
#include "query/report.h"
#include "cli/shell.h"
#include "cli/terminal.h"
#include "ingest/schema_check.h"
#include "kg/json.h"
#include "kg/store.h"
#include "kg/upgrade.h"
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
    auto claim_id = snap->ClaimIdOf(t);
    if (!claim_id.ok()) {
      err << "kg: reading claim failed: " << claim_id.status().message() << "\n";
      return 1;
    }
    const TermId claim = *claim_id;
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
  if (!page.empty()) query::RenderHtml(page, out);
  if (!s.ok()) {
    PrintQueryError(script, s, err);
    return 1;
  }
  return 0;
}

void PrintQueryError(const std::string& text, const absl::Status& s, std::ostream& err) {
  err << "kg: query error: " << s.message() << "\n";
  // Under the message, the line of the query it is about, with a caret.
  const std::string message(s.message());
  if (auto at = query::PositionOf(message)) {
    std::istringstream lines(text);
    std::string text_line;
    for (int i = 0; i < at->line && std::getline(lines, text_line); ++i) {
    }
    if (lines || !text_line.empty()) err << PointAt(text_line, at->column);
  }
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
  auto at = query::PositionOf(message);
  if (at && at->line == 1 && at->column > static_cast<int>(prefix)) {
    return StrCat("column ", at->column - static_cast<int>(prefix), ": ", at->rest);
  }
  return std::string(message);
}

}  // namespace

absl::StatusOr<std::string> TraceStatement(Store& store, const std::string& what_arg) {
  // Line breaks and tabs are spaces: a quote is matched by its words.
  std::string what = what_arg;
  for (char& c : what) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  what = std::string(absl::StripAsciiWhitespace(what));
  if (what.empty()) {
    return absl::InvalidArgumentError(
        "nothing to trace: give a claim 's p o' or words of a quote");
  }
  const std::string as_claim = "TRACE (" + what + ");";
  const std::string as_quote = "TRACE " + QuotedPhrase(what) + ";";
  auto found = [](const absl::StatusOr<std::vector<query::Result>>& r) {
    return r.ok() && !r->empty() && !r->front().rows.empty();
  };
  query::Session session(&store);
  std::string not_a_claim;
  if (absl::Status syntax = query::CheckSyntax(as_claim); !syntax.ok()) {
    not_a_claim = InUserText(std::string(syntax.message()), 7);
  } else {
    auto claim = session.Run(as_claim, {});
    if (found(claim)) return as_claim;
    if (!claim.ok() && !absl::IsInvalidArgument(claim.status())) return claim.status();
    not_a_claim = claim.ok() ? "no stored claim matches it"
                             : InUserText(std::string(claim.status().message()), 7);
  }
  // Not a stored claim: words of a quote, if a quote has them.
  auto quote = session.Run(as_quote, {});
  if (found(quote)) return as_quote;
  if (!quote.ok() && !absl::IsInvalidArgument(quote.status())) return quote.status();
  return absl::InvalidArgumentError(StrCat(
      "'", what, "' is not a stored claim (", not_a_claim,
      ") and no stored quote contains that phrase (kg trace takes a claim 's p o' or words of "
      "a quote; SEARCH WORDS finds quotes with the words in any order)"));
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

int RunLog(const std::string& db, const LogOptions& options, std::ostream& out,
           std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  std::string doc = options.doc;
  if (doc.starts_with("doc:")) doc = doc.substr(4);
  auto snap = store->NewSnapshot();
  auto txs = doc.empty() ? snap->Transactions(options.limit, /*newest_first=*/true)
                         : snap->TransactionsOf(doc, options.limit);
  if (!txs.ok()) {
    err << "kg: " << txs.status().message() << "\n";
    return 1;
  }
  size_t shown = 0;
  for (const TxRecord& tx : *txs) {
    ++shown;
    const std::string when = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                                              absl::FromUnixMicros(tx.unix_micros),
                                              absl::UTCTimeZone());
    if (options.format == "json") {
      out << "{\"tx\":" << tx.id << ",\"time\":" << JsonString(when)
          << ",\"kind\":" << JsonString(tx.kind) << ",\"document\":"
          << (tx.document.empty() ? "null" : JsonString(StrCat("doc:", tx.document)))
          << ",\"count\":" << tx.count << ",\"user\":" << JsonString(tx.user)
          << ",\"command\":" << JsonString(tx.command) << "}\n";
      continue;
    }
    // kind: what was written and how much.
    std::string what = tx.document.empty() ? "" : StrCat("doc:", tx.document);
    const std::string count =
        tx.kind == "bulk"       ? StrCat(tx.count, " document(s)")
        : tx.kind == "entities" ? StrCat(tx.count, " entit(ies)")
        : tx.kind == "rules"    ? StrCat(tx.count, " rule(s)")
        : tx.kind == "delete"   ? StrCat(tx.count, " piece(s) of evidence removed")
                                : StrCat(tx.count, " piece(s) of evidence");
    out << "tx " << tx.id << "  " << when << "  " << tx.kind << "  "
        << (what.empty() ? "" : what + "  ") << count << "  "
        << (tx.user.empty() ? "" : tx.user + ": ") << tx.command << "\n";
  }
  if (options.format != "json" && shown == 0) {
    out << (doc.empty() ? "no transactions recorded" : StrCat("no transaction of doc:", doc))
        << "\n";
  }
  return 0;
}

int RunCheckSchema(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto report = ingest::CheckStoreSchema(*store->NewSnapshot());
  if (!report.ok()) {
    err << "kg: check failed: " << report.status().message() << "\n";
    return 1;
  }
  for (const ingest::SchemaViolation& v : report->violations) {
    out << (v.document.empty() ? "store" : StrCat("doc:", v.document)) << ": " << v.claim << ": "
        << v.message << "\n";
  }
  if (report->more > 0) out << "... and " << report->more << " more\n";
  const uint64_t total = report->violations.size() + report->more;
  out << "checked " << report->claims_checked << " claim(s) with " << report->evidence_checked
      << " piece(s) of evidence against the vocabulary's rules: "
      << (total == 0 ? "ok" : StrCat(total, " violation(s)")) << "\n";
  return total == 0 ? 0 : 1;
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

int RunUpgrade(const std::string& db, const UpgradeOptions& options, std::ostream& out,
               std::ostream& err) {
  kg::UpgradeOptions o;
  o.keep_old = options.keep_old;
  o.memory_budget = options.memory_mb << 20;
  auto stats = UpgradeStore(db, o);
  if (!stats.ok()) {
    err << "kg: upgrade failed: " << stats.status().message() << "\n";
    return 1;
  }
  if (stats->resumed) {
    out << "finished the interrupted upgrade of store " << db << ": " << stats->documents
        << " document(s), " << stats->triples << " triple(s)\n";
    return 0;
  }
  out << absl::StrFormat("upgraded store %s from format %d to format %d: %d document(s), %d claim(s), "
                   "%d entit%s, %d triple(s), checked, in %.1f s; ",
                   db, stats->from_version, kFormatVersion, stats->documents, stats->claims,
                   stats->entities, stats->entities == 1 ? "y" : "ies", stats->triples,
                   stats->seconds)
      << (options.keep_old ? StrCat("the old store is kept in ", db, ".format2")
                           : std::string("the old store was removed"))
      << "\n";
  return 0;
}

}  // namespace kg::cli
