// The `kg` command line: ingest, import, export, query, trace, docs, show,
// entity, claims, verify, check, stats, shell (plain `kg` opens the shell),
// demo, serve (the HTTP server of server/). Flags are parsed with CLI11;
// `--help` on every subcommand. Each subcommand is declared by one function
// below that adds its options and returns what runs it.
//
// Every subcommand takes --db DIR (default: $KG_DB, else ./kg.db).
// Exit codes: 0 ok, 1 error in data, query or store, 2 usage.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/browse.h"
#include "cli/commands.h"
#include "cli/shacl_command.h"
#include "cli/shell.h"
#include "kg/closest_name.h"
#include "server/server.h"

#ifndef KG_VERSION
#define KG_VERSION "dev"
#endif

namespace {

using kg::cli::BrowseOptions;
using kg::cli::QueryCommandOptions;

constexpr char kFormats[] = "table, json, csv, tree or dot";
constexpr char kReportFormats[] = ", md (Markdown) or html (a self-contained page)";

// The store directory every subcommand shares.
struct Db {
  std::string path;
  std::string help;
  std::vector<CLI::Option*> options;  // --db on the app and on each subcommand
  bool given() const {
    for (const CLI::Option* o : options) {
      if (o->count() > 0) return true;
    }
    return false;
  }
  void AddTo(CLI::App* app) { options.push_back(app->add_option("--db", path, help)); }
};

using Runner = std::function<int()>;

// Reads FILE whole; an error names the file and why.
bool ReadFile(const std::string& path, std::string* text, std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    err << "kg: cannot read " << path << ": it is a directory\n";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "kg: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  text->assign(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) {
    err << "kg: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

std::string ReadAll(std::istream& in) { return std::string(std::istreambuf_iterator<char>(in), {}); }

void AddWidth(CLI::App* sub, std::optional<size_t>& width) {
  sub->add_option("--width", width,
                  "cut table cells and tree lines to N columns (0: never; default: the "
                  "terminal's width on a terminal, else never)");
}

void AddBrowseFormat(CLI::App* sub, BrowseOptions& o, const std::string& text_help) {
  sub->add_option("--format", o.format, text_help)
      ->check(CLI::IsMember({"text", "table", "json", "csv", "tree"}));
  AddWidth(sub, o.width);
}

Runner DemoCommand(CLI::App& app, Db& db) {
  auto* sub = app.add_subcommand(
      "demo",
      "store a document with claims and evidence in a temporary store (or --db NEW_DIR), then "
      "read it back");
  db.AddTo(sub);
  return [&db] { return kg::cli::RunDemo(db.given() ? db.path : "", std::cout, std::cerr); };
}

Runner IngestCommand(CLI::App& app, Db& db) {
  struct Options {
    std::vector<std::string> paths;
    std::string bulk = "auto";
    uint64_t memory = 512;
    std::string commit_log;
    bool lenient = false;
    bool dry_run = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("ingest", "load annotated documents (.kga) and vocabularies (.kgv)");
  db.AddTo(sub);
  sub->add_option("paths", o->paths, "files or directories")->required();
  sub->add_option("--bulk", o->bulk,
                  "auto (default: the bulk path into an empty store from 16 MB of input), on, "
                  "or off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  sub->add_option("--memory", o->memory, "MiB of memory for the bulk path (default 512)");
  sub->add_option("--commit-log", o->commit_log,
                  "append each document's id to FILE as soon as it is committed (durable)");
  sub->add_flag("--lenient", o->lenient,
                "load a document that breaks a vocabulary rule (domain, range, max, ...) with a "
                "warning for each, instead of refusing it (kg check --schema lists them)");
  sub->add_flag("--dry-run", o->dry_run,
                "check everything an ingest would (syntax, names, vocabulary rules, the store's "
                "own checks) and write nothing; exit 1 if a file would fail");
  return [&db, o] {
    if (o->dry_run) {
      return kg::cli::RunIngestDryRun(db.path, o->paths, o->lenient, std::cout, std::cerr);
    }
    return kg::cli::RunIngest(db.path, o->paths, std::cout, std::cerr, o->bulk, o->memory,
                              o->commit_log, o->lenient);
  };
}

Runner ImportCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<kg::cli::ImportCommandOptions>();
  auto* sub = app.add_subcommand(
      "import",
      "load N-Triples, N-Quads, Turtle or TriG files (plain, .gz or .bz2), brat standoff "
      "(.txt + .ann), ClaimReview fact-checks or FEVER claims; the format is taken from the file "
      "names, else the first lines");
  db.AddTo(sub);
  sub->add_option("--format", o->format,
                  "nt, nq, ttl, trig, brat, claimreview (ClaimReview JSON-LD, HTML pages with "
                  "JSON-LD blocks, or JSON lines) or fever (FEVER .jsonl) (default: inferred)")
      ->check(CLI::IsMember({"nt", "nq", "ttl", "trig", "brat", "claimreview", "fever"}));
  sub->add_option("--claim", o->claim,
                  "claimreview: the claim every review in the files is about, as in a query: "
                  "'(Iran supplied ShahedDrone)' (default: the stored claim whose quote the "
                  "review's claimReviewed contains, else a text claim)");
  sub->add_option("--base", o->base,
                  "base IRI for relative IRIs in Turtle and TriG (default: each file's file:// "
                  "IRI)");
  sub->add_option("--mapping", o->brat_mapping,
                  "brat type mapping file (default: the built-in schemas/brat-mapping.txt)");
  sub->add_option("--doc", o->doc,
                  "document id (doc:ID or ID) for default-graph triples (default: the file name)");
  sub->add_flag("--keep-going,--lenient", o->keep_going,
                "load the good statements of a file with bad ones, reporting each one skipped");
  sub->add_option("--bulk", o->bulk,
                  "auto (default: the bulk path into an empty store from 16 MB of input; all or "
                  "nothing), on, or off (document by document)")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  sub->add_option("--memory", o->memory_mb, "MiB of memory for the bulk path's sorting (default 512)");
  sub->add_option("--commit-log", o->commit_log,
                  "append a document's id to FILE each time a write of it is committed (durable)");
  sub->add_option("--shacl", o->shacl,
                  "RDF input: validate each file against the SHACL Core shapes in FILE first; a "
                  "file that does not conform is not imported, and its report is written");
  sub->add_flag("--dry-run", o->dry_run,
                "RDF input: check everything an import would (syntax, the conversion, the "
                "store's own checks) and write nothing; exit 1 if a file would fail");
  sub->add_option("paths", o->paths, "files (brat: directories or .ann files)")->required();
  return [&db, o] {
    o->db = db.path;
    return kg::cli::RunImport(*o, std::cout, std::cerr);
  };
}

Runner ExportCommand(CLI::App& app, Db& db) {
  struct Options {
    std::string format = "jsonl", doc, output, claim;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "export", "write the store (or one document) as N-Quads, TriG or Turtle (RDF 1.2), or JSON "
                "lines");
  db.AddTo(sub);
  sub->add_option("--format", o->format,
                  "nq, trig, ttl (one document: --doc), nanopub (TriG nanopublications, one per "
                  "piece of evidence), jsonl (default jsonl) or claimreview (schema.org ClaimReview "
                "JSON-LD for one claim: give the claim)")
      ->check(CLI::IsMember({"nq", "trig", "ttl", "nanopub", "jsonl", "claimreview"}));
  sub->add_option("--doc", o->doc, "only this document (doc:ID or ID)");
  sub->add_option("-o,--output", o->output, "write to FILE instead of stdout");
  sub->add_option("claim", o->claim,
                  "claimreview: the claim, as in a query: '(Iran supplied ShahedDrone)' or a "
                  "quoted phrase '\"half of Russia's munitions\"'");
  return [&db, o] {
    if (o->format == "claimreview" || !o->claim.empty()) {
      if (o->format != "claimreview" || !o->doc.empty() || o->claim.empty()) {
        std::cerr << "kg: a claim to export goes with --format claimreview (and no --doc)\n";
        return 2;
      }
      return kg::cli::RunExportClaimReview(db.path, o->claim, o->output, std::cout, std::cerr);
    }
    return kg::cli::RunExport(db.path, o->format, o->doc, o->output, std::cout, std::cerr);
  };
}

Runner QueryCommand(CLI::App& app, Db& db) {
  struct Options {
    std::vector<std::string> text;
    std::string file;
    QueryCommandOptions query;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "query", "run query statements (docs/query-language.md); reads stdin if none are given");
  db.AddTo(sub);
  sub->add_option("statements", o->text, "statements, each ended by ';' (the last may omit it)");
  sub->add_option("-f,--file", o->file, "read the statements from FILE");
  sub->add_option("--format", o->query.format,
                  std::string("table, json, csv, tree, dot") + kReportFormats +
                      " (default table); json: one JSON object per statement, one per line")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot", "md", "html"}));
  sub->add_option("--max-rows", o->query.max_rows, "row cap per statement (default 1000000)");
  sub->add_option("--timeout", o->query.timeout_seconds, "seconds a statement may run (default 30)");
  AddWidth(sub, o->query.width);
  return [&db, o] {
    std::string text;
    for (const std::string& t : o->text) text += t + "\n";
    if (!o->file.empty()) {
      std::string file_text;
      if (!ReadFile(o->file, &file_text, std::cerr)) return 1;
      text += file_text;
    } else if (o->text.empty()) {
      text = ReadAll(std::cin);
    }
    return kg::cli::RunQuery(db.path, text, o->query, std::cout, std::cerr);
  };
}

Runner SparqlCommand(CLI::App& app, Db& db) {
  struct Options {
    std::string text;
    std::string file;
    kg::cli::SparqlCommandOptions sparql;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "sparql", "run a SPARQL 1.1 query (docs/sparql.md); reads stdin if none is given");
  db.AddTo(sub);
  sub->add_option("query", o->text, "the query (SELECT, ASK, CONSTRUCT or DESCRIBE)");
  sub->add_option("-f,--file", o->file, "read the query from FILE");
  sub->add_option("--format", o->sparql.format,
                  "table, json, xml, csv or tsv for SELECT and ASK (default table); ttl or nt "
                  "for CONSTRUCT and DESCRIBE (default ttl)")
      ->check(CLI::IsMember({"table", "json", "xml", "csv", "tsv", "ttl", "nt"}));
  sub->add_option("--base", o->sparql.base, "the base IRI of relative IRIs in the query");
  sub->add_option("--max-rows", o->sparql.max_rows, "row cap (default 1000000)");
  sub->add_option("--timeout", o->sparql.timeout_seconds, "seconds the query may run (default 30)");
  AddWidth(sub, o->sparql.width);
  return [&db, o] {
    std::string text = o->text;
    if (!o->file.empty()) {
      if (!ReadFile(o->file, &text, std::cerr)) return 1;
    } else if (text.empty()) {
      text = ReadAll(std::cin);
    }
    return kg::cli::RunSparqlQuery(db.path, text, o->sparql, std::cout, std::cerr);
  };
}

Runner TraceCommand(CLI::App& app, Db& db) {
  struct Options {
    std::vector<std::string> what;
    QueryCommandOptions query;
  };
  auto o = std::make_shared<Options>();
  o->query.format = "tree";
  auto* sub = app.add_subcommand(
      "trace",
      "trace a claim to its primary sources: kg trace 'Iran supplied ShahedDrone', or words of "
      "a quote: kg trace \"half of Russia's munitions\"");
  db.AddTo(sub);
  sub->add_option("claim", o->what, "a claim (s p o) or words of a quote")->required();
  sub->add_option("--format", o->query.format,
                  "tree, table, json, csv, dot, md (a Markdown report) or html (a self-contained "
                  "page with the picture); default tree")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot", "md", "html"}));
  AddWidth(sub, o->query.width);
  return [&db, o] {
    std::string what;
    for (const std::string& w : o->what) what += (what.empty() ? "" : " ") + w;
    return kg::cli::RunTrace(db.path, what, o->query, std::cout, std::cerr);
  };
}

Runner DocsCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<BrowseOptions>();
  auto* sub = app.add_subcommand(
      "docs", "list the documents: stored ones and those known only from citations");
  db.AddTo(sub);
  AddBrowseFormat(sub, *o, "table, json, csv or tree (default table)");
  return [&db, o] { return kg::cli::RunDocs(db.path, *o, std::cout, std::cerr); };
}

Runner ShowCommand(CLI::App& app, Db& db) {
  struct Options {
    std::string id;
    kg::cli::ShowOptions show;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "show", "one document: metadata, citations in and out, and its text around a span or quote");
  db.AddTo(sub);
  sub->add_option("document", o->id, "doc:ID or ID")->required();
  sub->add_option("--around", o->show.around,
                  "START:END (code points, as the span of a piece of evidence): the text around it");
  sub->add_option("--quote", o->show.quote, "the text around each place this phrase occurs");
  sub->add_option("--context", o->show.context,
                  "code points of text either side of --around or --quote (default 300)");
  sub->add_flag("--text", o->show.text, "print the whole stored text");
  AddBrowseFormat(sub, o->show.output,
                  "text (default), json, or table, csv, tree (the citations)");
  return [&db, o] { return kg::cli::RunShow(db.path, o->id, o->show, std::cout, std::cerr); };
}

// `kg entity NAME` and `kg claims NAME`.
Runner NamedEntityCommand(CLI::App& app, Db& db, const char* name, const char* help,
                          int (*run)(const std::string&, const std::string&, const BrowseOptions&,
                                     std::ostream&, std::ostream&)) {
  struct Options {
    std::string name;
    BrowseOptions browse;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(name, help);
  db.AddTo(sub);
  sub->add_option("name", o->name, "entity name or alias, e.g. Pyongyang")->required();
  AddBrowseFormat(sub, o->browse, "text (default), table, json, csv or tree");
  return [&db, o, run] { return run(db.path, o->name, o->browse, std::cout, std::cerr); };
}

Runner EntityCommand(CLI::App& app, Db& db) {
  return NamedEntityCommand(
      app, db, "entity",
      "an entity: its names, type, the claims it is in, and what it says (claims it is the "
      "agent of)",
      kg::cli::RunEntity);
}

Runner ClaimsCommand(CLI::App& app, Db& db) {
  return NamedEntityCommand(
      app, db, "claims",
      "claims about an entity (name or alias), each with its evidence and sources",
      kg::cli::RunClaims);
}

Runner StatsCommand(CLI::App& app, Db& db) {
  struct Options {
    bool storage = false;
    BrowseOptions browse;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "stats", "documents, claims, evidence, sources, and triples per predicate");
  db.AddTo(sub);
  sub->add_flag("--storage", o->storage,
                "also the space each column family takes on disk, and its number of keys");
  AddBrowseFormat(sub, o->browse, "text (default), table, json, csv or tree");
  return [&db, o] {
    return kg::cli::RunStats(db.path, o->storage, o->browse, std::cout, std::cerr);
  };
}

Runner VerifyCommand(CLI::App& app, Db& db) {
  auto* sub = app.add_subcommand(
      "verify", "re-check every evidence quote against the stored document text and its SHA-256");
  db.AddTo(sub);
  return [&db] { return kg::cli::RunVerify(db.path, std::cout, std::cerr); };
}

// `kg log`: the transaction log (kg/txlog.h).
Runner LogCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<kg::cli::LogOptions>();
  auto* sub = app.add_subcommand(
      "log", "list the store's transactions, newest first: every document written, replaced or "
             "deleted, and every vocabulary loaded, with when, who and the command");
  db.AddTo(sub);
  sub->add_option("-n,--limit", o->limit, "how many (default 20; 0: all)");
  sub->add_option("--doc", o->doc, "only those of this document (doc:ID or ID)");
  sub->add_option("--format", o->format, "table (default) or json (one object per line)")
      ->check(CLI::IsMember({"table", "json"}));
  return [&db, o] { return kg::cli::RunLog(db.path, *o, std::cout, std::cerr); };
}

Runner CheckCommand(CLI::App& app, Db& db) {
  auto* sub = app.add_subcommand("check", "verify that all indexes and statistics agree");
  db.AddTo(sub);
  struct Options {
    bool schema = false;
    std::string shacl, report = "ttl";
  };
  auto o = std::make_shared<Options>();
  sub->add_flag("--schema", o->schema,
                "instead, check every stored claim against the vocabulary's rules (domain, "
                "range, max, qualifiers, hedges, stances)");
  sub->add_option("--shacl", o->shacl,
                  "instead, validate the store's claims against the SHACL Core shapes in FILE "
                  "(Turtle) and write the sh:ValidationReport (docs/shacl.md)");
  sub->add_option("--report", o->report, "--shacl's report: ttl (default) or json")
      ->check(CLI::IsMember({"ttl", "json"}));
  return [&db, o] {
    if (o->schema && !o->shacl.empty()) {
      std::cerr << "kg: check --schema and --shacl are separate checks: run one at a time\n";
      return 2;
    }
    if (!o->shacl.empty()) {
      return kg::cli::RunShaclCheckStore(db.path, o->shacl, o->report, std::cout, std::cerr);
    }
    return o->schema ? kg::cli::RunCheckSchema(db.path, std::cout, std::cerr)
                     : kg::cli::RunCheck(db.path, std::cout, std::cerr);
  };
}

Runner UpgradeCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<kg::cli::UpgradeOptions>();
  auto* sub = app.add_subcommand(
      "upgrade", "migrate a store of an earlier on-disk format to this one, in place");
  db.AddTo(sub);
  sub->add_flag("--keep-old", o->keep_old, "keep the old store as DIR.format2");
  sub->add_option("--memory", o->memory_mb, "memory for building the new store, in MiB (default 512)");
  return [&db, o] { return kg::cli::RunUpgrade(db.path, *o, std::cout, std::cerr); };
}

// `kg shell`; also what plain `kg` runs.
Runner ShellCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<kg::cli::ShellOptions>();
  auto* sub = app.add_subcommand(
      "shell", "the interactive query shell (statements from stdin when it is not a terminal)");
  db.AddTo(sub);
  sub->add_option("-c,--command", o->command, "run these statements and exit");
  sub->add_option("--mode", o->format, std::string(kFormats) + " (default table)")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot"}));
  sub->add_option("--history", o->history_file,
                  "history file (default: $KG_HISTORY, else ~/.kg_history)");
  return [&db, o, sub] {
    o->db = db.path;
    o->has_command = sub->parsed() && sub->count("--command") > 0;
    o->interactive = !o->has_command && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    return kg::cli::RunShell(*o, std::cin, std::cout, std::cerr);
  };
}

// `kg serve`: the HTTP server (server/server.h).
Runner ServeCommand(CLI::App& app, Db& db) {
  auto o = std::make_shared<kg::server::ServeOptions>();
  o->version = KG_VERSION;
  auto* sub = app.add_subcommand(
      "serve",
      "answer SPARQL (/sparql) and kg queries (/query) over HTTP, read-only, while ingests "
      "write; SIGTERM or Ctrl-C stops it");
  db.AddTo(sub);
  sub->add_option("--host", o->host, "address to listen on (default 127.0.0.1: this machine only)");
  sub->add_option("--port", o->port, "TCP port (default 7878; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--timeout", o->timeout_seconds, "seconds a query may run (default 30)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-rows", o->max_rows, "row cap per query (default 1000000)");
  sub->add_option("--max-request-bytes", o->max_request_bytes,
                  "largest request body accepted; larger ones get 413 (default 1048576)");
  sub->add_option("--threads", o->threads,
                  "worker threads, one connection each (default: cores - 1, at least 8)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--access-log", o->access_log,
                  "append one line per request to FILE (default: standard error)");
  auto token_file = std::make_shared<std::string>();
  sub->add_option("--write-token-file", *token_file,
                  "take uploads (the workbench's ingest page, POST /ingest) from whoever gives "
                  "the token in FILE (its first line, at least 16 characters)");
  sub->add_option("--max-upload-bytes", o->max_upload_bytes,
                  "largest file an upload may carry; larger ones get 413 (default 67108864)");
  return [&db, o, token_file] {
    o->db = db.path;
    if (!token_file->empty()) {
      auto token = kg::server::ReadWriteToken(*token_file, std::cerr);
      if (!token) return 2;
      o->write_token = *std::move(token);
    }
    return kg::server::RunServe(*o, std::cout, std::cerr);
  };
}

// `kg nosuch`: CLI11 would say "argument was not expected".
bool UnknownCommand(const CLI::App& app, int argc, char** argv) {
  // The first word that is not an option of kg itself (--db takes a value).
  int at = 1;
  while (at < argc && argv[at][0] == '-') at += std::string_view(argv[at]) == "--db" ? 2 : 1;
  if (at >= argc) return false;
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  const std::string word = argv[at];
  for (const std::string& n : names) {
    if (n == word) return false;
  }
  std::vector<std::string_view> candidates(names.begin(), names.end());
  const std::string_view near = kg::ClosestName(word, candidates);
  std::cerr << "kg: unknown command '" << word << "'"
            << (near.empty() ? std::string() : "; did you mean '" + std::string(near) + "'?")
            << " (kg --help lists the commands)\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "kg: an evidence knowledge graph -- claims with their sources.\n"
      "Without a subcommand, opens the query shell on the store.",
      "kg"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("kg ") + KG_VERSION);
  app.footer(
      "Exit codes: 0 ok, 1 error in data, query or store, 2 usage.\n"
      "The store directory is --db DIR, else $KG_DB, else ./kg.db.");

  Db db;
  const char* env_db = std::getenv("KG_DB");
  db.path = env_db != nullptr && *env_db ? env_db : kg::cli::kDefaultDbPath;
  db.help = std::string("store directory (default: $KG_DB, else ") + kg::cli::kDefaultDbPath + ")";
  db.AddTo(&app);

  std::vector<std::pair<CLI::App*, Runner>> commands;
  auto add = [&](Runner (*declare)(CLI::App&, Db&)) {
    Runner run = declare(app, db);
    commands.emplace_back(app.get_subcommands({}).back(), std::move(run));
  };
  add(DemoCommand);
  add(IngestCommand);
  add(ImportCommand);
  add(ExportCommand);
  add(QueryCommand);
  add(SparqlCommand);
  add(TraceCommand);
  add(DocsCommand);
  add(ShowCommand);
  add(EntityCommand);
  add(ClaimsCommand);
  add(VerifyCommand);
  add(CheckCommand);
  add(LogCommand);
  add(UpgradeCommand);
  add(StatsCommand);
  add(ServeCommand);
  add(ShellCommand);

  if (UnknownCommand(app, argc, argv)) return 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  int rc = -1;
  for (const auto& [sub, run] : commands) {
    if (sub->parsed()) rc = run();
  }
  if (rc < 0) rc = commands.back().second();  // plain `kg`: the shell
  // Output that could not be written (a full disk, a closed pipe) is an error.
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "kg: cannot write the output: " << std::strerror(errno ? errno : EIO) << "\n";
    return 1;
  }
  return rc;
}
