// Atomicity and durability: a write that fails part-way through the
// write-ahead log leaves nothing; a process killed with SIGKILL mid-ingest
// keeps every document it reported as written, and only whole documents.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>

#include "gtest/gtest.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using ::kg::testing::DocBuilder;
using ::kg::testing::TempDir;

constexpr int kClaimsPerDoc = 300;

DocumentWrite BigDocument(const std::string& id) {
  DocBuilder b(id);
  for (int i = 0; i < kClaimsPerDoc; ++i) {
    b.Claim(Term::Entity(StrCat(id, "-s", i % 37)), Term::Entity(StrCat("p", i % 5)),
            Term::Entity(StrCat("o", i)),
            StrCat("Sentence ", i, " of ", id, ", padded so the batch spans many ",
                   "write-ahead-log blocks: ", std::string(120, 'x'), "."));
  }
  return b.Build();
}

void ExpectWholeOrAbsent(const Snapshot& snap, const std::string& id, bool* present) {
  auto doc = snap.GetDocument(id);
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto ev = snap.EvidenceInDocument(id);
  ASSERT_TRUE(ev.ok()) << ev.status();
  *present = doc->has_value();
  EXPECT_EQ(ev->size(), *present ? kClaimsPerDoc : 0u) << id;
}

TEST(StoreAtomicityTest, WalWriteFailingMidDocumentLeavesNothing) {
  TempDir dir;
  auto fault = std::make_shared<FaultInjector>();
  {
    StoreOptions o;
    o.fault_injector = fault;
    auto store = Store::Open(dir.path(), o);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->WriteDocument(BigDocument("first")).ok());
    fault->FailWalAppendsAfter(0);
    absl::Status s = (*store)->WriteDocument(BigDocument("second"));
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(fault->fired());
  }
  auto store = Store::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto snap = (*store)->NewSnapshot();
  bool present = false;
  ExpectWholeOrAbsent(*snap, "first", &present);
  EXPECT_TRUE(present);
  ExpectWholeOrAbsent(*snap, "second", &present);
  EXPECT_FALSE(present);
  auto totals = snap->Totals();
  EXPECT_EQ(totals->documents, 1u);
  EXPECT_EQ(totals->evidence, kClaimsPerDoc);
  auto report = (*store)->Check();
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p;
}

// The child writes documents and reports each committed id on a pipe; the
// parent kills it at a random moment and checks the store.
TEST(StoreAtomicityTest, KillNineKeepsEveryReportedDocumentAndNoPartialOne) {
  std::mt19937 rng(2026);
  for (int round = 0; round < 3; ++round) {
    TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      auto store = Store::Open(dir.path(), {});  // sync_writes: true
      if (!store.ok()) _exit(3);
      for (int i = 0;; ++i) {
        const std::string id = StrCat("doc", i);
        if (!(*store)->WriteDocument(BigDocument(id)).ok()) _exit(4);
        const std::string line = id + "\n";
        if (write(fds[1], line.data(), line.size()) < 0) _exit(5);
      }
    }
    close(fds[1]);
    // Let it commit a few documents, then kill it mid-write.
    std::string reported;
    char buf[256];
    while (std::count(reported.begin(), reported.end(), '\n') < 3) {
      const ssize_t n = read(fds[0], buf, sizeof buf);
      ASSERT_GT(n, 0) << "child died early";
      reported.append(buf, n);
    }
    usleep(1000 + rng() % 40000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) reported.append(buf, n);
    close(fds[0]);

    std::set<std::string> committed;
    for (size_t pos = 0, nl; (nl = reported.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      committed.insert(reported.substr(pos, nl - pos));
    }
    auto store = Store::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    auto snap = (*store)->NewSnapshot();
    auto docs = snap->ListDocuments();
    ASSERT_TRUE(docs.ok());
    for (const std::string& id : committed) {
      bool present = false;
      ExpectWholeOrAbsent(*snap, id, &present);
      EXPECT_TRUE(present) << id << " was reported committed but is missing";
    }
    // At most one document beyond those reported (committed, not yet reported).
    EXPECT_LE(docs->size(), committed.size() + 1);
    for (const std::string& id : *docs) {
      bool present = false;
      ExpectWholeOrAbsent(*snap, id, &present);
    }
    // The transaction log holds a write for every stored document, and for
    // no other (kg check also verifies the second half).
    auto txs = snap->Transactions();
    ASSERT_TRUE(txs.ok()) << txs.status();
    std::set<std::string> logged;
    for (const TxRecord& tx : *txs) logged.insert(tx.document);
    logged.erase("");
    EXPECT_EQ(logged, std::set<std::string>(docs->begin(), docs->end())) << "round " << round;
    auto report = (*store)->Check();
    ASSERT_TRUE(report.ok());
    for (const auto& p : report->problems) ADD_FAILURE() << "round " << round << ": " << p;
  }
}

}  // namespace
}  // namespace kg
