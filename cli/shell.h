// `kg shell`: the interactive query shell, in the conventions of sqlite3,
// duckdb and psql. On a terminal: line editing and persistent history (GNU
// readline), tab completion of keywords, dot-commands, predicates and entity
// names, multi-line statements run at ';', Ctrl-C cancels the running
// statement and keeps the session, Ctrl-D exits. Not on a terminal: reads
// statements from the input, reports errors "near line N", and with
// `.bail on` stops at the first one.
//
// The shell never writes: it follows the store (a RocksDB secondary
// instance), so an ingest job can write while shells are open; each
// statement first catches up with what the writer has committed.
#ifndef KG_CLI_SHELL_H_
#define KG_CLI_SHELL_H_

#include <istream>
#include <ostream>
#include <string>

namespace kg::cli {

struct ShellOptions {
  std::string db;
  // Statements to run instead of reading input (`kg shell -c`).
  std::string command;
  bool has_command = false;
  // Run the interactive loop on the terminal (stdin/stdout).
  bool interactive = false;
  std::string format = "table";
  // History file; default $KG_HISTORY, else ~/.kg_history.
  std::string history_file;
};

// Returns the exit code: 0, or 1 if a statement failed (non-interactive).
int RunShell(const ShellOptions& options, std::istream& in, std::ostream& out,
             std::ostream& err);

// True if `buffer` ends with a complete statement: its last character
// outside strings, quoted names and comments is ';'.
bool StatementComplete(const std::string& buffer);

}  // namespace kg::cli

#endif  // KG_CLI_SHELL_H_
