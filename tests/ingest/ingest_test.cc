// End-to-end ingest into a store: atomic per document, idempotent, edited
// files replace, bad files leave the store as it was.
#include "ingest/annotated/ingest.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/doc_builder.h"
#include "kg/store.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::ClaimIn;
using ::kg::testing::IdIn;

using ::kg::testing::TempDir;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

constexpr char kVocab[] =
    "@type Country ; parent Agent\n"
    "@predicate supplied\n"
    "@predicate supplies_munitions_to\n"
    "@entity Iran ; type Country ; alias Tehran\n"
    "@entity Russia ; type Country ; alias Moscow\n"
    "@entity NorthKorea ; type Country ; alias Pyongyang\n"
    "@entity ShahedDrone ; alias Shahed drones\n";

std::string Article(const std::string& extra_claim = "") {
  return "@doc article\n"
         "@reports w: doc:wsj\n"
         "[[A WSJ report]]{#w} says [[Tehran]]{=Iran} [[sent Shahed drones]]{#c1}\n"
         "and that [[Pyongyang sends munitions]]{#c2}.\n"
         "@claim c1: Iran supplied ShahedDrone ; hedge reported ; via doc:wsj\n"
         "@claim c2: NorthKorea supplies_munitions_to Russia ; hedge claimed\n" +
         extra_claim;
}

struct IngestRun {
  IngestSummary summary;
  std::string errors;
};

IngestRun Ingest(Store& store, const std::vector<std::string>& paths) {
  std::ostringstream err, progress;
  auto summary = IngestPaths(store, paths, IngestOptions{}, err, progress);
  EXPECT_TRUE(summary.ok()) << summary.status();
  return {summary.ok() ? *summary : IngestSummary{}, err.str()};
}

// Everything observable about the store, for before/after comparisons.
std::string Dump(Store& store) {
  auto snap = store.NewSnapshot();
  std::ostringstream out;
  auto totals = snap->Totals();
  out << totals->documents << "/" << totals->triples << "/" << totals->evidence << "\n";
  for (TripleCursor c = snap->Scan({}); c.Valid(); c.Next()) {
    const Triple& t = c.triple();
    out << snap->Decode(ClaimIn(*snap, t.s, t.p, t.o))->ToString() << "\n";
    auto evidence = snap->EvidenceFor(ClaimIn(*snap, t.s, t.p, t.o));
    for (const auto& e : *evidence) {
      out << "  " << e.document_id << " " << e.evidence.quote << " " << HedgeName(e.evidence.hedge)
          << "\n";
    }
  }
  auto report = store.Check();
  out << (report->ok() ? "check ok" : "CHECK FAILED") << "\n";
  return out.str();
}

StoreOptions NoSyncOptions() {
  StoreOptions o;
  o.sync_writes = false;
  return o;
}

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Sub("vocab.kgv"), kVocab);
    auto store = Store::Open(dir_.Sub("db"), NoSyncOptions());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IngestTest, LoadsDocumentsAndIsIdempotent) {
  WriteFile(dir_.Sub("article.kga"), Article());
  IngestRun first = Ingest(*store_, {dir_.path()});
  EXPECT_EQ(first.errors, "");
  EXPECT_EQ(first.summary.documents_loaded, 1);
  EXPECT_EQ(first.summary.vocabularies_loaded, 1);
  EXPECT_EQ(first.summary.claims, 4u);  // 2 claims, 1 mention, 1 link
  const std::string after_first = Dump(*store_);
  EXPECT_NE(after_first.find("<< NorthKorea supplies_munitions_to Russia >>\n  article Pyongyang sends munitions claimed"),
            std::string::npos) << after_first;
  IngestRun second = Ingest(*store_, {dir_.path()});
  EXPECT_EQ(second.summary.documents_loaded, 1);
  EXPECT_EQ(Dump(*store_), after_first);
}

TEST_F(IngestTest, ABadFileLeavesTheStoreExactlyAsItWasAndOthersStillLoad) {
  WriteFile(dir_.Sub("article.kga"), Article());
  Ingest(*store_, {dir_.path()});
  const std::string before = Dump(*store_);
  // An edited copy with one bad claim: nothing of it may be written.
  WriteFile(dir_.Sub("article.kga"),
            Article("[[bad]]{#c3}\n@claim c3: Iran suplied Russia\n"));
  WriteFile(dir_.Sub("other.kga"), "@doc other\n[[Moscow gets drones]]{#x}\n@claim x: Iran supplied Russia\n");
  IngestRun run = Ingest(*store_, {dir_.path()});
  EXPECT_EQ(run.summary.documents_failed, 1);
  EXPECT_EQ(run.summary.documents_loaded, 1);
  EXPECT_FALSE(run.summary.ok());
  EXPECT_NE(run.errors.find("article.kga:8:17: error: unknown predicate 'suplied' (did you mean 'supplied'?)"),
            std::string::npos) << run.errors;
  const std::string after = Dump(*store_);
  EXPECT_NE(after.find("other"), std::string::npos);
  // Apart from the other document, the store is unchanged.
  ASSERT_TRUE(store_->DeleteDocument("other").ok());
  EXPECT_EQ(Dump(*store_), before);
}

TEST_F(IngestTest, AnEditedFileReplacesTheDocumentsEarlierClaims) {
  WriteFile(dir_.Sub("article.kga"), Article());
  Ingest(*store_, {dir_.path()});
  WriteFile(dir_.Sub("article.kga"),
            "@doc article\n[[Tehran sent Shahed drones]]{#c1}\n@claim c1: Iran supplied ShahedDrone ; hedge alleged\n");
  IngestRun run = Ingest(*store_, {dir_.path()});
  EXPECT_TRUE(run.summary.ok()) << run.errors;
  const std::string after = Dump(*store_);
  EXPECT_EQ(after.find("supplies_munitions_to"), std::string::npos) << after;
  EXPECT_NE(after.find("article Tehran sent Shahed drones alleged"), std::string::npos) << after;
  EXPECT_NE(after.find("1/1/1"), std::string::npos) << after;
}

TEST_F(IngestTest, VocabularyFromAnEarlierRunIsRemembered) {
  Ingest(*store_, {dir_.Sub("vocab.kgv")});
  WriteFile(dir_.Sub("later.kga"), "@doc later\n[[x]]{#c}\n@claim c: Tehran supplied ShahedDrone\n");
  IngestRun run = Ingest(*store_, {dir_.Sub("later.kga")});
  EXPECT_TRUE(run.summary.ok()) << run.errors;
}

TEST_F(IngestTest, UnusablePathsAndBadVocabulariesAreReported) {
  WriteFile(dir_.Sub("notes.txt"), "hello");
  WriteFile(dir_.Sub("bad.kgv"), "@predicate ok\n@typo X\n");
  IngestRun run = Ingest(*store_, {dir_.Sub("missing.kga"), dir_.Sub("notes.txt"), dir_.Sub("bad.kgv")});
  EXPECT_NE(run.errors.find("missing.kga: error: no such file"), std::string::npos) << run.errors;
  EXPECT_NE(run.errors.find("notes.txt: error: not an annotated document"), std::string::npos);
  EXPECT_NE(run.errors.find("bad.kgv:2:2: error: unknown vocabulary directive '@typo'"), std::string::npos)
      << run.errors;
  EXPECT_EQ(run.summary.vocabularies_failed, 1);
  EXPECT_EQ(run.summary.documents_failed, 2);
  // The bad vocabulary wrote nothing: 'ok' is not a predicate.
  WriteFile(dir_.Sub("uses.kga"), "@doc u\n[[x]]{#c}\n@claim c: ok ok ok\n");
  IngestRun later = Ingest(*store_, {dir_.Sub("uses.kga")});
  EXPECT_NE(later.errors.find("unknown predicate 'ok'"), std::string::npos) << later.errors;
}

TEST_F(IngestTest, TwoFilesWithOneDocumentIdFailTheSecond) {
  WriteFile(dir_.Sub("a.kga"), Article());
  WriteFile(dir_.Sub("b.kga"), Article());
  IngestRun run = Ingest(*store_, {dir_.path()});
  EXPECT_EQ(run.summary.documents_loaded, 1);
  EXPECT_NE(run.errors.find("b.kga:1:1: error: document id 'article' is also used"), std::string::npos)
      << run.errors;
}

TEST_F(IngestTest, ManyFilesAreReportedAndCommittedInFileOrder) {
  // Documents are parsed ahead on another thread; what the user sees --
  // errors, commits, totals -- must still follow the order of the files.
  std::string expected_errors;
  std::vector<std::string> expected_commits;
  for (int i = 0; i < 30; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "d%02d", i);
    const bool bad = i % 4 == 1;
    WriteFile(dir_.Sub(std::string(name) + ".kga"),
              std::string("@doc ") + name + "\n[[Tehran sent drones]]{#c}\n@claim c: Iran " +
                  (bad ? "suplied" : "supplied") + " ShahedDrone\n");
    if (bad) {
      expected_errors += dir_.Sub(std::string(name) + ".kga") + ":3:16: error: unknown predicate";
    } else {
      expected_commits.push_back(name);
    }
  }
  std::vector<std::string> commits;
  IngestOptions options;
  options.on_commit = [&](const std::string& id) { commits.push_back(id); };
  std::ostringstream err, progress;
  auto summary = IngestPaths(*store_, {dir_.path()}, options, err, progress);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->documents_loaded, 22);
  EXPECT_EQ(summary->documents_failed, 8);
  EXPECT_EQ(commits, expected_commits);
  // Each error once, in file order.
  std::string seen;
  std::istringstream lines(err.str());
  for (std::string line; std::getline(lines, line);) {
    if (const size_t at = line.find(": error: unknown predicate"); at != std::string::npos) {
      seen += line.substr(0, at) + ": error: unknown predicate";
    }
  }
  EXPECT_EQ(seen, expected_errors) << err.str();
}

}  // namespace
}  // namespace kg::ingest
