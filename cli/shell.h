// `kg shell`: the interactive query shell, in the conventions of sqlite3,
// duckdb and psql. On a terminal: line editing and persistent history (GNU
// readline; a statement of several lines is one entry), tab completion of
// keywords, dot-commands, predicates, entity names and their aliases,
// multi-line statements run at ';', Ctrl-C cancels the running statement or
// abandons the one being typed and keeps the session, Ctrl-D exits. Not on
// a terminal: reads statements from the input, reports errors "near line
// N", and with `.bail on` stops at the first one. Errors about a place in a
// statement show its line with a caret under the column.
//
// The shell never writes: it follows the store (a RocksDB secondary
// instance), so an ingest job can write while shells are open; each
// statement first catches up with what the writer has committed.
#ifndef KG_CLI_SHELL_H_
#define KG_CLI_SHELL_H_

#include <istream>
#include <ostream>
#include <string>
#include <string_view>

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

// Statements end at ';' as the query lexer splits them
// (query::SplitStatements): a string left open at the end of its line ends
// its statement there with an error, since strings cannot span lines. A
// statement still open when the input ends is an error ("statement not
// ended by ';'"), except in `command`, whose last statement may omit its
// ';' (as with psql -c). Errors name the line of the input, show it, and
// put a caret under the column.
//
// Returns the exit code: 0, or 1 if a statement failed (not on a terminal)
// or the input ended inside a statement.
int RunShell(const ShellOptions& options, std::istream& in, std::ostream& out,
             std::ostream& err);

// How the shell shows where an error is: `line`, and under it a caret at
// column `col` (code points from 1; tabs kept so that it lines up), each
// indented by two spaces and ended by '\n'. A long line is cut to a window
// around the column, marked with "…".
std::string PointAt(std::string_view line, int col);

}  // namespace kg::cli

#endif  // KG_CLI_SHELL_H_
