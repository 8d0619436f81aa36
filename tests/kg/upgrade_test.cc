// kg upgrade from format 2: the checked-in version-2 store
// (tests/kg/fixtures/format2-sample) migrated in place holds exactly what
// the format-2 reader reads out of it; a stopped upgrade is finished by the
// next call and refused by Store::Open meanwhile; a store in use is left
// alone.
#include "kg/upgrade.h"

#include <filesystem>
#include <map>

#include "gtest/gtest.h"
#include "kg/format2_reader.h"
#include "kg/keys.h"
#include "kg/store.h"
#include "rocksdb/env.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

namespace fs = std::filesystem;
using ::kg::testing::TempDir;

const std::string kFixture = std::string(KG_SOURCE_DIR) + "/tests/kg/fixtures/format2-sample";

std::string CopyOfFixture(const TempDir& dir, const std::string& name) {
  const std::string path = dir.Sub(name);
  fs::copy(kFixture, path, fs::copy_options::recursive);
  return path;
}

std::unique_ptr<Store> OpenReadOnly(const std::string& path) {
  StoreOptions o;
  o.read_only = true;
  o.create_if_missing = false;
  auto store = Store::Open(path, o);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

TEST(UpgradeTest, TheUpgradedStoreHoldsWhatTheOldOneHeld) {
  TempDir dir;
  const std::string path = CopyOfFixture(dir, "store");
  const std::string reference = CopyOfFixture(dir, "reference");
  auto refused = Store::Open(path, StoreOptions());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("kg upgrade --db"), std::string::npos)
      << refused.status();

  auto stats = UpgradeStore(path, {});
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->documents, 5u);
  EXPECT_EQ(stats->entities, 160u);
  EXPECT_FALSE(stats->resumed);
  EXPECT_FALSE(fs::exists(path + ".format2"));
  EXPECT_FALSE(fs::exists(path + ".format3"));

  // What the reader reads from an untouched copy, document by document.
  std::map<std::string, Document> documents;
  std::map<std::string, std::vector<ClaimEvidence>> claims;
  std::vector<Entity> entities;
  format2::Visitor v;
  v.entities = [&](const std::vector<Entity>& e) {
    entities = e;
    return absl::OkStatus();
  };
  v.document = [&](const DocumentWrite& w, bool first) {
    if (first) documents[w.document.id] = w.document;
    auto& list = claims[w.document.id];
    list.insert(list.end(), w.claims.begin(), w.claims.end());
    return absl::OkStatus();
  };
  ASSERT_TRUE(format2::ReadStore(reference, {}, v).ok());

  auto store = OpenReadOnly(path);
  ASSERT_NE(store, nullptr);
  auto snap = store->NewSnapshot();
  auto ids = snap->ListDocuments();
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), documents.size());
  uint64_t total = 0;
  for (const auto& [id, expected] : documents) {
    auto doc = snap->GetDocument(id);
    ASSERT_TRUE(doc.ok() && doc->has_value()) << id;
    Document want = expected;
    want.sha256 = (*doc)->sha256;
    EXPECT_EQ(**doc, want) << id;
    auto evidence = snap->EvidenceInDocument(id);
    ASSERT_TRUE(evidence.ok()) << evidence.status();
    // The document's own links add one piece of evidence each.
    ASSERT_EQ(evidence->size(), claims[id].size() + expected.links.size()) << id;
    std::map<uint32_t, const EvidenceEntry*> by_ordinal;
    for (const EvidenceEntry& e : *evidence) by_ordinal[e.ordinal] = &e;
    for (size_t i = 0; i < claims[id].size(); ++i) {
      const EvidenceEntry* e = by_ordinal[static_cast<uint32_t>(i)];
      ASSERT_NE(e, nullptr) << id << " #" << i;
      auto claim = snap->Decode(e->claim);
      ASSERT_TRUE(claim.ok());
      EXPECT_EQ(*claim, claims[id][i].claim) << id << " #" << i;
      EXPECT_EQ(e->evidence, claims[id][i].evidence) << id << " #" << i;
    }
    total += evidence->size();
  }
  auto listed = snap->ListEntities();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), entities.size());
  auto report = store->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->evidence, total);
  EXPECT_EQ(report->triples, stats->triples);
}

TEST(UpgradeTest, AStoppedUpgradeIsFinishedByTheNextCall) {
  TempDir dir;
  const std::string done = CopyOfFixture(dir, "done");
  ASSERT_TRUE(UpgradeStore(done, {}).ok());
  for (bool old_moved : {false, true}) {
    // Stopped after the new store was complete (PATH.format3), before
    // (false) or after (true) the old one was moved aside.
    const std::string path = CopyOfFixture(dir, old_moved ? "b" : "a");
    fs::copy(done, path + ".format3", fs::copy_options::recursive);
    if (old_moved) {
      fs::rename(path, path + ".format2");
      auto open = Store::Open(path, StoreOptions());
      ASSERT_FALSE(open.ok());
      EXPECT_NE(open.status().message().find("was interrupted"), std::string::npos)
          << open.status();
      EXPECT_FALSE(fs::exists(path)) << "no empty store was created";
    }
    auto stats = UpgradeStore(path, {});
    ASSERT_TRUE(stats.ok()) << stats.status();
    EXPECT_TRUE(stats->resumed);
    EXPECT_EQ(stats->documents, 5u);
    EXPECT_FALSE(fs::exists(path + ".format2"));
    EXPECT_FALSE(fs::exists(path + ".format3"));
    auto store = OpenReadOnly(path);
    ASSERT_NE(store, nullptr);
    auto report = store->Check();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok());
  }
}

TEST(UpgradeTest, AStoreInUseOrOfThisFormatIsLeftAlone) {
  TempDir dir;
  const std::string path = CopyOfFixture(dir, "store");
  rocksdb::FileLock* lock = nullptr;
  ASSERT_TRUE(rocksdb::Env::Default()->LockFile(path + "/LOCK", &lock).ok());
  auto busy = UpgradeStore(path, {});
  rocksdb::Env::Default()->UnlockFile(lock).PermitUncheckedError();
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), absl::StatusCode::kFailedPrecondition) << busy.status();
  auto still_v2 = format2::IsFormat2Store(path);
  ASSERT_TRUE(still_v2.ok());
  EXPECT_TRUE(*still_v2);

  UpgradeOptions keep;
  keep.keep_old = true;
  ASSERT_TRUE(UpgradeStore(path, keep).ok());
  EXPECT_TRUE(fs::exists(path + ".format2"));
  auto again = UpgradeStore(path, {});
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("nothing to upgrade"), std::string::npos)
      << again.status();
  EXPECT_TRUE(fs::exists(path + ".format2")) << "a kept old store is not removed";
}

}  // namespace
}  // namespace kg
