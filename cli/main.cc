// The `kg` command line: ingest, import, export, query, trace, verify,
// check, stats, shell (plain `kg` opens the shell), claims, demo. Flags are
// parsed with CLI11; `--help` on every subcommand.
//
// Every subcommand takes --db DIR (default: $KG_DB, else ./kg.db).
// Exit codes: 0 ok, 1 error in data, query or store, 2 usage.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "cli/shell.h"

namespace {

std::string ReadAll(std::istream& in) { return std::string(std::istreambuf_iterator<char>(in), {}); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "kg: an evidence knowledge graph -- claims with their sources.\n"
      "Without a subcommand, opens the query shell on the store.",
      "kg"};
  app.require_subcommand(0, 1);
  app.footer(
      "Exit codes: 0 ok, 1 error in data, query or store, 2 usage.\n"
      "The store directory is --db DIR, else $KG_DB, else ./kg.db.");

  const char* env_db = std::getenv("KG_DB");
  std::string db = env_db != nullptr ? env_db : kg::cli::kDefaultDbPath;
  const std::string db_help = std::string(
      "store directory (default: $KG_DB, else ") + kg::cli::kDefaultDbPath + ")";
  app.add_option("--db", db, db_help);
  auto add_db = [&](CLI::App* sub) { sub->add_option("--db", db, db_help); };

  auto* demo = app.add_subcommand(
      "demo", "store a document with claims and evidence, then read it back");
  add_db(demo);

  std::vector<std::string> ingest_paths;
  auto* ingest = app.add_subcommand(
      "ingest", "load annotated documents (.kga) and vocabularies (.kgv)");
  add_db(ingest);
  ingest->add_option("paths", ingest_paths, "files or directories")->required();
  std::string ingest_bulk = "auto";
  uint64_t ingest_memory = 512;
  ingest->add_option("--bulk", ingest_bulk,
                     "auto (default: the bulk path into an empty store from 16 MB of input), on, "
                     "or off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  ingest->add_option("--memory", ingest_memory, "MiB of memory for the bulk path (default 512)");
  std::string ingest_commit_log;
  ingest->add_option("--commit-log", ingest_commit_log,
                     "append each document's id to FILE as soon as it is committed (durable)");

  std::string export_format = "jsonl", export_doc, export_out;
  auto* exp = app.add_subcommand(
      "export", "write the store (or one document) as N-Quads (RDF 1.2) or JSON lines");
  add_db(exp);
  exp->add_option("--format", export_format, "nq or jsonl (default jsonl)")
      ->check(CLI::IsMember({"nq", "jsonl"}));
  exp->add_option("--doc", export_doc, "only this document");
  exp->add_option("-o,--output", export_out, "write to FILE instead of stdout");

  std::string import_format, import_doc, brat_mapping;
  bool keep_going = false;
  std::vector<std::string> import_paths;
  auto* imp = app.add_subcommand(
      "import", "load N-Triples or N-Quads files (plain or .gz), or brat standoff (.txt + .ann)");
  add_db(imp);
  imp->add_option("--format", import_format, "nt, nq or brat")
      ->required()
      ->check(CLI::IsMember({"nt", "nq", "brat"}));
  imp->add_option("--mapping", brat_mapping,
                  "brat type mapping file (default: the built-in schemas/brat-mapping.txt)");
  imp->add_option("--doc", import_doc,
                  "document id for default-graph triples (default: the file name)");
  imp->add_flag("--keep-going", keep_going,
                "load the good lines of a file with bad ones, reporting each skipped line");
  std::string import_bulk = "auto";
  uint64_t import_memory = 512;
  imp->add_option("--bulk", import_bulk,
                  "auto (default: the bulk path into an empty store from 16 MB of input; all or "
                  "nothing), on, or off (document by document)")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  imp->add_option("--memory", import_memory, "MiB of memory for the bulk path's sorting (default 512)");
  std::string import_commit_log;
  imp->add_option("--commit-log", import_commit_log,
                  "append a document's id to FILE each time a write of it is committed (durable)");
  imp->add_option("paths", import_paths, "files")->required();

  std::vector<std::string> query_text;
  std::string query_file;
  kg::cli::QueryCommandOptions query_options;
  auto* query = app.add_subcommand(
      "query", "run query statements (docs/query-language.md); reads stdin if none are given");
  add_db(query);
  query->add_option("statements", query_text, "statements, each ended by ';'");
  query->add_option("-f,--file", query_file, "read the statements from FILE");
  query->add_option("--format", query_options.format, "table, json, csv, tree or dot (default table)")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot"}));
  query->add_option("--max-rows", query_options.max_rows, "row cap per statement (default 1000000)");
  query->add_option("--timeout", query_options.timeout_seconds,
                    "seconds a statement may run (default 30)");
  query->add_option("--width", query_options.width, "table width in columns (default 120)");

  std::vector<std::string> trace_what;
  kg::cli::QueryCommandOptions trace_options;
  trace_options.format = "tree";
  auto* trace = app.add_subcommand(
      "trace",
      "trace a claim to its primary sources: kg trace 'Iran supplied ShahedDrone', or a quote: "
      "kg trace \"half of Russia's munitions\"");
  add_db(trace);
  trace->add_option("claim", trace_what, "a claim pattern (s p o) or words of a quote")->required();
  trace->add_option("--format", trace_options.format, "tree, table, json, csv or dot (default tree)")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot"}));
  trace->add_option("--width", trace_options.width, "line width (default 120)");

  std::string claims_name;
  auto* claims = app.add_subcommand(
      "claims", "claims about an entity (name or alias), each with its evidence and sources");
  add_db(claims);
  claims->add_option("name", claims_name, "entity name or alias, e.g. Pyongyang")->required();

  auto* verify = app.add_subcommand(
      "verify", "re-check every evidence quote against the stored document text and its SHA-256");
  add_db(verify);
  auto* check = app.add_subcommand("check", "verify that all indexes and statistics agree");
  add_db(check);
  auto* stats = app.add_subcommand(
      "stats", "documents, claims, evidence, sources, and triples per predicate");
  add_db(stats);
  bool stats_storage = false;
  stats->add_flag("--storage", stats_storage,
                  "also the space each column family takes on disk, and its number of keys");

  kg::cli::ShellOptions shell_options;
  auto* shell = app.add_subcommand(
      "shell", "the interactive query shell (statements from stdin when it is not a terminal)");
  add_db(shell);
  shell->add_option("-c,--command", shell_options.command, "run these statements and exit");
  shell->add_option("--mode", shell_options.format, "table, json, csv, tree or dot (default table)")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot"}));
  shell->add_option("--history", shell_options.history_file,
                    "history file (default: $KG_HISTORY, else ~/.kg_history)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  using namespace kg::cli;
  if (demo->parsed()) return RunDemo(db, std::cout, std::cerr);
  if (ingest->parsed()) {
    return RunIngest(db, ingest_paths, std::cout, std::cerr, ingest_bulk, ingest_memory,
                     ingest_commit_log);
  }
  if (imp->parsed()) {
    if (import_format == "brat") {
      return RunImportBrat(db, brat_mapping, import_paths, std::cout, std::cerr);
    }
    return RunImport(db, import_format, import_doc, keep_going, import_paths, std::cout, std::cerr,
                     import_bulk, import_memory, import_commit_log);
  }
  if (exp->parsed()) return RunExport(db, export_format, export_doc, export_out, std::cout, std::cerr);
  if (query->parsed()) {
    std::string text;
    for (const std::string& t : query_text) text += t + "\n";
    if (!query_file.empty()) {
      std::ifstream in(query_file, std::ios::binary);
      if (!in) {
        std::cerr << "kg: cannot read " << query_file << "\n";
        return 1;
      }
      text += ReadAll(in);
    } else if (query_text.empty()) {
      text = ReadAll(std::cin);
    }
    return RunQuery(db, text, query_options, std::cout, std::cerr);
  }
  if (trace->parsed()) {
    std::string what;
    for (const std::string& w : trace_what) what += (what.empty() ? "" : " ") + w;
    return RunQuery(db, TraceStatement(what), trace_options, std::cout, std::cerr);
  }
  if (claims->parsed()) return RunClaims(db, claims_name, std::cout, std::cerr);
  if (verify->parsed()) return RunVerify(db, std::cout, std::cerr);
  if (check->parsed()) return RunCheck(db, std::cout, std::cerr);
  if (stats->parsed()) return RunStats(db, stats_storage, std::cout, std::cerr);
  // `kg shell`, or plain `kg`.
  shell_options.db = db;
  shell_options.has_command = shell->parsed() && shell->count("--command") > 0;
  shell_options.interactive =
      !shell_options.has_command && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  return RunShell(shell_options, std::cin, std::cout, std::cerr);
}
