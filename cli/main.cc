// The `kg` command line. Subcommands so far: demo (store and read back a
// claim with its evidence), ingest (annotated text), claims (what the store
// holds about an entity, with sources), check (index consistency), stats.
//
// Exit codes: 0 ok, 1 error in data or store, 2 usage.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kg: an evidence knowledge graph -- claims with their sources"};
  app.require_subcommand(1);

  const char* env_db = std::getenv("KG_DB");
  std::string db = env_db != nullptr ? env_db : kg::cli::kDefaultDbPath;
  const std::string db_help = std::string(
      "store directory (default: $KG_DB, else ") + kg::cli::kDefaultDbPath + ")";

  auto* demo = app.add_subcommand(
      "demo", "store a document with claims and evidence, then read it back");
  demo->add_option("--db", db, db_help);
  std::vector<std::string> ingest_paths;
  auto* ingest = app.add_subcommand(
      "ingest", "load annotated documents (.kga) and vocabularies (.kgv)");
  ingest->add_option("--db", db, db_help);
  ingest->add_option("paths", ingest_paths, "files or directories")->required();
  std::string export_format = "jsonl", export_doc, export_out;
  auto* exp = app.add_subcommand(
      "export", "write the store (or one document) as N-Quads (RDF 1.2) or JSON lines");
  exp->add_option("--db", db, db_help);
  exp->add_option("--format", export_format, "nq or jsonl (default jsonl)")
      ->check(CLI::IsMember({"nq", "jsonl"}));
  exp->add_option("--doc", export_doc, "only this document");
  exp->add_option("-o,--output", export_out, "write to FILE instead of stdout");
  std::string import_format;
  std::string import_doc;
  bool keep_going = false;
  std::vector<std::string> import_paths;
  std::string brat_mapping;
  auto* imp = app.add_subcommand(
      "import", "load N-Triples or N-Quads files (plain or .gz), or brat standoff (.txt + .ann)");
  imp->add_option("--db", db, db_help);
  imp->add_option("--format", import_format, "nt, nq or brat")
      ->required()
      ->check(CLI::IsMember({"nt", "nq", "brat"}));
  imp->add_option("--mapping", brat_mapping,
                  "brat type mapping file (default: the built-in schemas/brat-mapping.txt)");
  imp->add_option("--doc", import_doc,
                  "document id for default-graph triples (default: the file name)");
  imp->add_flag("--keep-going", keep_going,
                "load the good lines of a file with bad ones, reporting each skipped line");
  imp->add_option("paths", import_paths, "files")->required();
  std::string claims_name;
  auto* claims = app.add_subcommand(
      "claims", "claims about an entity (name or alias), each with its evidence and sources");
  claims->add_option("--db", db, db_help);
  claims->add_option("name", claims_name, "entity name or alias, e.g. Pyongyang")->required();
  std::vector<std::string> query_text;
  std::string query_file;
  kg::cli::QueryCommandOptions query_options;
  auto* query = app.add_subcommand(
      "query", "run query statements (docs/query-language.md); reads stdin if none are given");
  query->add_option("--db", db, db_help);
  query->add_option("statements", query_text, "statements, each ended by ';'");
  query->add_option("-f,--file", query_file, "read the statements from FILE");
  query->add_option("--format", query_options.format, "table, json, csv, tree or dot (default table)")
      ->check(CLI::IsMember({"table", "json", "csv", "tree", "dot"}));
  query->add_option("--max-rows", query_options.max_rows, "row cap per statement (default 1000000)");
  query->add_option("--timeout", query_options.timeout_seconds,
                    "seconds a statement may run (default 30)");
  query->add_option("--width", query_options.width, "table width in columns (default 120)");
  auto* check = app.add_subcommand(
      "check", "verify that all indexes and statistics agree");
  check->add_option("--db", db, db_help);
  auto* stats = app.add_subcommand("stats", "document, claim and predicate counts");
  stats->add_option("--db", db, db_help);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (demo->parsed()) return kg::cli::RunDemo(db, std::cout, std::cerr);
  if (ingest->parsed()) return kg::cli::RunIngest(db, ingest_paths, std::cout, std::cerr);
  if (imp->parsed()) {
    if (import_format == "brat") {
      return kg::cli::RunImportBrat(db, brat_mapping, import_paths, std::cout, std::cerr);
    }
    return kg::cli::RunImport(db, import_format, import_doc, keep_going, import_paths, std::cout,
                              std::cerr);
  }
  if (exp->parsed()) {
    return kg::cli::RunExport(db, export_format, export_doc, export_out, std::cout, std::cerr);
  }
  if (claims->parsed()) return kg::cli::RunClaims(db, claims_name, std::cout, std::cerr);
  if (query->parsed()) {
    std::string text;
    for (const std::string& t : query_text) text += t + "\n";
    if (!query_file.empty()) {
      std::ifstream in(query_file, std::ios::binary);
      if (!in) {
        std::cerr << "kg: cannot read " << query_file << "\n";
        return 1;
      }
      text += std::string(std::istreambuf_iterator<char>(in), {});
    } else if (query_text.empty()) {
      text = std::string(std::istreambuf_iterator<char>(std::cin), {});
    }
    return kg::cli::RunQuery(db, text, query_options, std::cout, std::cerr);
  }
  if (check->parsed()) return kg::cli::RunCheck(db, std::cout, std::cerr);
  if (stats->parsed()) return kg::cli::RunStats(db, std::cout, std::cerr);
  return 2;
}
