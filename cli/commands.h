// The subcommands of the `kg` binary, as functions that tests can call.
// Each returns the process exit code: 0 ok, 1 error in data or store.
#ifndef KG_CLI_COMMANDS_H_
#define KG_CLI_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"

namespace kg::cli {

inline constexpr char kDefaultDbPath[] = "kg.db";

// Opens the store at `db`: for writing (and created if missing) with
// `create`, else read-only, so that commands that only read work while an
// ingest job holds the write lock. Reports a failure on `err` and returns
// null.
std::unique_ptr<Store> OpenStore(const std::string& db, bool create, std::ostream& err);

// `kg demo`: stores a short example document and reads it back. With `db`
// empty, in a temporary store removed afterwards; otherwise only into a
// store that is empty or holds nothing but an earlier demo.
int RunDemo(const std::string& db, std::ostream& out, std::ostream& err);
// Ingests `paths`; a progress bar is drawn on stderr when it is a terminal.
// `bulk` and `memory_mb` as for RunImport.
// With `commit_log` non-empty, appends one line per committed document id to
// that file as the commit happens (see --commit-log).
int RunIngest(const std::string& db, const std::vector<std::string>& paths,
              std::ostream& out, std::ostream& err, const std::string& bulk = "auto",
              uint64_t memory_mb = 512, const std::string& commit_log = "",
              bool lenient = false);
// `kg ingest --dry-run`: everything an ingest checks (the vocabulary's
// rules and the store's own checks included), against the store at `db`
// opened read-only (or an empty one if there is none), writing nothing.
// Exit 1 if a file would fail.
int RunIngestDryRun(const std::string& db, const std::vector<std::string>& paths, bool lenient,
                    std::ostream& out, std::ostream& err);
struct ImportCommandOptions {
  std::string db;
  // "nt", "nq", "ttl", "trig" or "brat"; empty: inferred from the file
  // names and, for a file without a telling extension, from its first lines.
  std::string format;
  // Base IRI of Turtle and TriG files (default: each file's file:// IRI).
  std::string base;
  // Document id for default-graph triples ("doc:X" or "X"; default: the
  // file name).
  std::string doc;
  // Load the good lines of a file with bad ones, reporting each skipped line.
  bool keep_going = false;
  std::vector<std::string> paths;
  // "auto" (bulk path into an empty store from 16 MB of input), "on" or "off".
  std::string bulk = "auto";
  // The bulk path's sort memory in MiB.
  uint64_t memory_mb = 512;
  // Non-empty: append each committed document id to this file (durable).
  std::string commit_log;
  // RDF input: SHACL Core shapes each file must conform to before anything
  // is imported (docs/shacl.md); empty: none.
  std::string shacl;
  // RDF input: check everything an import would, write nothing.
  bool dry_run = false;
  // brat type mapping file (built-in if empty).
  std::string brat_mapping;
  // claimreview: the claim every review is about, in query syntax
  // ("(Iran supplied ShahedDrone)"); empty: found from claimReviewed.
  std::string claim;
};
// Imports N-Triples, N-Quads, Turtle, TriG or brat standoff files.
int RunImport(const ImportCommandOptions& options, std::ostream& out, std::ostream& err);
// The import format of `paths` from their extensions, or the first lines of
// a file without one: "rdf" (N-Triples, N-Quads, Turtle or TriG: each file's
// syntax is told again when it is read) or "brat". InvalidArgument names the
// file whose format is unsupported, unknown or mixed with another.
absl::StatusOr<std::string> InferImportFormat(const std::vector<std::string>& paths);

// Imports brat standoff documents with `mapping_file` (built-in if empty).
int RunImportBrat(const std::string& db, const std::string& mapping_file,
                  const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

// Imports schema.org ClaimReview fact-checks (JSON-LD: one object, an array,
// an @graph; HTML pages with <script type="application/ld+json"> blocks; JSON
// lines): each review a document with a verdict on its claim
// (ingest/claimreview/claimreview.h).
int RunImportClaimReview(const ImportCommandOptions& options, std::ostream& out,
                         std::ostream& err);
// Imports FEVER claims (.jsonl): text claims, their labels as verdicts and
// their evidence sets (ingest/fever/fever.h).
int RunImportFever(const ImportCommandOptions& options, std::ostream& out, std::ostream& err);
// Writes schema.org ClaimReview JSON-LD for the claim `claim` (query syntax:
// "(s p o)" or a quoted phrase) to `output` (empty: `out`): the stored
// verdicts, or a draft to complete when it has none.
int RunExportClaimReview(const std::string& db, const std::string& claim,
                         const std::string& output, std::ostream& out, std::ostream& err);

// Exports the store (or document `doc` if non-empty) in `format` to `output`
// (a file path; empty means `out`).
int RunExport(const std::string& db, const std::string& format, const std::string& doc,
              const std::string& output, std::ostream& out, std::ostream& err);

struct QueryCommandOptions {
  std::string format = "table";  // table, json, csv, tree or dot
  uint64_t max_rows = 1'000'000;
  double timeout_seconds = 30;
  // Table and tree width in columns; 0: never cut a cell. Unset: the
  // terminal's width ($COLUMNS, else the terminal's own) when standard
  // output is a terminal, else 0 -- output to a file or pipe is never cut.
  std::optional<size_t> width;
};
// Runs the statements in `text` (docs/query-language.md) on a read-only view
// of the store and prints each result in `options.format`.
int RunQuery(const std::string& db, const std::string& text, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err);
// "kg: query error: MESSAGE", then, when the message starts with a
// position, the line of `text` it names with a caret under the column.
void PrintQueryError(const std::string& text, const absl::Status& s, std::ostream& err);

struct SparqlCommandOptions {
  // table, json, xml, csv or tsv for SELECT and ASK; ttl or nt for CONSTRUCT
  // and DESCRIBE; "" picks table, or ttl for a graph.
  std::string format;
  std::string base;  // resolves relative IRIs in the query
  uint64_t max_rows = 1'000'000;
  double timeout_seconds = 30;
  std::optional<size_t> width;
};
// `kg sparql QUERY` (docs/sparql.md): runs one SPARQL query on a read-only
// view of the store and prints its result.
int RunSparqlQuery(const std::string& db, const std::string& text,
                   const SparqlCommandOptions& options, std::ostream& out, std::ostream& err);

// Re-reads every evidence quote from the stored text at its offsets and
// re-hashes every text; prints each mismatch. Exit 1 if any.
int RunVerify(const std::string& db, std::ostream& out, std::ostream& err);

struct LogOptions {
  size_t limit = 20;   // 0: all
  std::string doc;     // only this document's transactions
  std::string format = "table";
};
// `kg log`: the transaction log, newest first.
int RunLog(const std::string& db, const LogOptions& options, std::ostream& out,
           std::ostream& err);
// The TRACE statement for `kg trace WHAT`: a claim pattern ("Iran supplied
// ShahedDrone") if WHAT parses as one over names the store knows, else a
// quoted phrase if a stored quote contains it; InvalidArgument says why
// neither fits, with positions counted in WHAT.
absl::StatusOr<std::string> TraceStatement(Store& store, const std::string& what);
// `kg trace WHAT`: TraceStatement, then RunQuery.
int RunTrace(const std::string& db, const std::string& what, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err);
int RunCheck(const std::string& db, std::ostream& out, std::ostream& err);
// `kg check --schema`: every stored claim against the vocabulary's rules
// (ingest/schema_check.h); exit 1 if any breaks one.
int RunCheckSchema(const std::string& db, std::ostream& out, std::ostream& err);

struct UpgradeOptions {
  bool keep_old = false;
  uint64_t memory_mb = 512;
};
// `kg upgrade`: migrates the store in place (kg/upgrade.h).
int RunUpgrade(const std::string& db, const UpgradeOptions& options, std::ostream& out,
               std::ostream& err);

// The width a command prints at: `requested` if set, else the terminal's
// when standard output is one, else 0 (no limit).
size_t OutputWidth(std::optional<size_t> requested);

}  // namespace kg::cli

#endif  // KG_CLI_COMMANDS_H_
