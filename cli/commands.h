// The subcommands of the `kg` binary, as functions that tests can call.
// Each returns the process exit code: 0 ok, 1 error in data or store.
#ifndef KG_CLI_COMMANDS_H_
#define KG_CLI_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace kg::cli {

inline constexpr char kDefaultDbPath[] = "kg.db";

int RunDemo(const std::string& db, std::ostream& out, std::ostream& err);
// Ingests `paths`; a progress bar is drawn on stderr when it is a terminal.
// `bulk` and `memory_mb` as for RunImport.
// With `commit_log` non-empty, appends one line per committed document id to
// that file as the commit happens (see --commit-log).
int RunIngest(const std::string& db, const std::vector<std::string>& paths,
              std::ostream& out, std::ostream& err, const std::string& bulk = "auto",
              uint64_t memory_mb = 512, const std::string& commit_log = "");
// Imports N-Triples (`format` "nt") or N-Quads ("nq") files.
// `bulk`: "auto" (bulk path into an empty store from 16 MB of input), "on"
// or "off"; `memory_mb`: the bulk path's sort memory.
int RunImport(const std::string& db, const std::string& format, const std::string& doc,
              bool keep_going, const std::vector<std::string>& paths, std::ostream& out,
              std::ostream& err, const std::string& bulk = "auto", uint64_t memory_mb = 512,
              const std::string& commit_log = "");

// Imports brat standoff documents with `mapping_file` (built-in if empty).
int RunImportBrat(const std::string& db, const std::string& mapping_file,
                  const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

// Exports the store (or document `doc` if non-empty) in `format` to `output`
// (a file path; empty means `out`).
int RunExport(const std::string& db, const std::string& format, const std::string& doc,
              const std::string& output, std::ostream& out, std::ostream& err);

// Prints every claim whose subject or object is the entity `name` (or an
// alias of it), with each piece of evidence and its primary source.
int RunClaims(const std::string& db, const std::string& name, std::ostream& out,
              std::ostream& err);
struct QueryCommandOptions {
  std::string format = "table";  // table, json, csv, tree or dot
  uint64_t max_rows = 1'000'000;
  double timeout_seconds = 30;
  size_t width = 120;
};
// Runs the statements in `text` (docs/query-language.md) on a read-only view
// of the store and prints each result in `options.format`.
int RunQuery(const std::string& db, const std::string& text, const QueryCommandOptions& options,
             std::ostream& out, std::ostream& err);
// Re-reads every evidence quote from the stored text at its offsets and
// re-hashes every text; prints each mismatch. Exit 1 if any.
int RunVerify(const std::string& db, std::ostream& out, std::ostream& err);
// The TRACE statement for `kg trace WHAT`: a claim pattern ("Iran supplied
// ShahedDrone") if it parses as one, else a quoted phrase.
std::string TraceStatement(const std::string& what);
int RunCheck(const std::string& db, std::ostream& out, std::ostream& err);
// With `storage`, also a table of each column family's size on disk and
// number of keys.
int RunStats(const std::string& db, bool storage, std::ostream& out, std::ostream& err);

}  // namespace kg::cli

#endif  // KG_CLI_COMMANDS_H_
