// The interactive terminal of `kg shell`: line editing and persistent
// history (GNU readline), tab completion, and Ctrl-C, which cancels the
// running statement or, at the prompt, drops the line and any pending
// statement. A statement typed over several lines is one history entry.
// The shell (shell.cc) says what a line does.
#ifndef KG_CLI_TERMINAL_H_
#define KG_CLI_TERMINAL_H_

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

namespace kg::cli {

// What the terminal loop asks of the shell.
class TerminalClient {
 public:
  virtual ~TerminalClient() = default;
  // Handles input line `line_no` (from 1); false ends the session.
  virtual bool OnLine(const std::string& line, int line_no) = 0;
  // Whether a statement started on earlier lines still waits for its ';'
  // (the prompt changes).
  virtual bool PendingInput() const = 0;
  // Forgets that statement (Ctrl-C at the prompt).
  virtual void DiscardInput() = 0;
  // The input ended (Ctrl-D): a statement still waiting for its ';' is to
  // be reported, not dropped.
  virtual void EndInput() = 0;
  // The words tab completion offers, as they are typed. One written in
  // `backquotes` is offered after a '`' (without them: readline closes the
  // quote); the others outside backquotes.
  virtual const std::vector<std::string>& completions() const = 0;
};

// Reads lines from the terminal and hands them to `client` until Ctrl-D or
// until the client ends the session. History is read from `history_file`
// at the start and saved to it at the end (none if empty); each entry is
// the lines of one statement (or dot-command, or abandoned statement), and
// recalling it hands them to `client` line by line again. Returns the exit
// code, 0.
int RunTerminal(TerminalClient& client, const std::string& history_file);

// Brackets a running statement: until EndStatement(), Ctrl-C sets the flag
// StartStatement() returns (cleared; for QueryOptions::cancel) instead of
// dropping the input line.
std::atomic<bool>* StartStatement();
void EndStatement();

// Columns of the terminal on standard output (120 if unknown or narrow).
size_t TerminalWidth();

}  // namespace kg::cli

#endif  // KG_CLI_TERMINAL_H_
