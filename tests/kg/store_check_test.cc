// Check() must find each kind of damage: a store is built, one record is
// damaged through raw RocksDB, and Check() must name the inconsistency.
#include <filesystem>
#include <functional>

#include "gtest/gtest.h"
#include "kg/codec.h"
#include "kg/sha256.h"
#include "kg/prepared.h"
#include "kg/store.h"
#include "kg/txlog.h"
#include "kg/verify.h"
#include "rocksdb/db.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using ::kg::testing::DocBuilder;
using ::kg::testing::TempDir;

// Raw access to the store's column families, for damaging them.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (int i = 0; i < kNumCfs; ++i) {
      cfs.emplace_back(std::string(CfName(static_cast<Cf>(i))), rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles_, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(raw);
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  rocksdb::ColumnFamilyHandle* cf(Cf c) { return handles_[static_cast<int>(c)]; }
  void Put(Cf c, const std::string& k, const std::string& v) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), cf(c), k, v).ok());
  }
  void Delete(Cf c, const std::string& k) {
    ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), cf(c), k).ok());
  }
  std::string Get(Cf c, const std::string& k) {
    std::string v;
    EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), cf(c), k, &v).ok());
    return v;
  }
  // The id the store gave `t` (its term index).
  TermId Id(const Term& t) {
    auto id = TermId::FromBytes(Get(Cf::kTerms, DictionaryValue(t)));
    EXPECT_TRUE(id.has_value()) << t.ToString();
    return id.value_or(TermId());
  }
  TermId E(const std::string& name) { return Id(Term::Entity(name)); }
  Triple AB() { return {E("A"), E("rel"), E("B")}; }
  TermId Claim(const Triple& t) {
    auto id = TermId::FromBytes(Get(Cf::kTerms, ClaimDictionaryValue(t.s, t.p, t.o)));
    EXPECT_TRUE(id.has_value());
    return id.value_or(TermId());
  }
  // Document d1's evidence for (A rel B), quoting "A rel B.".
  std::string D1Evidence0() { return EvidenceKey(Claim(AB()), Id(Term::Document("d1")), 0); }
  // The first key of a column family.
  std::string FirstKey(Cf c) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(c)));
    it->SeekToFirst();
    EXPECT_TRUE(it->Valid());
    return it->key().ToString();
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};


struct DamageCase {
  std::string name;
  std::function<void(RawDb&)> damage;
  std::string expected_problem;
};

void PrintTo(const DamageCase& c, std::ostream* os) { *os << c.name; }

class CheckFindsDamageTest : public ::testing::TestWithParam<DamageCase> {};

TEST_P(CheckFindsDamageTest, ReportsTheInconsistency) {
  TempDir dir;
  {
    StoreOptions o;
    o.sync_writes = false;
    auto store = Store::Open(dir.path(), o);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteDocument(DocBuilder("d1")
                                            .Entity("A", {"Alpha"})
                                            .Claim("A", "rel", "B")
                                            .Claim("B", "rel", "C")
                                            .Build())
                    .ok());
    ASSERT_TRUE((*store)->WriteDocument(DocBuilder("d2").Claim("A", "rel", "B").Build()).ok());
    auto clean = (*store)->Check();
    ASSERT_TRUE(clean.ok() && clean->ok());
    EXPECT_EQ(clean->triples, 2u);
    EXPECT_EQ(clean->evidence, 3u);
  }
  {
    RawDb raw(dir.path());
    GetParam().damage(raw);
  }
  auto store = Store::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto report = (*store)->Check();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->ok());
  bool found = false;
  std::string all;
  for (const auto& p : report->problems) {
    all += p + "\n";
    if (p.find(GetParam().expected_problem) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "wanted '" << GetParam().expected_problem << "' in:\n" << all;
}

INSTANTIATE_TEST_SUITE_P(
    Damage, CheckFindsDamageTest,
    ::testing::Values(
        DamageCase{"TransactionLogGap",
                   [](RawDb& r) {
                     TxRecord tx;
                     tx.id = 5;  // d1 and d2 are transactions 1 and 2
                     tx.kind = "entities";
                     r.Put(Cf::kMeta, TxKey(5), EncodeTx(tx));
                   },
                   "transaction log: record 5 follows 2 (a gap)"},
        DamageCase{"TransactionLogNamesAMissingDocument",
                   [](RawDb& r) {
                     TxRecord tx;
                     tx.id = 3;
                     tx.kind = "write";
                     tx.document = "ghost";
                     r.Put(Cf::kMeta, TxKey(3), EncodeTx(tx));
                   },
                   "transaction log: doc:ghost is not stored, but its last transaction (write) "
                   "wrote it"},
        DamageCase{"PosEntryMissing",
                   [](RawDb& r) { r.Delete(Cf::kPos, TripleKey(Permutation::kPos, r.AB())); },
                   "missing from POS"},
        DamageCase{"OspEntryMissing",
                   [](RawDb& r) { r.Delete(Cf::kOsp, TripleKey(Permutation::kOsp, r.AB())); },
                   "missing from OSP"},
        DamageCase{"StrayOspEntry",
                   [](RawDb& r) {
                     r.Put(Cf::kOsp, TripleKey(Permutation::kOsp, Triple{TermId::Dense(IdTag::kEntity, 1000), r.E("rel"), TermId::Dense(IdTag::kEntity, 1001)}), "");
                   },
                   "is in OSP but missing from SPO"},
        DamageCase{"TripleWithoutEvidence",
                   [](RawDb& r) {
                     // (B rel C) loses its only evidence, d1's second claim.
                     const Triple t{r.E("B"), r.E("rel"), r.E("C")};
                     const TermId d1 = r.Id(Term::Document("d1"));
                     r.Delete(Cf::kEvidence, EvidenceKey(r.Claim(t), d1, 1));
                     r.Delete(Cf::kDocEvidence, DocEvidenceKey(d1, r.Claim(t), 1));
                   },
                   "has no evidence"},
        DamageCase{"EvidenceRecordMissing",
                   [](RawDb& r) { r.Delete(Cf::kEvidence, r.FirstKey(Cf::kEvidence)); },
                   "has no evidence record"},
        DamageCase{"EvidenceRecordGarbled",
                   [](RawDb& r) { r.Put(Cf::kEvidence, r.FirstKey(Cf::kEvidence), std::string("\x00\x01garbage", 9)); },
                   "evidence record is malformed"},
        DamageCase{"StatisticsWrong",
                   [](RawDb& r) {
                     r.Put(Cf::kStats, PredicateStatsKey(r.E("rel")),
                           EncodePredicateStats(PredicateStats{5, 2, 2}));
                   },
                   "statistics of predicate"},
        DamageCase{"CounterWrong",
                   [](RawDb& r) {
                     std::string v;
                     PutFixed64BE(&v, 9);
                     r.Put(Cf::kStats, CounterKey(kEvidenceCounter), v);
                   },
                   "evidence counter says 9, the store holds 3"},
        DamageCase{"DocumentTextTampered",
                   [](RawDb& r) {
                     const std::string key(r.Id(Term::Document("d1")).bytes());
                     auto rec = DecodeDocumentValue(r.Get(Cf::kDocuments, key));
                     ASSERT_TRUE(rec.ok());
                     rec->text[0] = 'Z';
                     r.Put(Cf::kDocuments, key, EncodeDocumentValue(*rec));
                   },
                   "text does not match its SHA-256"},
        DamageCase{"DictionaryEntryMissing",
                   [](RawDb& r) { r.Delete(Cf::kDict, std::string(r.E("C").bytes())); },
                   "has no dictionary entry"},
        DamageCase{"DictionaryEntryWrong",
                   [](RawDb& r) { r.Put(Cf::kDict, std::string(r.E("C").bytes()), "\x10" "D"); },
                   "is not in the term index under its value"},
        DamageCase{"AliasMissing",
                   [](RawDb& r) { r.Delete(Cf::kAliases, AliasKey("Alpha", r.E("A"))); },
                   "alias 'Alpha' is not indexed"},
        DamageCase{"TextPostingMissing",
                   [](RawDb& r) { r.Delete(Cf::kText, TextKey("rel", r.D1Evidence0())); },
                   "word 'rel' of its quote is missing from the text index"},
        DamageCase{"TextPostingExtra",
                   [](RawDb& r) { r.Put(Cf::kText, TextKey("zebra", r.D1Evidence0()), ""); },
                   "word 'zebra' is posted for evidence"},
        DamageCase{"TextPostingForMissingEvidence",
                   [](RawDb& r) {
                     const TermId d1 = r.Id(Term::Document("d1"));
                     r.Put(Cf::kText, TextKey("a", EvidenceKey(r.Claim(r.AB()), d1, 7)), "");
                   },
                   "#7), which is not stored"},
        DamageCase{"TextKeyMalformed",
                   [](RawDb& r) { r.Put(Cf::kText, "rel", ""); },
                   "text index: malformed key"}),
    [](const ::testing::TestParamInfo<DamageCase>& info) { return info.param.name; });

}  // namespace
}  // namespace kg

namespace kg {
namespace {

// A table file the MANIFEST does not list (what a process killed during a
// flush leaves, or what a MANIFEST that lost entries no longer sees): a
// writer's open moves it to lost+found/ instead of letting RocksDB delete
// it, the store stays whole, and Check names the file as a note.
TEST(CheckFilesTest, UnlistedTableFilesAreSetAsideAndNamed) {
  namespace fs = std::filesystem;
  TempDir dir;
  {
    auto store = Store::Open(dir.path(), {});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteDocument(DocBuilder("d1").Claim("A", "rel", "B").Build()).ok());
  }
  std::string some_table;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().extension() == ".sst") some_table = e.path().string();
  }
  ASSERT_FALSE(some_table.empty());
  const std::string orphan = dir.Sub("999999.sst");
  fs::copy_file(some_table, orphan);

  // A reader leaves it where it is and notes it.
  {
    StoreOptions ro;
    ro.read_only = true;
    auto store = Store::Open(dir.path(), ro);
    ASSERT_TRUE(store.ok()) << store.status();
    auto report = (*store)->Check();
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok());
    ASSERT_EQ(report->notes.size(), 1u);
    EXPECT_NE(report->notes[0].find("999999.sst"), std::string::npos) << report->notes[0];
    EXPECT_TRUE(fs::exists(orphan));
  }
  // A writer sets it aside; the data is all there.
  auto store = Store::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(dir.Sub("lost+found/999999.sst")));
  auto report = (*store)->Check();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->triples, 1u);
  ASSERT_EQ(report->notes.size(), 1u);
  EXPECT_NE(report->notes[0].find("lost+found"), std::string::npos) << report->notes[0];
  EXPECT_NE(report->notes[0].find("999999.sst"), std::string::npos) << report->notes[0];
}

// kg verify: a quote that no longer matches the stored text is reported
// with its document, claim and offsets -- also when the tamperer fixed up the
// SHA-256 so that Check's hash comparison passes.
TEST(VerifyTest, ReportsQuotesThatNoLongerMatchTheirText) {
  TempDir dir;
  {
    auto store = Store::Open(dir.path(), {});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteDocument(DocBuilder("d1").Claim("A", "rel", "B").Build()).ok());
    auto report = VerifyEvidence(*(*store)->NewSnapshot());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok());
    EXPECT_EQ(report->documents, 1u);
    EXPECT_EQ(report->quotes_checked, 1u);
  }
  for (bool fix_hash : {false, true}) {
    {
      RawDb raw(dir.path());
      const std::string key(raw.Id(Term::Document("d1")).bytes());
      auto rec = DecodeDocumentValue(raw.Get(Cf::kDocuments, key));
      ASSERT_TRUE(rec.ok());
      rec->text[0] = fix_hash ? 'Y' : 'Z';
      if (fix_hash) rec->sha256 = Sha256::HexDigest(rec->text);
      raw.Put(Cf::kDocuments, key, EncodeDocumentValue(*rec));
    }
    auto store = Store::Open(dir.path(), {});
    ASSERT_TRUE(store.ok());
    auto report = VerifyEvidence(*(*store)->NewSnapshot());
    ASSERT_TRUE(report.ok()) << report.status();
    std::string all;
    bool quote = false, hash = false;
    for (const VerifyProblem& p : report->problems) {
      all += p.document_id + " " + p.claim + " " + p.message + "\n";
      if (p.claim == "<< A rel B >>" && p.start == 0 && p.end == 8 &&
          p.message.find("does not match the text at 0-8") != std::string::npos) {
        quote = true;
      }
      if (p.claim.empty() && p.message.find("SHA-256") != std::string::npos) hash = true;
    }
    EXPECT_TRUE(quote) << all;
    EXPECT_EQ(hash, !fix_hash) << all;
  }
}

}  // namespace
}  // namespace kg
