// The format-2 reader over a checked-in version-2 store
// (tests/kg/fixtures/format2-sample, made as tests/kg/fixtures/README.md
// says): the documents, claims, evidence and entities it hands out, chunking,
// and its errors. Depends only on the reader and the fixture, not on the
// store of the current format.
#include "kg/format2_reader.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <tuple>

#include "gtest/gtest.h"
#include "kg/sha256.h"
#include "rocksdb/db.h"
#include "tests/support/temp_dir.h"

namespace kg::format2 {
namespace {

namespace fs = std::filesystem;
using ::kg::testing::TempDir;

const std::string kFixture = std::string(KG_SOURCE_DIR) + "/tests/kg/fixtures/format2-sample";

// What the reader handed out.
struct Contents {
  std::vector<Entity> entities;
  std::vector<std::string> order;  // document ids, in the order read
  std::map<std::string, Document> documents;
  std::map<std::string, std::vector<ClaimEvidence>> claims;
  std::vector<size_t> chunk_sizes;
};

absl::StatusOr<Contents> ReadAll(const std::string& path, const ReadOptions& options = {}) {
  Contents c;
  int entity_calls = 0;
  Visitor v;
  v.entities = [&](const std::vector<Entity>& entities) {
    ++entity_calls;
    EXPECT_TRUE(c.order.empty()) << "entities come before documents";
    c.entities = entities;
    return absl::OkStatus();
  };
  v.document = [&](const DocumentWrite& chunk, bool first) {
    EXPECT_TRUE(chunk.entities.empty());
    EXPECT_LE(chunk.claims.size(), options.max_claims_per_chunk);
    if (first) {
      EXPECT_EQ(c.documents.count(chunk.document.id), 0u) << chunk.document.id;
      c.order.push_back(chunk.document.id);
      c.documents[chunk.document.id] = chunk.document;
    } else {
      EXPECT_EQ(c.order.back(), chunk.document.id) << "a later chunk of another document";
      Document id_only;
      id_only.id = chunk.document.id;
      EXPECT_EQ(chunk.document, id_only) << "a later chunk sets only the id";
      EXPECT_FALSE(chunk.claims.empty());
    }
    auto& claims = c.claims[chunk.document.id];
    claims.insert(claims.end(), chunk.claims.begin(), chunk.claims.end());
    c.chunk_sizes.push_back(chunk.claims.size());
    return absl::OkStatus();
  };
  absl::Status s = ReadStore(path, options, v);
  if (!s.ok()) return s;
  EXPECT_EQ(entity_calls, 1);
  return c;
}

Term E(const std::string& name) { return Term::Entity(name); }
Term Iri(const std::string& iri) { return Term::Iri(iri); }
Term Doc(const std::string& id) { return Term::Document(id); }

Evidence Quoted(const std::string& quote, uint64_t start, uint64_t end) {
  Evidence e;
  e.quote = quote;
  e.span = Span{start, end};
  return e;
}

void ExpectSameClaims(const std::vector<ClaimEvidence>& got, const std::vector<ClaimEvidence>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].claim, want[i].claim) << "#" << i << ": " << got[i].claim.ToString();
    EXPECT_EQ(got[i].evidence, want[i].evidence) << "#" << i << ": " << got[i].claim.ToString();
  }
}

std::map<std::string, uintmax_t> Files(const std::string& dir) {
  std::map<std::string, uintmax_t> files;
  for (const auto& f : fs::directory_iterator(dir)) files[f.path().filename()] = f.file_size();
  return files;
}

TEST(Format2ReaderTest, RecognisesFormat2StoresAndLeavesThemUnchanged) {
  const auto before = Files(kFixture);
  ASSERT_TRUE(IsFormat2Store(kFixture).value_or(false));
  ASSERT_TRUE(ReadAll(kFixture).ok());
  EXPECT_EQ(Files(kFixture), before) << "reading wrote into the store directory";

  TempDir tmp;
  EXPECT_FALSE(IsFormat2Store(tmp.path()).value_or(true));
  EXPECT_FALSE(IsFormat2Store(tmp.Sub("absent")).value_or(true));
  EXPECT_EQ(ReadAll(tmp.path()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Format2ReaderTest, RefusesAnotherFormatVersion) {
  TempDir tmp;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, tmp.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "format_version", "3").ok());
  }
  EXPECT_FALSE(IsFormat2Store(tmp.path()).value_or(true));
  const absl::Status s = ReadAll(tmp.path()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("format version 3"), absl::string_view::npos) << s;
}

TEST(Format2ReaderTest, ReadsEveryDocumentAndEntity) {
  auto c = ReadAll(kFixture);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->order.size(), 5u);
  std::vector<std::string> ids;
  for (const auto& [id, doc] : c->documents) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<std::string>{"atlantic-council-2025", "carnegie-cgsr-commentary-2025",
                                           "crink-alliance-article-2025", "format2-links",
                                           "format2-terms"}));
  EXPECT_EQ(c->claims["atlantic-council-2025"].size(), 271u);
  EXPECT_EQ(c->claims["carnegie-cgsr-commentary-2025"].size(), 151u);
  EXPECT_EQ(c->claims["crink-alliance-article-2025"].size(), 84u);

  ASSERT_EQ(c->entities.size(), 160u);
  std::map<std::string, Entity> by_name;
  for (const Entity& e : c->entities) by_name[e.name] = e;
  EXPECT_EQ(by_name["FSB"], (Entity{"FSB", {"Federal Security Service", "Russian Federal Security Service"},
                                    "Organization"}));
  EXPECT_EQ(by_name["CRINK"],
            (Entity{"CRINK", {"the CRINK", "Axis of Upheaval", "Axis of Autocracy"}, "Alliance"}));
  EXPECT_EQ(by_name["FixtureAgency"],
            (Entity{"FixtureAgency", {"Fixture Agency", "the Agency"}, "Organization"}));
  EXPECT_EQ(by_name["Agent"], (Entity{"Agent", {}, "Type"}));
}

TEST(Format2ReaderTest, DocumentFieldsLinksAndAttributedClaims) {
  auto c = ReadAll(kFixture);
  ASSERT_TRUE(c.ok()) << c.status();
  const Document& d = c->documents["crink-alliance-article-2025"];
  EXPECT_EQ(d.title, "The emerging CRINK alliance: A new challenge to US influence");
  EXPECT_EQ(d.date, (Date{2025, 0, 0}));
  EXPECT_EQ(d.type, "article");
  EXPECT_EQ(d.sha256, Sha256::HexDigest(d.text));
  EXPECT_EQ(d.links,
            (std::vector<DocumentLink>{
                {Relation::kReports, Doc("wsj-crink-2025"), "A recent report by The Wall Street Journal",
                 Span{355, 397}},
                {Relation::kQuotes, E("JohnPark"), "“common market of autocracies.”", Span{1390, 1421}},
                {Relation::kQuotes, E("ChristopherChivvis"),
                 "“What we want to avoid is the deepening scenario, where they do actually build on "
                 "the cooperation that we have seen over the last couple of years,”",
                 Span{4166, 4313}}}));

  // In evidence ordinal order; the links' own evidence (ordinals 84-86) is
  // left out.
  const auto& claims = c->claims["crink-alliance-article-2025"];
  ASSERT_EQ(claims.size(), 84u);
  Evidence leads = Quoted("Russia’s central role in a new axis comprising China, Russia, Iran, and the DPRK",
                          86, 166);
  leads.hedge = Hedge::kReported;
  leads.via = {Doc("wsj-crink-2025")};
  EXPECT_EQ(claims[0].claim, Term::Claim(E("Russia"), E("leads"), E("CRINK")));
  EXPECT_EQ(claims[0].evidence, leads);
  Evidence autocracies = Quoted(
      "Atlantic Council fellow John Park describes as a “common market of autocracies.”", 1341, 1421);
  autocracies.hedge = Hedge::kReported;
  autocracies.agent = E("JohnPark");
  autocracies.via = {Doc("wsj-crink-2025")};
  EXPECT_EQ(claims[21].claim, Term::Claim(E("CRINK"), E("described_as"),
                                          Term::String("common market of autocracies")));
  EXPECT_EQ(claims[21].evidence, autocracies);
  EXPECT_EQ(claims[83].claim,
            Term::Claim(Doc("crink-alliance-article-2025"), E("mentions"), E("ChristopherChivvis")));
  EXPECT_EQ(claims[83].evidence, Quoted("Chivvis", 3899, 3906));
}

TEST(Format2ReaderTest, LinksQualifiersAndAClaimThatRepeatsALink) {
  auto c = ReadAll(kFixture);
  ASSERT_TRUE(c.ok()) << c.status();
  const Document& d = c->documents["format2-links"];
  EXPECT_EQ(d.title, "Links and repeated claims");
  EXPECT_EQ(d.publisher, "Fixture Press");
  EXPECT_EQ(d.authors, (std::vector<std::string>{"Ada Example", "Bo Example"}));
  EXPECT_EQ(d.date, (Date{2024, 6, 3}));
  EXPECT_EQ(d.url, "https://example.org/format2-links");
  EXPECT_EQ(d.type, "report");
  EXPECT_EQ(d.text,
            "The CRINK article is cited here.\nThe Agency denies that Iran supplied drones, and says\n"
            "Iran sent Russia 2700 drones per month.\n");
  EXPECT_EQ(d.links, (std::vector<DocumentLink>{
                         {Relation::kCites, Doc("crink-alliance-article-2025"), "The CRINK article",
                          Span{0, 17}},
                         {Relation::kQuotes, E("JohnPark"), "", std::nullopt},
                         {Relation::kDerivedFrom, Iri("https://example.org/dataset"), "", std::nullopt}}));

  const Term supplied = Term::Claim(E("Iran"), E("supplied"), E("ShahedDrone"));
  std::vector<ClaimEvidence> want;
  // The claim `dup` repeats the link's claim, quote and span: it stays, and
  // the link's own evidence (ordinal 5) is the one left out.
  want.push_back({Term::Claim(Doc("format2-links"), E("cites"), Doc("crink-alliance-article-2025")),
                  Quoted("The CRINK article", 0, 17)});
  Evidence denied = Quoted("denies that Iran supplied drones", 44, 76);
  denied.agent = E("FixtureAgency");
  denied.hedge = Hedge::kDenied;
  denied.stance = Stance::kDisputes;
  want.push_back({supplied, denied});
  Evidence negated = Quoted("denies that Iran supplied drones", 44, 76);
  negated.via = {Doc("crink-alliance-article-2025"), E("JohnPark")};
  negated.negated = true;
  want.push_back({Term::Claim(E("FixtureAgency"), E("described_as"), supplied), negated});
  Evidence qualified = Quoted("Iran sent Russia 2700 drones per month", 87, 125);
  qualified.qualifiers = {{"quantity", *Term::Quantity("2700", "drones per month")},
                          {"time", *Term::DateOf(Date{2025, 3, 0})},
                          {"place", E("Russia")}};
  want.push_back({Term::Claim(E("Iran"), E("supplies_arms_to"), E("Russia")), qualified});
  want.push_back({Term::Claim(Doc("format2-links"), E("mentions"), E("FixtureAgency")),
                  Quoted("The Agency", 33, 43)});
  ExpectSameClaims(c->claims["format2-links"], want);
}

TEST(Format2ReaderTest, EveryKindOfTerm) {
  auto c = ReadAll(kFixture);
  ASSERT_TRUE(c.ok()) << c.status();
  const Document& d = c->documents["format2-terms"];
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.date, std::nullopt);
  EXPECT_TRUE(d.links.empty());

  const std::string ex = "http://example.org/";
  const std::string xsd = "http://www.w3.org/2001/XMLSchema#";
  const Term zurich = Iri(ex + "zurich");
  const Term mayor = Term::BlankNode("dformat2-terms.mayor");
  auto date = [](int32_t y, uint8_t m, uint8_t d) { return *Term::DateOf(Date{y, m, d}); };
  // (subject, predicate, object) of each line of format2-terms.nt, in order.
  const std::vector<std::tuple<Term, std::string, Term>> lines = {
      {zurich, "name", Term::String("Zürich", "de")},
      {zurich, "name", Term::String("Zurich")},
      {zurich, "name", Term::String("مدينة زيورخ", "ar--rtl")},
      {zurich, "motto", Term::String("a string longer than fourteen bytes")},
      {zurich, "code", Term::String("exactly14bytes")},
      {zurich, "code", Term::String("fifteen bytes..")},
      {zurich, "code", Term::String("")},
      {zurich, "population", Term::Integer(421878)},
      {zurich, "lowest", Term::Integer(std::numeric_limits<int64_t>::min())},
      {zurich, "highest", Term::Integer(std::numeric_limits<int64_t>::max())},
      {zurich, "area", *Term::Decimal("87.88")},
      {zurich, "offset", *Term::Decimal("-0.5")},
      {zurich, "elevation", Term::TypedLiteral("408.0", xsd + "decimal")},
      {zurich, "founded", date(15, 0, 0)},
      {zurich, "charter", date(1218, 4, 0)},
      {zurich, "joined", date(1351, 5, 1)},
      {zurich, "census", date(2024, 2, 29)},
      {zurich, "capital", Term::TypedLiteral("false", xsd + "boolean")},
      {zurich, "budget", *Term::Quantity("9.1", "billion CHF")},
      {zurich, "mayor", mayor},
      {mayor, "name", Term::String("Corine Mauch")},
      {mayor, "since", date(2009, 0, 0)},
      {zurich, "says", Term::Claim(mayor, Iri(ex + "governs"), zurich)},
      {zurich, "name", Term::String("Zürich", "de")},  // the first claim again
  };
  std::vector<ClaimEvidence> want;
  for (const auto& [s, p, o] : lines) want.push_back({Term::Claim(s, Iri(ex + p), o), Evidence()});
  ExpectSameClaims(c->claims["format2-terms"], want);
}

TEST(Format2ReaderTest, SmallChunksAndPassesGiveTheSameClaimsInTheSameOrder) {
  auto whole = ReadAll(kFixture);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->chunk_sizes.size(), 5u);
  ReadOptions small;
  small.max_claims_per_chunk = 10;
  small.ordinals_per_pass = 4;
  auto chunked = ReadAll(kFixture, small);
  ASSERT_TRUE(chunked.ok()) << chunked.status();
  EXPECT_EQ(chunked->order, whole->order);
  EXPECT_EQ(chunked->entities, whole->entities);
  EXPECT_EQ(chunked->documents, whole->documents);
  for (const std::string& id : whole->order) {
    SCOPED_TRACE(id);
    ExpectSameClaims(chunked->claims[id], whole->claims[id]);
  }
  // 271 + 151 + 84 + 5 + 24 claims in chunks of at most 10.
  EXPECT_EQ(chunked->chunk_sizes.size(), 28u + 16 + 9 + 1 + 3);
}

TEST(Format2ReaderTest, AVisitorErrorStopsTheRead) {
  int calls = 0;
  Visitor v;
  v.document = [&](const DocumentWrite&, bool) {
    ++calls;
    return absl::CancelledError("enough");
  };
  EXPECT_EQ(ReadStore(kFixture, {}, v), absl::CancelledError("enough"));
  EXPECT_EQ(calls, 1);
}

// A copy of the fixture damaged through raw RocksDB.
class DamagedFixture {
 public:
  DamagedFixture() {
    fs::copy(kFixture, path(), fs::copy_options::recursive);
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : {"default", "dict", "spo", "pos", "osp", "evidence", "doc_evidence",
                             "documents", "entities", "aliases", "stats", "text"}) {
      cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(), path(), cfs, &handles_, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(raw);
  }
  ~DamagedFixture() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  std::string path() const { return tmp_.Sub("store"); }
  // Index into the column families listed above.
  rocksdb::ColumnFamilyHandle* cf(int i) { return handles_[i]; }
  rocksdb::DB* db() { return db_.get(); }
  // Closes the store so the reader can open it.
  void Close() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    handles_.clear();
    db_.reset();
  }

 private:
  TempDir tmp_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// The 16-byte format-2 id of entity `name` (tag 0x10, SHA-256 prefix).
std::string EntityId(const std::string& name) {
  const std::string value = "\x10" + name;
  const Sha256::Digest digest = Sha256::Hash(value);
  return "\x10" + std::string(reinterpret_cast<const char*>(digest.data()), 15);
}

TEST(Format2ReaderTest, AMissingDictionaryEntryIsDataLossNamingTheEvidence) {
  DamagedFixture store;
  ASSERT_TRUE(store.db()->Delete(rocksdb::WriteOptions(), store.cf(1), EntityId("FixtureAgency")).ok());
  store.Close();
  const absl::Status s = ReadAll(store.path()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("document 'format2-links': evidence ordinal 1: no dictionary entry"),
            absl::string_view::npos)
      << s;
}

TEST(Format2ReaderTest, ADictionaryEntryThatDoesNotHashToItsIdIsDataLoss) {
  DamagedFixture store;
  ASSERT_TRUE(store.db()->Put(rocksdb::WriteOptions(), store.cf(1), EntityId("FixtureAgency"),
                              "\x10" "SomeoneElse").ok());
  store.Close();
  const absl::Status s = ReadAll(store.path()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("does not hash to term id"), absl::string_view::npos) << s;
}

TEST(Format2ReaderTest, AnUndecodableRecordIsDataLoss) {
  DamagedFixture store;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.cf(5)));
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  ASSERT_TRUE(store.db()->Put(rocksdb::WriteOptions(), store.cf(5), it->key(), "\x01\x01garbage").ok());
  it.reset();
  store.Close();
  const absl::Status s = ReadAll(store.path()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("evidence ordinal"), absl::string_view::npos) << s;
}

}  // namespace
}  // namespace kg::format2
