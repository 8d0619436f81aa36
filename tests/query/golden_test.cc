// Data-driven golden tests of the query language, in the spirit of
// sqllogictest. Each file in tests/query/golden/*.test is a script:
//
//   # a comment
//   load corpus                  (the sample corpus, examples/corpus)
//   load fixture cycle.kga       (tests/query/fixtures/..., .kgv first)
//   restart                      (close and reopen the store)
//   set max_rows 10              (limits for the records below; also
//   set timeout_ms 0              timeout_ms; "set defaults" restores them)
//
//   statement ok                 the statement runs without error
//   MATCH ... ;
//
//   statement error <text>       it fails and the message contains <text>
//   MATCH ... ;
//
//   query [rowsort]              the rows, cells joined by " | ", NULL for
//   MATCH ... ;                  null; "rowsort" sorts both sides first
//   ----
//   Iran | ShahedDrone
//
//   query tree                   the TRACE tree as `kg query --format tree`
//   TRACE ... ;                  draws it (no width limit)
//   ----
//   claim << ... >>
//
//   explain                      the EXPLAIN rows of the statement
//   MATCH ... ;
//   ----
//   1 | scan | ...
//
// With KG_GOLDEN_ACTUAL=DIR in the environment, the runner also writes each
// file to DIR with the actual rows in place of the expected ones, to review
// with diff when a planned change alters results.
//
// A record ends at a blank line. Each record is its own GoogleTest named
// after the file and line, so ctest names the failing case. Directives are
// not tests: before a record runs, the directives above it that this process
// has not applied yet are applied in order (ctest runs every case in a
// process of its own; a plain run of the binary shares one store per file).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/render.h"
#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "kg/store.h"
#include "query/query.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;

struct Record {
  enum class Kind { kLoadCorpus, kLoadFixture, kRestart, kSet, kOk, kError, kQuery, kTree, kExplain };
  Kind kind;
  int line = 0;
  std::string arg;  // error text, fixture names
  bool rowsort = false;
  std::string statement;
  std::vector<std::string> expected;
};

// One store per golden file, shared by its records in order.
class FileState {
 public:
  FileState(std::vector<Record> directives, bool bulk)
      : directives_(std::move(directives)), bulk_(bulk) {}
  kg::Store* store() { return store_.get(); }
  // Closes the store (before static destruction, which RocksDB does not survive).
  void Close() { store_.reset(); }
  // Applies directives [applied, count).
  void Prepare(size_t count, const std::string& dir);
  const std::string& path() const { return dir_.path(); }

  void Open() {
    store_.reset();
    auto s = kg::Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  void Load(const std::vector<std::string>& paths) {
    if (!store_) Open();
    std::ostringstream err, progress;
    kg::ingest::IngestOptions options;
    // The bulk path into an empty store; later loads go document by document.
    options.bulk = bulk_ && store_->NewSnapshot()->Totals()->documents == 0;
    auto summary = kg::ingest::IngestPaths(*store_, paths, options, err, progress);
    ASSERT_TRUE(summary.ok()) << summary.status();
    ASSERT_TRUE(summary->ok()) << err.str();
  }

 private:
  kg::testing::TempDir dir_;
  std::unique_ptr<kg::Store> store_;
  std::vector<Record> directives_;
  bool bulk_ = false;
  size_t applied_ = 0;
  kg::query::QueryOptions options_;

 public:
  const kg::query::QueryOptions& options() const { return options_; }
};

void FileState::Prepare(size_t count, const std::string& dir) {
  if (!store_) Open();
  for (; applied_ < count; ++applied_) {
    const Record& r = directives_[applied_];
    switch (r.kind) {
      case Record::Kind::kLoadCorpus:
        Load({std::string(KG_SOURCE_DIR) + "/examples/corpus"});
        break;
      case Record::Kind::kLoadFixture: {
        std::vector<std::string> paths;
        for (absl::string_view name : absl::StrSplit(r.arg, ' ', absl::SkipEmpty())) {
          paths.push_back(dir + "/../fixtures/" + std::string(name));
        }
        Load(paths);
        break;
      }
      case Record::Kind::kRestart:
        Open();
        break;
      case Record::Kind::kSet: {
        std::vector<std::string> parts = absl::StrSplit(r.arg, ' ', absl::SkipEmpty());
        if (parts.size() == 1 && parts[0] == "defaults") {
          options_ = {};
        } else if (parts.size() == 2 && parts[0] == "max_rows") {
          options_.max_rows = std::stoull(parts[1]);
        } else if (parts.size() == 2 && parts[0] == "timeout_ms") {
          options_.timeout = absl::Milliseconds(std::stoll(parts[1]));
        } else {
          ADD_FAILURE() << "line " << r.line << ": unknown setting: " << r.arg;
        }
        break;
      }
      default: break;
    }
  }
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<Record> ParseFile(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(Trim(l));
  std::vector<Record> out;
  size_t i = 0;
  auto fail = [&](const std::string& msg) {
    std::cerr << path << ":" << i + 1 << ": " << msg << "\n";
    std::exit(2);
  };
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (l.empty() || l[0] == '#') {
      ++i;
      continue;
    }
    Record r;
    r.line = static_cast<int>(i + 1);
    if (l == "load corpus") {
      r.kind = Record::Kind::kLoadCorpus;
      out.push_back(r);
      ++i;
      continue;
    }
    if (absl::StartsWith(l, "load fixture ")) {
      r.kind = Record::Kind::kLoadFixture;
      r.arg = l.substr(13);
      out.push_back(r);
      ++i;
      continue;
    }
    if (absl::StartsWith(l, "set ")) {
      r.kind = Record::Kind::kSet;
      r.arg = l.substr(4);
      out.push_back(r);
      ++i;
      continue;
    }
    if (l == "restart") {
      r.kind = Record::Kind::kRestart;
      out.push_back(r);
      ++i;
      continue;
    }
    if (l == "statement ok") {
      r.kind = Record::Kind::kOk;
    } else if (absl::StartsWith(l, "statement error")) {
      r.kind = Record::Kind::kError;
      r.arg = l.size() > 16 ? l.substr(16) : "";
    } else if (l == "query" || l == "query rowsort") {
      r.kind = Record::Kind::kQuery;
      r.rowsort = l == "query rowsort";
    } else if (l == "query tree") {
      r.kind = Record::Kind::kTree;
    } else if (l == "explain") {
      r.kind = Record::Kind::kExplain;
    } else {
      fail("expected a record header (statement ok, statement error, query, explain, load, restart), found: " + l);
    }
    ++i;
    std::vector<std::string> stmt;
    while (i < lines.size() && !lines[i].empty() && lines[i] != "----") stmt.push_back(lines[i++]);
    if (stmt.empty()) fail("record without a statement");
    r.statement = absl::StrJoin(stmt, "\n");
    const bool wants_rows = r.kind == Record::Kind::kQuery || r.kind == Record::Kind::kTree ||
                            r.kind == Record::Kind::kExplain;
    if (i < lines.size() && lines[i] == "----") {
      if (!wants_rows) fail("'----' after a statement record");
      ++i;
      while (i < lines.size() && !lines[i].empty()) r.expected.push_back(lines[i++]);
    } else if (wants_rows) {
      // no rows expected: the record must still have '----'
      fail("query/explain record needs a '----' line (followed by the expected rows, if any)");
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string CellText(const kg::query::Cell& c) {
  return c.type == kg::query::Cell::Type::kNull ? "NULL" : c.text;
}

std::vector<std::string> RowLines(const kg::query::Result& r) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (const auto& c : row) {
      std::string t = CellText(c);
      std::replace(t.begin(), t.end(), '\n', ' ');
      cells.push_back(Trim(t));
    }
    out.push_back(Trim(absl::StrJoin(cells, " | ")));
  }
  return out;
}

// (file, line) -> actual rows, for KG_GOLDEN_ACTUAL.
std::map<std::pair<std::string, int>, std::vector<std::string>>& Actuals() {
  static auto* m = new std::map<std::pair<std::string, int>, std::vector<std::string>>();
  return *m;
}

void WriteActual(const std::string& file, const std::string& out_dir) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::ofstream out(out_dir + "/" + fs::path(file).filename().string());
  int record_line = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StartsWith(lines[i], "query") || lines[i] == "explain") {
      record_line = static_cast<int>(i + 1);
    }
    out << lines[i] << "\n";
    if (lines[i] != "----") continue;
    auto it = Actuals().find({file, record_line});
    if (it == Actuals().end()) continue;
    for (const std::string& row : it->second) out << row << "\n";
    while (i + 1 < lines.size() && !lines[i + 1].empty()) ++i;
  }
}

class GoldenTest : public ::testing::Test {
 public:
  GoldenTest(std::shared_ptr<FileState> state, std::string dir, std::string file, Record record,
             size_t setup)
      : state_(std::move(state)), dir_(std::move(dir)), file_(std::move(file)),
        record_(std::move(record)), setup_(setup) {}

  void TestBody() override {
    const Record& r = record_;
    ASSERT_NO_FATAL_FAILURE(state_->Prepare(setup_, dir_));
    kg::query::Session session(state_->store());
    const std::string text = r.kind == Record::Kind::kExplain ? "EXPLAIN " + r.statement : r.statement;
    auto results = session.Run(text, state_->options());
    if (r.kind == Record::Kind::kError) {
      ASSERT_FALSE(results.ok()) << "expected an error containing '" << r.arg << "'";
      EXPECT_TRUE(absl::StrContains(results.status().message(), r.arg))
          << "error was: " << results.status().message() << "\nexpected it to contain: " << r.arg;
      return;
    }
    ASSERT_TRUE(results.ok()) << results.status();
    ASSERT_EQ(results->size(), 1u) << "a record holds exactly one statement";
    const kg::query::Result& result = results->front();
    if (r.kind == Record::Kind::kOk) return;
    std::vector<std::string> actual;
    if (r.kind == Record::Kind::kTree) {
      std::ostringstream out;
      kg::cli::RenderOptions o;
      o.format = kg::cli::Format::kTree;
      o.width = 100000;
      o.footer = false;
      kg::cli::Render(result, o, out);
      for (absl::string_view l : absl::StrSplit(out.str(), '\n', absl::SkipEmpty())) {
        actual.push_back(Trim(std::string(l)));
      }
    } else {
      actual = RowLines(result);
    }
    Actuals()[{file_, r.line}] = actual;
    std::vector<std::string> expected = r.expected;
    if (r.rowsort) {
      std::sort(actual.begin(), actual.end());
      std::sort(expected.begin(), expected.end());
    }
    EXPECT_EQ(absl::StrJoin(expected, "\n"), absl::StrJoin(actual, "\n"))
        << "statement: " << r.statement;
  }

 private:
  std::shared_ptr<FileState> state_;
  std::string dir_;
  std::string file_;
  Record record_;
  size_t setup_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const std::string dir = std::string(KG_SOURCE_DIR) + "/tests/query/golden";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".test") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::shared_ptr<FileState>> states;
  for (const fs::path& file : files) {
    std::vector<Record> records = ParseFile(file.string());
    std::vector<Record> directives;
    for (const Record& r : records) {
      if (r.kind == Record::Kind::kLoadCorpus || r.kind == Record::Kind::kLoadFixture ||
          r.kind == Record::Kind::kRestart || r.kind == Record::Kind::kSet) {
        directives.push_back(r);
      }
    }
    // Every file runs twice: on a store written document by document, and
    // on one built by the bulk loader -- the answers must be the same.
    for (bool bulk : {false, true}) {
      auto state = std::make_shared<FileState>(directives, bulk);
      states.push_back(state);
      const std::string suite = (bulk ? "GoldenBulk_" : "Golden_") + file.stem().string();
      size_t setup = 0;
      for (const Record& r : records) {
        if (r.kind == Record::Kind::kLoadCorpus || r.kind == Record::Kind::kLoadFixture ||
            r.kind == Record::Kind::kRestart || r.kind == Record::Kind::kSet) {
          ++setup;
          continue;
        }
        const std::string name = "line" + std::to_string(r.line);
        ::testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, file.c_str(), r.line,
                                [state, dir, file, r, setup]() -> ::testing::Test* {
                                  return new GoldenTest(state, dir, file.string(), r, setup);
                                });
      }
    }
  }
  const int rc = RUN_ALL_TESTS();
  for (auto& s : states) s->Close();
  if (const char* out = std::getenv("KG_GOLDEN_ACTUAL"); out != nullptr) {
    for (const fs::path& file : files) WriteActual(file.string(), out);
  }
  return rc;
}
