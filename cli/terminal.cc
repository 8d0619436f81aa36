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

// GNU readline (Debian libreadline-dev); C headers that need stdio first.
#include <readline/history.h>
#include <readline/readline.h>

#include "absl/strings/match.h"

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

char* CompletionGenerator(const char* text, int state) {
  static size_t index;
  static std::string prefix;
  if (state == 0) {
    index = 0;
    prefix = text;
  }
  const auto& words = g_client->completions();
  while (index < words.size()) {
    const std::string& w = words[index++];
    if (w.size() >= prefix.size() &&
        absl::EqualsIgnoreCase(absl::string_view(w.data(), prefix.size()),
                               absl::string_view(prefix.data(), prefix.size()))) {
      return strdup(w.c_str());
    }
  }
  return nullptr;
}

char** Complete(const char* text, int /*start*/, int /*end*/) {
  rl_attempted_completion_over = 1;  // no file-name completion
  return rl_completion_matches(text, CompletionGenerator);
}

void SetPrompt() { rl_set_prompt(g_client->PendingInput() ? "   ...> " : "kg> "); }

void OnLine(char* line) {
  if (line == nullptr) {  // Ctrl-D
    g_quit = true;
    std::cout << "\n";
    return;
  }
  std::string text(line);
  if (!text.empty()) {
    HIST_ENTRY* last = history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
    if (last == nullptr || text != last->line) add_history(line);
  }
  free(line);
  if (!g_client->OnLine(text, ++g_line_no)) g_quit = true;
  SetPrompt();
}

}  // namespace

int RunTerminal(TerminalClient& client, const std::string& history) {
  g_client = &client;
  g_line_no = 0;
  using_history();
  stifle_history(2000);
  if (!history.empty()) read_history(history.c_str());
  rl_readline_name = "kg";
  rl_catch_signals = 0;  // Ctrl-C is ours: cancel the statement or the line
  rl_attempted_completion_function = Complete;
  rl_completer_word_break_characters = const_cast<char*>(" \t\n(),;=<>!");
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
        client.DiscardInput();
        rl_replace_line("", 0);
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
  rl_callback_handler_remove();
  sigaction(SIGINT, &old, nullptr);
  for (int& fd : g_wake) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  if (!history.empty()) {
    write_history(history.c_str());
    history_truncate_file(history.c_str(), 2000);
  }
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
