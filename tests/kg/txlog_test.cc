// The transaction log (kg/txlog.h): one record per committed write, in the
// write's own batch, with dense ids that continue across reopenings; a
// refused write leaves none; a bulk load is one.
#include "kg/txlog.h"

#include "gtest/gtest.h"
#include "kg/bulk_load.h"
#include "kg/store.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using ::kg::testing::DocBuilder;
using ::kg::testing::TempDir;

std::unique_ptr<Store> Open(const std::string& path) {
  StoreOptions o;
  o.sync_writes = false;
  auto s = Store::Open(path, o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

std::vector<std::string> Kinds(const Store& store) {
  auto txs = store.NewSnapshot()->Transactions();
  EXPECT_TRUE(txs.ok()) << txs.status();
  std::vector<std::string> out;
  uint64_t id = 0;
  for (const TxRecord& tx : *txs) {
    EXPECT_EQ(tx.id, ++id);
    out.push_back(tx.kind + (tx.document.empty() ? "" : " " + tx.document));
  }
  return out;
}

TEST(TxLogTest, EveryWriteIsOneRecordInCommitOrder) {
  TempDir dir;
  auto store = Open(dir.path());
  ASSERT_TRUE(store->PutEntities({{"A", {"Alpha"}, ""}}).ok());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("d1").Claim("A", "rel", "B").Build()).ok());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("d1").Claim("A", "rel", "C").Build()).ok());
  DocumentWrite more;
  more.document.id = "d1";
  more.document.links.push_back({Relation::kCites, Term::Document("d0"), "", std::nullopt});
  ASSERT_TRUE(store->AppendToDocument(more).ok());
  // Refused writes log nothing.
  DocumentWrite bad = DocBuilder("d2").Claim("A", "rel", "B").Build();
  bad.claims[0].evidence.span = Span{0, 10000};
  EXPECT_FALSE(store->WriteDocument(bad).ok());
  EXPECT_FALSE(store->DeleteDocument("nowhere").ok());
  ASSERT_TRUE(store->DeleteDocument("d1").ok());
  ASSERT_TRUE(store->PutSchema({{SchemaRecord::Kind::kType, "Country", "Agent"}}).ok());
  EXPECT_EQ(Kinds(*store), (std::vector<std::string>{"entities", "write d1", "replace d1",
                                                      "append d1", "delete d1", "rules"}));
  auto newest = store->NewSnapshot()->Transactions(2, /*newest_first=*/true);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].kind, "rules");
  EXPECT_EQ((*newest)[1].kind, "delete");
  EXPECT_EQ((*newest)[1].count, 2u);  // what it removed: the claim and the citation
  EXPECT_FALSE((*newest)[0].command.empty());
  EXPECT_GT((*newest)[0].unix_micros, 0);

  // A document's own transactions, through its index.
  auto of_d1 = store->NewSnapshot()->TransactionsOf("d1");
  ASSERT_TRUE(of_d1.ok()) << of_d1.status();
  std::vector<std::string> d1_kinds;
  for (const TxRecord& tx : *of_d1) d1_kinds.push_back(tx.kind);
  EXPECT_EQ(d1_kinds, (std::vector<std::string>{"delete", "append", "replace", "write"}));
  EXPECT_EQ(store->NewSnapshot()->TransactionsOf("d1", 1)->size(), 1u);
  EXPECT_TRUE(store->NewSnapshot()->TransactionsOf("d")->empty());  // not a prefix match

  // Ids go on after a reopening.
  store.reset();
  store = Open(dir.path());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("d3").Claim("A", "rel", "B").Build()).ok());
  EXPECT_EQ(Kinds(*store).back(), "write d3");
  EXPECT_EQ(Kinds(*store).size(), 7u);
  auto check = store->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << (check->problems.empty() ? "" : check->problems[0]);
}

TEST(TxLogTest, ABulkLoadIsOneRecord) {
  TempDir dir;
  auto store = Open(dir.path());
  auto load = BulkLoad::Start(*store, {});
  ASSERT_TRUE(load.ok()) << load.status();
  ASSERT_TRUE((*load)->Write(DocBuilder("b1").Claim("A", "rel", "B").Build()).ok());
  ASSERT_TRUE((*load)->Write(DocBuilder("b2").Claim("A", "rel", "C").Build()).ok());
  ASSERT_TRUE((*load)->Commit().ok());
  auto txs = store->NewSnapshot()->Transactions();
  ASSERT_TRUE(txs.ok());
  ASSERT_EQ(txs->size(), 1u);
  EXPECT_EQ((*txs)[0].kind, "bulk");
  EXPECT_EQ((*txs)[0].count, 2u);  // documents
  ASSERT_TRUE(store->WriteDocument(DocBuilder("b3").Claim("A", "rel", "D").Build()).ok());
  EXPECT_EQ(Kinds(*store), (std::vector<std::string>{"bulk", "write b3"}));
}

TEST(TxLogTest, ARecordIsOneLineWhateverTheCommandHolds) {
  TxRecord tx;
  tx.id = 42;
  tx.unix_micros = 1733616000000000;
  tx.user = "ana";
  tx.command = "kg ingest\tfile with\na line break";
  tx.kind = "write";
  tx.document = "d";
  tx.count = 7;
  const std::string value = EncodeTx(tx);
  EXPECT_EQ(value.find('\n'), std::string::npos);
  EXPECT_EQ(TxKey(42), "tx/00000000000000000042");
  auto back = DecodeTx(TxKey(42), value);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, 42u);
  EXPECT_EQ(back->command, "kg ingest file with a line break");
  EXPECT_EQ(back->document, "d");
  EXPECT_EQ(back->count, 7u);
  EXPECT_FALSE(DecodeTx(TxKey(1), "garbage").ok());
  EXPECT_FALSE(DecodeTx("tx/x", value).ok());
}

}  // namespace
}  // namespace kg
