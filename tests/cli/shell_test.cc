// The `kg` binary as people use it: the interactive shell driven through a
// pseudo-terminal (completion, history, multi-line input, Ctrl-C, .mode,
// .timer), pipe mode and -c with their exit codes, and several processes on
// one store (an ingest job writing while a shell reads; a second writer).
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/shell.h"
#include "gtest/gtest.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "query/lexer.h"
#include "tests/support/temp_dir.h"

namespace kg::cli {
namespace {

using namespace std::chrono_literals;

// A child process on a pseudo-terminal.
class Pty {
 public:
  Pty(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    winsize ws{};
    ws.ws_row = 40;
    ws.ws_col = 160;
    pid_ = forkpty(&fd_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Pty() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  void Send(const std::string& s) { ASSERT_EQ(write(fd_, s.data(), s.size()), static_cast<ssize_t>(s.size())); }

  // Reads until `want` appears in the output after the current mark; the
  // output up to and including it is consumed. False on timeout.
  bool Expect(const std::string& want, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const size_t at = out_.find(want, mark_);
      if (at != std::string::npos) {
        mark_ = at + want.size();
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof(buf));
      if (n <= 0) return out_.find(want, mark_) != std::string::npos;
      out_.append(buf, n);
    }
  }
  // Everything read since the last Expect.
  std::string Rest() const { return out_.substr(mark_); }
  const std::string& all() const { return out_; }

  int Wait() {
    // Drain output so the child is not blocked writing; wait up to 10 s.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      Expect("\x01\x02never", 20ms);
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string out_;
  size_t mark_ = 0;
};

// Runs a command line with `input` on stdin; returns exit code, stdout, stderr.
struct Ran {
  int code;
  std::string out, err;
};
Ran RunKg(const std::string& args, const std::string& input, const testing::TempDir& dir) {
  const std::string in = dir.Sub("stdin.txt"), out = dir.Sub("stdout.txt"), err = dir.Sub("stderr.txt");
  std::ofstream(in) << input;
  const int status = std::system(StrCat(KG_BINARY, " ", args, " <", in, " >", out, " 2>", err).c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

class ShellTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Sub("db");
    Ran r = RunKg(StrCat("ingest --db ", db_, " ", KG_SOURCE_DIR, "/examples/corpus"), "", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::unique_ptr<Pty> Shell() {
    return std::make_unique<Pty>(std::vector<std::string>{KG_BINARY, "shell", "--db", db_},
                                 std::vector<std::string>{"HOME=" + dir_.path(), "TERM=xterm",
                                                          "KG_HISTORY=" + dir_.Sub("history")});
  }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(ShellTest, MultiLineStatementsModesAndTimer) {
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  sh->Send("MATCH Tehran supplied ?what\r");
  ASSERT_TRUE(sh->Expect("   ...> ")) << sh->all();
  sh->Send("RETURN ?what ORDER BY ?what;\r");
  ASSERT_TRUE(sh->Expect(" ShahedDrone")) << sh->all();
  ASSERT_TRUE(sh->Expect("(2 rows)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".mode json\r");
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH Iran supplied ?w RETURN ?w ORDER BY ?w;\r");
  ASSERT_TRUE(sh->Expect("[{\"w\":\"Drones\"},")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".mode table\r");
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".timer on\r");
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("SOURCES OF (Iran supplied ShahedDrone);\r");
  ASSERT_TRUE(sh->Expect("2 independent source(s) support")) << sh->all();
  ASSERT_TRUE(sh->Expect("Run Time: real ")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH Irann supplied ?x RETURN ?x;\r");
  ASSERT_TRUE(sh->Expect("Error: column 7: unknown name 'Irann'")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".help\r");
  ASSERT_TRUE(sh->Expect(".mode table|json|csv|tree|dot")) << sh->all();
  // Keys are sent once the prompt is back (the terminal is in raw mode
  // again; a Ctrl-D typed while output is printing is the tty's, not ours).
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x04");  // Ctrl-D
  EXPECT_EQ(sh->Wait(), 0) << sh->all();
}

TEST_F(ShellTest, TabCompletesNamesAndHistoryPersists) {
  {
    auto sh = Shell();
    ASSERT_TRUE(sh->Expect("kg> "));
    sh->Send("MATCH ?who supplied ShahedD\t");
    ASSERT_TRUE(sh->Expect("ShahedDrone")) << sh->all();
    sh->Send("RETURN ?who ORDER BY ?who;\r");
    ASSERT_TRUE(sh->Expect(" Iran")) << sh->all();
    ASSERT_TRUE(sh->Expect("(2 rows)")) << sh->all();
    ASSERT_TRUE(sh->Expect("kg> "));
    sh->Send(".qu\t\r");  // dot-commands complete too
    EXPECT_EQ(sh->Wait(), 0) << sh->all();
  }
  std::ifstream history(dir_.Sub("history"));
  const std::string saved((std::istreambuf_iterator<char>(history)), {});
  EXPECT_NE(saved.find("MATCH ?who supplied ShahedDrone RETURN ?who ORDER BY ?who;"), std::string::npos)
      << saved;
  // A new session recalls it with the up arrow (twice: .quit came last).
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x1b[A\x1b[A");
  ASSERT_TRUE(sh->Expect("RETURN ?who ORDER BY ?who;")) << sh->all();
  sh->Send("\r");
  ASSERT_TRUE(sh->Expect("(2 rows)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x04");
  EXPECT_EQ(sh->Wait(), 0);
}

TEST_F(ShellTest, CtrlCCancelsTheRunningStatementAndKeepsTheSession) {
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> "));
  // 410^3 rows to count: runs for seconds unless cancelled.
  sh->Send("MATCH ?a ?b ?c, ?d ?e ?f, ?g ?h ?i RETURN COUNT(*);\r");
  // Once readline has taken the line (echoed with its newline), the
  // statement is running.
  ASSERT_TRUE(sh->Expect("RETURN COUNT(*);\r\n")) << sh->all();
  std::this_thread::sleep_for(500ms);
  sh->Send("\x03");
  ASSERT_TRUE(sh->Expect("Error: interrupted: the statement was cancelled", 5s)) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  // Ctrl-C at the prompt drops the pending statement, not the session.
  sh->Send("MATCH Iran supplied\r");
  ASSERT_TRUE(sh->Expect("   ...> "));
  sh->Send("\x03");
  ASSERT_TRUE(sh->Expect("^C")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH Iran supplied ?x RETURN COUNT(*) AS n;\r");
  ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x04");
  EXPECT_EQ(sh->Wait(), 0);
}

TEST_F(ShellTest, PipeModeReportsErrorsNearTheirLineAndBailStops) {
  Ran r = RunKg(StrCat("shell --db ", db_),
                "-- a script\nMATCH Iran supplied ?x\n  RETURN ?x ORDER BY ?x;\n"
                "MATCH ?x suplied ?y RETURN ?x;\nSOURCES OF (Iran supplied ShahedDrone);\n",
                dir_);
  EXPECT_EQ(r.code, 1);  // an error happened
  EXPECT_NE(r.out.find(" ShahedDrone"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 independent source(s) support"), std::string::npos) << r.out;  // went on
  EXPECT_EQ(r.err,
            "Error: near line 4: column 10: unknown predicate 'suplied': no claim uses it (did you "
            "mean supplied?)\n"
            "  MATCH ?x suplied ?y RETURN ?x;\n"
            "           ^\n");

  Ran bail = RunKg(StrCat("shell --db ", db_),
                   ".bail on\nMATCH ?x RETURN ?x;\nSOURCES OF (Iran supplied ShahedDrone);\n", dir_);
  EXPECT_EQ(bail.code, 1);
  EXPECT_EQ(bail.out, "");  // stopped at the first error
  EXPECT_NE(bail.err.find("Error: near line 2: column 10: expected a predicate"), std::string::npos)
      << bail.err;

  Ran ok = RunKg(StrCat("shell --db ", db_), ".mode csv\nMATCH Iran supplied ?x RETURN ?x ORDER BY ?x;\n", dir_);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "x\r\nDrones\r\nShahedDrone\r\n");

  // A statement left open at the end of the input is an error where its
  // ';' is missing, not dropped.
  Ran missing = RunKg(StrCat("shell --db ", db_), "MATCH Iran supplied ?x\n  RETURN ?x\n\n", dir_);
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err,
            "Error: near line 2: column 12: statement not ended by ';' at the end of the input\n"
            "    RETURN ?x\n"
            "             ^\n");
}

// The regression of issue 19: an unclosed quote swallowed the statements
// after it, printing nothing and exiting 0.
TEST_F(ShellTest, AnUnclosedQuoteIsAnErrorAndTheNextStatementStillRuns) {
  const std::string script =
      "MATCH Iran supplied ?x WHERE ?x = \"Iran RETURN ?x;\n"
      "MATCH Iran supplied ?x RETURN ?x ORDER BY ?x;\n";
  Ran r = RunKg(StrCat("shell --db ", db_), script, dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, " x\n------------\n Drones\n ShahedDrone\n(2 rows)\n");
  EXPECT_EQ(r.err,
            "Error: near line 1: column 35: unterminated string: expected a closing \"\n"
            "  MATCH Iran supplied ?x WHERE ?x = \"Iran RETURN ?x;\n"
            "                                    ^\n");
  // The same from -c, and a quoted name.
  Ran c =
      RunKg(StrCat("shell --db ", db_, " -c '", script, "MATCH `Iran supplied ?x;\n'"), "", dir_);
  EXPECT_EQ(c.code, 1);
  EXPECT_EQ(c.out, r.out);
  EXPECT_NE(c.err.find("Error: near line 1: column 35: unterminated string"), std::string::npos)
      << c.err;
  EXPECT_NE(c.err.find("Error: near line 3: column 7: unterminated quoted name"),
            std::string::npos)
      << c.err;
  // A ';' inside a string, quoted name or comment does not end a statement.
  Ran inside = RunKg(StrCat("shell --db ", db_, " --mode csv"),
                     "MATCH ?x supplied ?y -- ; not here\n"
                     "WHERE ?y != \"a;b\" AND ?x != `c;d` RETURN COUNT(*) AS n;\n",
                     dir_);
  EXPECT_EQ(inside.code, 0) << inside.err;
  EXPECT_NE(inside.out.find("n\r\n"), std::string::npos) << inside.out;
}

TEST_F(ShellTest, ErrorsNameTheLineOfTheInputAndPointAtTheColumn) {
  // Comment and blank lines before a statement count; the error is on the
  // statement's second line.
  Ran r = RunKg(StrCat("shell --db ", db_),
                "-- a script\n\nMATCH ?x\n\tsuplied ?y RETURN ?x;\n"
                "MATCH Iran supplied ?x RETURN ?x; MATCH Irann supplied ?y RETURN ?y;\n",
                dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error: near line 4: column 2: unknown predicate 'suplied': no claim uses it (did you "
            "mean supplied?)\n"
            "  \tsuplied ?y RETURN ?x;\n"
            "  \t^\n"
            "Error: near line 5: column 41: unknown name 'Irann': no entity or alias is called "
            "that (did you mean Iran?)\n"
            "  MATCH Iran supplied ?x RETURN ?x; MATCH Irann supplied ?y RETURN ?y;\n"
            "                                          ^\n");
  // .explain runs "EXPLAIN " + the statement: columns are still the user's.
  Ran e =
      RunKg(StrCat("shell --db ", db_), ".explain on\nMATCH Irann supplied ?x RETURN ?x;\n", dir_);
  EXPECT_NE(e.err.find("Error: near line 2: column 7: unknown name 'Irann'"), std::string::npos)
      << e.err;
  EXPECT_NE(e.err.find("\n        ^\n"), std::string::npos) << e.err;
}

TEST_F(ShellTest, CommandMayOmitTheLastSemicolon) {
  for (const char* command : {"MATCH Iran supplied ?x RETURN COUNT(*) AS n",
                              "MATCH Iran supplied ?x RETURN COUNT(*) AS n -- how many",
                              "MATCH Iran supplied ?x\nRETURN COUNT(*) AS n\n",
                              ".mode table\nMATCH Iran supplied ?x RETURN COUNT(*) AS n;"}) {
    Ran r = RunKg(StrCat("shell --db ", db_, " --mode csv -c '", command, "'"), "", dir_);
    EXPECT_EQ(r.code, 0) << command << "\n" << r.err;
    EXPECT_TRUE(r.out == "n\r\n2\r\n" || r.out == " n\n--\n 2\n(1 row)\n")
        << command << "\n" << r.out;
  }
  // Only the last: an earlier statement without ';' runs into the next one.
  Ran two = RunKg(StrCat("shell --db ", db_, " -c 'MATCH Iran supplied ?x RETURN ?x\nMATCH ?y'"),
                  "", dir_);
  EXPECT_EQ(two.code, 1);
  EXPECT_NE(two.err.find("Error: near line 2: column 1: "), std::string::npos) << two.err;
}

TEST_F(ShellTest, OutputThatIsNotATerminalIsNeverCut) {
  const std::string quote =
      "it is now capable of manufacturing up to 2,700 Iranian- designed Shahed drones a month "
      "inside Russia";
  Ran r = RunKg(StrCat("shell --db ", db_),
                ".width\nSEARCH \"2,700 Iranian\";\n.width 60\n.width\nSEARCH \"2,700 Iranian\";\n"
                ".width 0\n.width\nSEARCH \"2,700 Iranian\";\n.width auto\n.width\n",
                dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  const size_t first = r.out.find("width: auto (no limit: output is not a terminal)\n");
  ASSERT_NE(first, std::string::npos) << r.out;
  const size_t narrow = r.out.find("width: 60 columns\n", first);
  ASSERT_NE(narrow, std::string::npos) << r.out;
  const size_t unlimited = r.out.find("width: 0 (no limit)\n", narrow);
  ASSERT_NE(unlimited, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("width: auto (no limit: output is not a terminal)\n", unlimited),
            std::string::npos)
      << r.out;
  // Whole by default and with .width 0; cut to 60 columns with .width 60.
  EXPECT_LT(r.out.find(quote, first), narrow) << r.out;
  EXPECT_EQ(r.out.substr(narrow, unlimited - narrow).find(quote), std::string::npos) << r.out;
  EXPECT_NE(r.out.substr(narrow, unlimited - narrow).find("…"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(quote, unlimited), std::string::npos) << r.out;
  Ran bad = RunKg(StrCat("shell --db ", db_), ".width wide\n", dir_);
  EXPECT_EQ(bad.err, "Error: near line 1: expected .width N, 0 (no limit) or auto\n");
}

TEST_F(ShellTest, DotCommandsReadSchemaExplainAndOpen) {
  std::ofstream(dir_.Sub("script.kgq")) << "-- from .read\nMATCH Iran supplied ?x\n"
                                           "RETURN COUNT(*) AS n;\nMATCH nope;\n";
  Ran r = RunKg(StrCat("shell --db ", db_),
                StrCat(".read ", dir_.Sub("script.kgq"), "\n.schema\n.explain on\n",
                       "MATCH ?x member_of CRINK, ?x supplied ?w RETURN ?w;\n.explain off\n",
                       ".stats\n.open ", dir_.Sub("nothing"), "\n.frobnicate\n"),
                dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(" 2\n(1 row)"), std::string::npos) << r.out;  // .read ran the file
  // Errors in a .read file name the file and its line.
  EXPECT_NE(r.err.find(StrCat("Error: near line 4 of ", dir_.Sub("script.kgq"), ": column 11: expected a predicate")),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find(" supplies_munitions_to "), std::string::npos) << r.out;  // .schema
  EXPECT_NE(r.out.find("entity types:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| scan     | (?x member_of CRINK) | POS (bound: po)"), std::string::npos)
      << r.out;  // .explain
  EXPECT_NE(r.out.find("documents  3\nclaims     410"), std::string::npos) << r.out;  // .stats
  EXPECT_NE(r.err.find("no store at"), std::string::npos) << r.err;                   // .open
  EXPECT_NE(r.err.find("unknown command .frobnicate (.help lists them)"), std::string::npos) << r.err;
}

TEST_F(ShellTest, VerifyAndTraceCommands) {
  Ran v = RunKg(StrCat("verify --db ", db_), "", dir_);
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("verified: 3 documents, 548 quotes checked"), std::string::npos) << v.out;
  Ran t = RunKg(StrCat("trace --db ", db_, " Iran supplied ShahedDrone"), "", dir_);
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("claim << Iran supplied ShahedDrone >> evidence=2"), std::string::npos) << t.out;
  Ran q = RunKg(StrCat("trace --db ", db_, " --format dot \"half of Russia's munitions\""), "", dir_);
  EXPECT_EQ(q.code, 0) << q.err;
  EXPECT_NE(q.out.find("agent\\nUkrainianOfficials\\n[primary source]"), std::string::npos) << q.out;
}

TEST_F(ShellTest, CommandOptionRunsAndExits) {
  Ran r = RunKg(StrCat("shell --db ", db_, " --mode csv -c 'MATCH Iran supplied ?x RETURN COUNT(*) AS n'"), "",
                dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "n\r\n2\r\n");
  Ran bad = RunKg(StrCat("shell --db ", db_, " -c 'MATCH'"), "", dir_);
  EXPECT_EQ(bad.code, 1);
  Ran usage = RunKg("shell --no-such-flag", "", dir_);
  EXPECT_EQ(usage.code, 2);
  Ran nostore = RunKg(StrCat("shell --db ", dir_.Sub("nothing"), " -c 'MATCH ?a ?b ?c RETURN ?a;'"), "", dir_);
  EXPECT_EQ(nostore.code, 1);
  EXPECT_NE(nostore.err.find("no store at"), std::string::npos) << nostore.err;
}

TEST_F(ShellTest, AShellSeesWhatAnIngestInAnotherProcessCommits) {
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH ?d publisher ?p WHERE ?p = \"Late Wire\" RETURN ?d;\r");
  ASSERT_TRUE(sh->Expect("(0 rows)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  // While the shell is open, another process ingests a new document.
  std::ofstream(dir_.Sub("late.kga"))
      << "@doc late-2026\n@title Late news\n@cites wire: doc:late-wire\n"
         "@source doc:late-wire ; publisher Late Wire\n"
         "[[A wire report]]{#wire} says [[Iran supplied Shahed drones]]{#l1}.\n"
         "@claim l1: Iran supplied ShahedDrone ; hedge reported ; via doc:late-wire\n";
  Ran ingest = RunKg(StrCat("ingest --db ", db_, " ", dir_.Sub("late.kga")), "", dir_);
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  // The next statement sees it, without reopening the shell.
  sh->Send("MATCH ?d publisher ?p WHERE ?p = \"Late Wire\" RETURN ?d;\r");
  ASSERT_TRUE(sh->Expect(" doc:late-wire")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("SOURCES OF (Iran supplied ShahedDrone);\r");
  ASSERT_TRUE(sh->Expect("3 independent source(s) support")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".refresh\r");
  ASSERT_TRUE(sh->Expect("up to date: 4 documents")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send(".quit\r");
  EXPECT_EQ(sh->Wait(), 0);
}

TEST_F(ShellTest, ASecondWriterIsToldWhoHoldsTheLock) {
  auto writer = Store::Open(db_, {});
  ASSERT_TRUE(writer.ok()) << writer.status();
  Ran r = RunKg(StrCat("ingest --db ", db_, " ", KG_SOURCE_DIR, "/examples/corpus"), "", dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(StrCat("is open for writing by process ", getpid(), " (")), std::string::npos)
      << r.err;
  // Readers are not blocked by the writer.
  Ran q = RunKg(StrCat("query --db ", db_, " 'MATCH Iran supplied ?x RETURN COUNT(*) AS n;' --format csv"),
                "", dir_);
  EXPECT_EQ(q.code, 0) << q.err;
  EXPECT_EQ(q.out, "n\r\n2\r\n");
  Ran stats = RunKg(StrCat("stats --db ", db_), "", dir_);
  EXPECT_EQ(stats.code, 0) << stats.err;
}

// The interactive side of the same fixes, on a terminal.
TEST_F(ShellTest, OnATerminalAnUnclosedQuoteIsReportedAtOnceWithACaret) {
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  sh->Send("MATCH Iran supplied ?x WHERE ?x = \"Iran RETURN ?x;\r");
  ASSERT_TRUE(sh->Expect("Error: column 35: unterminated string: expected a closing \"\r\n"
                         "  MATCH Iran supplied ?x WHERE ?x = \"Iran RETURN ?x;\r\n"
                         "                                    ^\r\n"))
      << sh->all();
  // Not waiting for more: the prompt is the first-line one.
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  EXPECT_EQ(sh->Rest().find("...>"), std::string::npos) << sh->all();
  // A statement over several lines: errors name its line.
  sh->Send("MATCH ?x\r");
  ASSERT_TRUE(sh->Expect("   ...> ")) << sh->all();
  sh->Send("  suplied ?y RETURN ?x;\r");
  ASSERT_TRUE(sh->Expect("Error: line 2, column 3: unknown predicate 'suplied'")) << sh->all();
  ASSERT_TRUE(sh->Expect("    suplied ?y RETURN ?x;\r\n    ^\r\n")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  sh->Send(".width\r");
  ASSERT_TRUE(sh->Expect("width: auto (the terminal's: ")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  // Ctrl-D inside a statement reports it, and the exit code says so.
  sh->Send("MATCH Iran supplied ?x\r");
  ASSERT_TRUE(sh->Expect("   ...> ")) << sh->all();
  sh->Send("\x04");
  ASSERT_TRUE(sh->Expect("Error: column 23: statement not ended by ';' at the end of the input\r\n"
                         "  MATCH Iran supplied ?x\r\n"
                         "                        ^\r\n"))
      << sh->all();
  EXPECT_EQ(sh->Wait(), 1) << sh->all();
}

TEST_F(ShellTest, AStatementOfSeveralLinesIsOneHistoryEntry) {
  {
    auto sh = Shell();
    ASSERT_TRUE(sh->Expect("kg> "));
    sh->Send("MATCH ?who supplied ShahedDrone\r");
    ASSERT_TRUE(sh->Expect("   ...> "));
    sh->Send("  -- a comment; not the end\r");
    ASSERT_TRUE(sh->Expect("   ...> "));
    sh->Send("RETURN COUNT(*) AS n;\r");
    ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
    ASSERT_TRUE(sh->Expect("kg> "));
    // One up arrow brings back the whole statement, and it runs again.
    sh->Send("\x1b[A");
    ASSERT_TRUE(sh->Expect("RETURN COUNT(*) AS n;")) << sh->all();
    sh->Send("\r");
    ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
    ASSERT_TRUE(sh->Expect("kg> "));
    // A statement abandoned with Ctrl-C is kept, to recall and fix.
    sh->Send("MATCH Iran supplied\r");
    ASSERT_TRUE(sh->Expect("   ...> "));
    sh->Send("\x03");
    ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
    sh->Send(".quit\r");
    EXPECT_EQ(sh->Wait(), 0) << sh->all();
  }
  std::ifstream history(dir_.Sub("history"));
  const std::string saved((std::istreambuf_iterator<char>(history)), {});
  EXPECT_NE(saved.find("\nMATCH ?who supplied ShahedDrone\n  -- a comment; not the end\n"
                       "RETURN COUNT(*) AS n;\n#"),
            std::string::npos)
      << saved;
  EXPECT_NE(saved.find("\nMATCH Iran supplied\n#"), std::string::npos) << saved;
  // Read back as one entry: three up arrows (.quit, the abandoned one).
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x1b[A\x1b[A\x1b[A");
  ASSERT_TRUE(sh->Expect("RETURN COUNT(*) AS n;")) << sh->all();
  sh->Send("\r");
  ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("\x04");
  EXPECT_EQ(sh->Wait(), 0) << sh->all();
}

TEST_F(ShellTest, TabCompletesAliases) {
  auto sh = Shell();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH Tehr\t");
  ASSERT_TRUE(sh->Expect("Tehran ")) << sh->all();
  sh->Send("supplied ?x RETURN COUNT(*) AS n;\r");
  ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  // An alias with a space completes inside backquotes, which it needs.
  sh->Send("MATCH `Islamic R\t");
  ASSERT_TRUE(sh->Expect("Islamic Republic of Iran` ")) << sh->all();
  sh->Send("supplied ?x RETURN COUNT(*) AS n;\r");
  ASSERT_TRUE(sh->Expect(" 2\r\n(1 row)")) << sh->all();
  ASSERT_TRUE(sh->Expect("kg> "));
  sh->Send("MATCH ?x supplies_munitions_to ?y WHERE ?x = Pyongy\t");
  ASSERT_TRUE(sh->Expect("Pyongyang ")) << sh->all();
  sh->Send("\x03");
  ASSERT_TRUE(sh->Expect("kg> ")) << sh->all();
  sh->Send("\x04");
  EXPECT_EQ(sh->Wait(), 0) << sh->all();
}

// query::SplitStatements, which decides where the shell's statements end.
TEST(SplitStatementsTest, EndsAtSemicolonsOutsideStringsNamesIrisAndComments) {
  struct Case {
    std::string text;
    std::vector<std::string> spans;  // each span's text; "+" prefix: ended
    std::string error;               // the status of the first span that has one
  };
  const Case cases[] = {
      {"MATCH a b c RETURN a;", {"+MATCH a b c RETURN a;"}, ""},
      {"  SEARCH \"a;b\"; MATCH x", {"+SEARCH \"a;b\";", "MATCH x"}, ""},
      {"MATCH `x;` b c -- d;", {"MATCH `x;` b c"}, ""},
      {"MATCH <http://a.org/x;y> b c;", {"+MATCH <http://a.org/x;y> b c;"}, ""},
      {"SEARCH \"a\\\";\";;", {"+SEARCH \"a\\\";\";", "+;"}, ""},
      {"SEARCH \"a\\q;\"; x", {"+SEARCH \"a\\q;\";", "x"}, ""},  // the escape is Lex()'s error
      {"MATCH a ~ b;", {"+MATCH a ~ b;"}, ""},
      {"", {}, ""},
      {"  -- MATCH a;\n\n", {}, ""},
      // A string cannot span lines: one left open ends its statement with
      // the line, with the lexer's error.
      {"MATCH ?x WHERE ?x = \"Iran RETURN ?x;\nMATCH y;",
       {"+MATCH ?x WHERE ?x = \"Iran RETURN ?x;\n", "+MATCH y;"},
       "1:21: unterminated string: expected a closing \""},
      {"MATCH a\n  b `c",
       {"+MATCH a\n  b `c"},
       "2:5: unterminated quoted name: expected a closing `"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::vector<query::StatementSpan> spans = query::SplitStatements(c.text);
    std::vector<std::string> got;
    std::string error;
    for (const query::StatementSpan& s : spans) {
      got.push_back((s.ended ? "+" : "") + c.text.substr(s.begin, s.end - s.begin));
      if (!s.status.ok() && error.empty()) error = std::string(s.status.message());
    }
    EXPECT_EQ(got, c.spans);
    EXPECT_EQ(error, c.error);
  }
  const auto spans = query::SplitStatements("MATCH a;\n  MATCH b");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].pos.line, 2);
  EXPECT_EQ(spans[1].pos.col, 3);
}

TEST(PointAtTest, PutsACaretUnderTheColumn) {
  EXPECT_EQ(PointAt("MATCH Irann x;", 7), "  MATCH Irann x;\n        ^\n");
  EXPECT_EQ(PointAt("\tMATCH x", 3), "  \tMATCH x\n  \t ^\n");  // tabs kept
  EXPECT_EQ(PointAt("SEARCH \"Ελλάδα\" x", 17), "  SEARCH \"Ελλάδα\" x\n                  ^\n");
  EXPECT_EQ(PointAt("abc", 4), "  abc\n     ^\n");  // just past the end
  const std::string shown = PointAt(std::string(300, 'a'), 200);
  EXPECT_EQ(shown, StrCat("  …", std::string(120, 'a'), "…\n  ", std::string(61, ' '), "^\n"));
}

}  // namespace
}  // namespace kg::cli
