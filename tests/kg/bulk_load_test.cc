// The bulk loader builds exactly the store that document-by-document writes
// build (every column family byte for byte), and a load that does not
// commit leaves the store as it was.
#include "kg/bulk_load.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kg/keys.h"
#include "kg/str_cat.h"
#include "rocksdb/db.h"
#include "tests/support/doc_builder.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using testing::DocBuilder;
using testing::TempDir;
using testing::DumpStore;

// A corpus with what makes bulk loading hard: the same claim in several
// documents, appends, claims about claims, entities declared twice with
// different aliases, quotes with shared words.
struct Corpus {
  std::vector<DocumentWrite> writes;
  std::vector<std::pair<size_t, DocumentWrite>> appends;  // (after write i, more)
  std::vector<Entity> entities;
};

Corpus MakeCorpus(int docs, uint32_t seed) {
  std::mt19937 rng(seed);
  Corpus c;
  auto name = [&](const char* prefix, int n) { return StrCat(prefix, rng() % n); };
  for (int d = 0; d < docs; ++d) {
    DocBuilder b(StrCat("doc-", d));
    for (int k = 0; k < 20; ++k) b.Claim(name("E", 40), name("rel", 6), name("E", 40));
    const Term inner = Term::Claim(Term::Entity(name("E", 40)), Term::Entity("rel0"),
                                   Term::Entity(name("E", 40)));
    b.Claim(Term::Entity(name("E", 40)), Term::Entity("about"), inner, "a claim about a claim",
            Hedge::kReported);
    b.Link(Relation::kCites, Term::Document(StrCat("doc-", rng() % docs)));
    b.Entity(name("E", 40), {StrCat("alias ", d)});
    c.writes.push_back(b.Build());
    if (d % 3 == 0) {
      DocBuilder more(StrCat("doc-", d));
      more.write().document.text = c.writes.back().document.text;  // spans of the stored text
      more.write().claims.push_back(c.writes.back().claims.front());
      more.Link(Relation::kReports, Term::Iri(StrCat("http://example.org/", d)));
      c.appends.emplace_back(d, more.Build());
    }
  }
  c.entities = {{"E1", {"first entity", "Eins"}, "Thing"}, {"E2", {"second"}, ""}};
  return c;
}

TEST(BulkLoadTest, BuildsTheSameStoreAsDocumentWrites) {
  const Corpus corpus = MakeCorpus(60, 7);
  TempDir a, b;
  {
    auto store = Store::Open(a.path(), {});
    ASSERT_TRUE(store.ok());
    size_t next = 0;
    for (size_t i = 0; i < corpus.writes.size(); ++i) {
      ASSERT_TRUE((*store)->WriteDocument(corpus.writes[i]).ok());
      for (; next < corpus.appends.size() && corpus.appends[next].first == i; ++next) {
        ASSERT_TRUE((*store)->AppendToDocument(corpus.appends[next].second).ok());
      }
    }
    ASSERT_TRUE((*store)->PutEntities(corpus.entities).ok());
  }
  {
    auto store = Store::Open(b.path(), {});
    ASSERT_TRUE(store.ok());
    BulkLoadOptions options;
    options.memory_budget = 16 << 10;  // many runs to merge
    auto load = BulkLoad::Start(**store, options);
    ASSERT_TRUE(load.ok()) << load.status();
    size_t next = 0;
    for (size_t i = 0; i < corpus.writes.size(); ++i) {
      ASSERT_TRUE((*load)->Write(corpus.writes[i]).ok());
      for (; next < corpus.appends.size() && corpus.appends[next].first == i; ++next) {
        ASSERT_TRUE((*load)->Append(corpus.appends[next].second).ok());
      }
    }
    ASSERT_TRUE((*load)->PutEntities(corpus.entities).ok());
    auto stats = (*load)->Commit();
    ASSERT_TRUE(stats.ok()) << stats.status();
    EXPECT_GT(stats->runs, 5u);
    EXPECT_EQ(stats->documents, 60u);
    auto check = (*store)->Check();
    ASSERT_TRUE(check.ok());
    std::string problems;
    for (const auto& p : check->problems) problems += p + "\n";
    EXPECT_TRUE(check->ok()) << problems;
  }
  const auto da = DumpStore(a.path()), db = DumpStore(b.path());
  for (const auto& [cf, rows] : da) {
    EXPECT_EQ(rows.size(), db.at(cf).size()) << cf;
    EXPECT_TRUE(rows == db.at(cf)) << "column family " << cf << " differs";
  }
}

TEST(BulkLoadTest, AnUncommittedLoadLeavesTheStoreEmpty) {
  TempDir dir;
  auto store = Store::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  {
    auto load = BulkLoad::Start(**store, {});
    ASSERT_TRUE(load.ok());
    ASSERT_TRUE((*load)->Write(DocBuilder("d").Claim("A", "r", "B").Build()).ok());
    // A bad document is refused like WriteDocument refuses it.
    DocumentWrite bad = DocBuilder("bad").Claim("A", "r", "B").Build();
    bad.claims[0].evidence.quote = "not the text";
    EXPECT_EQ((*load)->Write(bad).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ((*load)->Write(DocBuilder("d").Build()).code(), absl::StatusCode::kInvalidArgument);
  }  // abandoned
  EXPECT_EQ((*store)->NewSnapshot()->Totals()->documents, 0u);
  EXPECT_TRUE((*store)->Check()->ok());
  // Start refuses a store with documents; Commit refuses one that got some.
  auto load = BulkLoad::Start(**store, {});
  ASSERT_TRUE(load.ok());
  ASSERT_TRUE((*load)->Write(DocBuilder("x").Claim("A", "r", "B").Build()).ok());
  ASSERT_TRUE((*store)->WriteDocument(DocBuilder("y").Claim("C", "r", "D").Build()).ok());
  EXPECT_EQ((*load)->Commit().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*store)->NewSnapshot()->Totals()->documents, 1u);
  EXPECT_EQ(BulkLoad::Start(**store, {}).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A bulk load killed at a random moment -- while buffering, spilling,
// merging or ingesting -- leaves the store empty, or (if Commit returned)
// complete.
TEST(BulkLoadTest, KillNineLeavesTheStoreEmptyOrComplete) {
  const Corpus corpus = MakeCorpus(300, 11);
  std::mt19937 rng(2026);
  int empty = 0, complete = 0;
  // Round 0 is not killed: it measures how long a load takes, so the kills
  // of the other rounds spread over the whole load, commit included.
  double load_us = 0;
  for (int round = 0; round < 8; ++round) {
    TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      auto store = Store::Open(dir.path(), {});
      if (!store.ok()) _exit(3);
      BulkLoadOptions options;
      options.memory_budget = 64 << 10;  // many runs: spilling is part of the window
      auto load = BulkLoad::Start(**store, options);
      if (!load.ok()) _exit(4);
      if (write(fds[1], "s", 1) != 1) _exit(5);
      for (const DocumentWrite& w : corpus.writes) {
        if (!(*load)->Write(w).ok()) _exit(6);
      }
      if (!(*load)->Commit().ok()) _exit(7);
      if (write(fds[1], "c", 1) != 1) _exit(8);
      pause();
      _exit(0);
    }
    close(fds[1]);
    char c = 0;
    ASSERT_EQ(read(fds[0], &c, 1), 1);
    const auto started = std::chrono::steady_clock::now();
    if (round == 0) {
      ASSERT_EQ(read(fds[0], &c, 1), 1);
      load_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count();
    } else {
      usleep(static_cast<useconds_t>(load_us * 1.2 * (rng() % 1000) / 1000.0));
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    const bool reported = round == 0 || (read(fds[0], &c, 1) == 1 && c == 'c');
    close(fds[0]);
    auto store = Store::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    // The killed load's working files are beside the store; a later load
    // would remove them, this test does it now.
    std::filesystem::remove_all(StrCat(dir.path(), ".bulk-", child));
    const uint64_t docs = (*store)->NewSnapshot()->Totals()->documents;
    if (reported) {
      EXPECT_EQ(docs, 300u) << "round " << round;
    }
    EXPECT_TRUE(docs == 0 || docs == 300) << "round " << round << ": " << docs << " documents";
    (docs == 0 ? empty : complete)++;
    auto report = (*store)->Check();
    ASSERT_TRUE(report.ok());
    for (const auto& p : report->problems) ADD_FAILURE() << "round " << round << ": " << p;
  }
  std::cout << "bulk kill test: " << empty << " empty, " << complete << " complete\n";
}

}  // namespace
}  // namespace kg
