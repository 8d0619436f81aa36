// The annotated sample corpus (examples/corpus): it loads cleanly, its text
// is exactly the seed reports, it holds the claims PRODUCT.md names with the
// right attribution and hedge, and ingesting it twice changes nothing.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/doc_builder.h"
#include "ingest/annotated/ingest.h"
#include "kg/sha256.h"
#include "kg/store.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using ::kg::testing::ClaimIn;
using ::kg::testing::IdIn;

const std::string kCorpus = std::string(KG_SOURCE_DIR) + "/examples/corpus";

// SHA-256 of the three seed reports (../shared/seeds), which the canonical
// text of each annotated file must reproduce byte for byte.
const std::map<std::string, std::string> kSeedHashes = {
    {"atlantic-council-2025", "76ef12c7b1ccd714698b38f79fb3b14932b80b07d0eed3d557cbcee970d37d02"},
    {"crink-alliance-article-2025", "5d69fde436fe9c1fd1721cd17afe4a8c6fa6404e20e65ede8953ca4d2a2343c6"},
    {"carnegie-cgsr-commentary-2025", "05652e90f281699284b2dda6985f02182e190791b58499cdf86fc9bf22ed53d1"},
};

class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    StoreOptions o;
    o.sync_writes = false;
    auto store = Store::Open(dir_->Sub("db"), o);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = store->release();
    std::ostringstream err, progress;
    auto summary = ingest::IngestPaths(*store_, {kCorpus}, {}, err, progress);
    ASSERT_TRUE(summary.ok()) << summary.status();
    summary_ = *summary;
    errors_ = err.str();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
  }

  // The evidence entries for (s p o) whose document is `doc`.
  std::vector<EvidenceEntry> Evidence(const std::string& s, const std::string& p,
                                      const std::string& o, const std::string& doc = "") {
    auto snap = store_->NewSnapshot();
    const TermId claim = IdIn(*snap, Term::Claim(Term::Entity(s), Term::Entity(p), Term::Entity(o)));
    auto all = snap->EvidenceFor(claim);
    EXPECT_TRUE(all.ok());
    std::vector<EvidenceEntry> out;
    for (auto& e : *all) {
      if (doc.empty() || e.document_id == doc) out.push_back(e);
    }
    return out;
  }

  static testing::TempDir* dir_;
  static Store* store_;
  static ingest::IngestSummary summary_;
  static std::string errors_;
};
testing::TempDir* CorpusTest::dir_ = nullptr;
Store* CorpusTest::store_ = nullptr;
ingest::IngestSummary CorpusTest::summary_;
std::string CorpusTest::errors_;

TEST_F(CorpusTest, LoadsWithoutErrors) {
  EXPECT_EQ(errors_, "");
  EXPECT_TRUE(summary_.ok());
  EXPECT_EQ(summary_.documents_loaded, 3);
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p;
}

TEST_F(CorpusTest, CanonicalTextIsExactlyTheSeedReports) {
  auto snap = store_->NewSnapshot();
  for (const auto& [id, hash] : kSeedHashes) {
    auto doc = snap->GetDocument(id);
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(doc->has_value()) << id;
    EXPECT_EQ((*doc)->sha256, hash) << id;
  }
}

TEST_F(CorpusTest, HoldsWellOverAHundredClaimsWithAttribution) {
  auto snap = store_->NewSnapshot();
  size_t claims = 0, attributed = 0, hedged = 0;
  for (const auto& [id, hash] : kSeedHashes) {
    auto evidence = snap->EvidenceInDocument(id);
    ASSERT_TRUE(evidence.ok());
    for (const auto& e : *evidence) {
      auto triple = snap->ClaimTriple(e.claim);
      ASSERT_TRUE(triple.ok());
      auto p = snap->Decode(triple->p);
      const std::string& pred = p->text();
      if (pred == "mentions" || pred == "cites" || pred == "reports" || pred == "derived_from" ||
          pred == "quotes") {
        continue;
      }
      ++claims;
      if (e.evidence.agent || !e.evidence.via.empty()) ++attributed;
      if (e.evidence.hedge != Hedge::kAsserted) ++hedged;
    }
  }
  EXPECT_GT(claims, 100u);
  EXPECT_GT(attributed, 30u);
  EXPECT_GT(hedged, 20u);
}

TEST_F(CorpusTest, HalfOfRussiasMunitionsIsAClaimOfUkrainianOfficialsViaTheWsj) {
  auto ev = Evidence("NorthKorea", "supplies_munitions_to", "Russia", "crink-alliance-article-2025");
  ASSERT_FALSE(ev.empty());
  bool found = false;
  for (const auto& e : ev) {
    if (e.evidence.quote.find("half of Russia") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(e.evidence.hedge, Hedge::kClaimed);
    EXPECT_EQ(e.evidence.agent, Term::Entity("UkrainianOfficials"));
    ASSERT_FALSE(e.evidence.via.empty());
    EXPECT_EQ(e.evidence.via.front(), Term::Document("wsj-crink-2025"));
  }
  EXPECT_TRUE(found);
}

TEST_F(CorpusTest, IranSuppliedShahedDronesIsOneClaimFromSeveralDocuments) {
  auto ev = Evidence("Iran", "supplied", "ShahedDrone");
  std::set<std::string> docs;
  for (const auto& e : ev) docs.insert(e.document_id);
  EXPECT_TRUE(docs.contains("atlantic-council-2025"));
  EXPECT_TRUE(docs.contains("crink-alliance-article-2025"));
}

TEST_F(CorpusTest, DocumentsRecordWhatTheyRelyOn) {
  auto snap = store_->NewSnapshot();
  auto links = [&](const std::string& id) {
    auto doc = snap->GetDocument(id);
    EXPECT_TRUE(doc.ok() && doc->has_value());
    return (*doc)->links;
  };
  bool reports_wsj = false;
  for (const auto& l : links("crink-alliance-article-2025")) {
    if (l.relation == Relation::kReports && l.target == Term::Document("wsj-crink-2025")) reports_wsj = true;
  }
  EXPECT_TRUE(reports_wsj);
  bool derived = false;
  for (const auto& l : links("carnegie-cgsr-commentary-2025")) {
    if (l.relation == Relation::kDerivedFrom && l.target == Term::Document("cgsr-workshop-2025")) derived = true;
  }
  EXPECT_TRUE(derived);
  size_t cited_urls = 0;
  for (const auto& l : links("atlantic-council-2025")) {
    if (l.relation == Relation::kCites && l.target.kind() == TermKind::kIri) ++cited_urls;
  }
  EXPECT_GE(cited_urls, 40u);
}

TEST_F(CorpusTest, AliasesResolveToOneEntity) {
  auto snap = store_->NewSnapshot();
  for (const auto& [alias, name] : std::vector<std::pair<std::string, std::string>>{
           {"Tehran", "Iran"}, {"the Kremlin", "Russia"}, {"Moscow", "Russia"},
           {"Pyongyang", "NorthKorea"}, {"DPRK", "NorthKorea"}, {"Beijing", "China"},
           {"PRC", "China"}}) {
    auto ids = snap->Resolve(alias);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids, std::vector<TermId>{IdIn(*snap, Term::Entity(name))}) << alias;
  }
}

TEST_F(CorpusTest, IngestingAgainChangesNothing) {
  auto before = store_->NewSnapshot()->Totals();
  std::ostringstream err, progress;
  auto again = ingest::IngestPaths(*store_, {kCorpus}, {}, err, progress);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->documents_loaded, 3);
  auto after = store_->NewSnapshot()->Totals();
  EXPECT_EQ(after->documents, before->documents);
  EXPECT_EQ(after->triples, before->triples);
  EXPECT_EQ(after->evidence, before->evidence);
  EXPECT_EQ(after->predicates, before->predicates);
}

}  // namespace
}  // namespace kg
