// The terminal loop of `kg shell` (terminal.h), on GNU readline's callback
// interface so that a Ctrl-C at the prompt can wake it.
#include "cli/terminal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

// GNU readline (Debian libreadline-dev); C headers that need stdio first.
#include <readline/history.h>
#include <readline/readline.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace kg::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<bool> g_running{false};
volatile sig_atomic_t g_sigint = 0;

int g_wake[2] = {-1, -1};  // self-pipe: a Ctrl-C at the prompt wakes select()

void OnSigint(int) {
  if (g_running.load()) {
    g_cancel.store(true);
  } else {
    g_sigint = 1;
    if (g_wake[1] >= 0) {
      const char c = 0;
      (void)!write(g_wake[1], &c, 1);
    }
  }
}

TerminalClient* g_client = nullptr;  // for the readline callbacks
bool g_quit = false;
int g_line_no = 0;
std::vector<std::string> g_entry;  // lines of the statement being typed

// Adds the lines typed since the last entry to the history as one entry.
void Remember() {
  const std::string entry = absl::StrJoin(g_entry, "\n");
  g_entry.clear();
  if (absl::StripAsciiWhitespace(entry).empty()) return;
  HIST_ENTRY* last = history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
  if (last == nullptr || entry != last->line) add_history(entry.c_str());
}

char* CompletionGenerator(const char* text, int state) {
  static size_t index;
  static std::string prefix;
  static bool quoted;  // after a '`': names in backquotes, offered without them
  if (state == 0) {
    index = 0;
    prefix = text;
    quoted = rl_completion_quote_character == '`';
  }
  const auto& words = g_client->completions();
  while (index < words.size()) {
    absl::string_view w = words[index++];
    const bool in_backquotes = w.size() >= 2 && w.front() == '`' && w.back() == '`';
    if (in_backquotes != quoted) continue;
    if (quoted) w = w.substr(1, w.size() - 2);
    if (absl::StartsWithIgnoreCase(w, prefix)) return strdup(std::string(w).c_str());
  }
  return nullptr;
}

char** Complete(const char* text, int /*start*/, int /*end*/) {
  rl_attempted_completion_over = 1;  // no file-name completion
  return rl_completion_matches(text, CompletionGenerator);
}

void SetPrompt() { rl_set_prompt(g_client->PendingInput() ? "   ...> " : "kg> "); }

void Quit() {
  g_quit = true;
  rl_callback_handler_remove();  // no prompt after the last line
}

void OnLine(char* line) {
  if (line == nullptr) {  // Ctrl-D
    // Readline has moved to a new line.
    Quit();
    Remember();
    g_client->EndInput();
    return;
  }
  const std::string text(line);
  free(line);
  // A recalled entry of several lines comes back as one text.
  for (absl::string_view piece : absl::StrSplit(text, '\n')) {
    g_entry.emplace_back(piece);
    const bool go_on = g_client->OnLine(std::string(piece), ++g_line_no);
    if (!g_client->PendingInput()) Remember();
    if (!go_on) {
      Quit();
      return;
    }
  }
  SetPrompt();
}

}  // namespace

int RunTerminal(TerminalClient& client, const std::string& history) {
  g_client = &client;
  g_line_no = 0;
  using_history();
  stifle_history(2000);
  // Timestamp lines in the file delimit the entries, so that an entry of
  // several lines is read back as one.
  history_write_timestamps = 1;
  history_comment_char = '#';  // what starts a timestamp line
  if (!history.empty()) read_history(history.c_str());
  g_entry.clear();
  rl_readline_name = "kg";
  rl_catch_signals = 0;  // Ctrl-C is ours: cancel the statement or the line
  rl_attempted_completion_function = Complete;
  rl_completer_word_break_characters = const_cast<char*>(" \t\n(),;=<>!");
  rl_completer_quote_characters = "`";  // a name with spaces completes inside `...`
  struct sigaction sa {};
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: select() returns on Ctrl-C
  struct sigaction old {};
  sigaction(SIGINT, &sa, &old);
  if (pipe(g_wake) == 0) {
    fcntl(g_wake[0], F_SETFL, O_NONBLOCK);
    fcntl(g_wake[1], F_SETFL, O_NONBLOCK);
  }
  rl_callback_handler_install("kg> ", OnLine);
  g_quit = false;
  while (!g_quit) {
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(STDIN_FILENO, &fds);
    if (g_wake[0] >= 0) FD_SET(g_wake[0], &fds);
    const int r = select(std::max(STDIN_FILENO, g_wake[0]) + 1, &fds, nullptr, nullptr, nullptr);
    if (r < 0 || (g_wake[0] >= 0 && FD_ISSET(g_wake[0], &fds)) || g_sigint) {
      char drain[64];
      while (g_wake[0] >= 0 && read(g_wake[0], drain, sizeof(drain)) > 0) {
      }
      if (g_sigint) {  // Ctrl-C at the prompt: drop the line and any pending statement
        g_sigint = 0;
        Remember();  // the abandoned statement, to recall and fix
        client.DiscardInput();
        // Clear the line and its undo list, and leave the history at its
        // end: else readline, which takes the new last entry for the line
        // being edited, would put that line's original back into it.
        rl_replace_line("", 1);
        using_history();
        std::cout << "^C\n";
        std::cout.flush();
        SetPrompt();
        rl_on_new_line();
        rl_redisplay();
      }
      continue;
    }
    rl_callback_read_char();
  }
  sigaction(SIGINT, &old, nullptr);
  for (int& fd : g_wake) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  // write_history rewrites the file with the (stifled) list: at most 2000
  // entries, whole.
  if (!history.empty()) write_history(history.c_str());
  g_client = nullptr;
  return 0;
}

std::atomic<bool>* StartStatement() {
  g_cancel.store(false);
  g_running.store(true);
  return &g_cancel;
}

void EndStatement() {
  g_running.store(false);
  g_cancel.store(false);
}

size_t TerminalWidth() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 120;
}

}  // namespace kg::cli
