// Store behaviour: round trips, the 8 scan patterns, replace-on-rewrite,
// statistics, aliases, snapshots, reopen, locking and the format gate.
#include "kg/store.h"

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "gtest/gtest.h"
#include "kg/str_cat.h"
#include "rocksdb/db.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg {
namespace {

using ::kg::testing::ClaimIn;
using ::kg::testing::IdIn;

using ::kg::testing::DocBuilder;
using ::kg::testing::TempDir;

std::unique_ptr<Store> OpenStore(const std::string& path, StoreOptions options = {}) {
  options.sync_writes = false;  // tests do not need fsync; crash tests do
  auto store = Store::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::vector<Triple> ScanAll(const Snapshot& snap, const TriplePattern& q) {
  std::vector<Triple> out;
  TripleCursor c = snap.Scan(q);
  for (; c.Valid(); c.Next()) out.push_back(c.triple());
  EXPECT_TRUE(c.status().ok()) << c.status();
  return out;
}

void ExpectCheckOk(const Store& store) {
  auto report = store.Check();
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& p : report->problems) ADD_FAILURE() << "check: " << p;
}

TEST(StoreTest, RoundTripsEveryTermKindAndTheEvidence) {
  TempDir dir;
  const std::vector<Term> objects = {
      Term::Entity("Пхеньян"),
      Term::Iri("https://example.org/ünï"),
      Term::Document("wsj-report"),
      Term::String("short"),
      Term::String("a long string literal: « half of Russia's munitions »"),
      Term::String("ось потрясений", "ru"),
      Term::Integer(-42),
      *Term::Decimal("26.5"),
      *Term::ParseDate("2024-06"),
      *Term::Quantity("2700", "drones/month"),
      Term::Claim(Term::Entity("CRINK"), Term::Entity("is_a"), Term::Entity("axis")),
  };
  DocBuilder b("doc-1");
  b.write().document.text = "Préface — ";  // non-ASCII before the spans
  for (size_t i = 0; i < objects.size(); ++i) {
    b.Claim(Term::Entity("subject"), Term::Entity(StrCat("p", i)), objects[i],
            StrCat("Claim №", i, " über ", objects[i].ToString(), "."));
  }
  // A claim as the subject of another claim (RDF 1.2 triple term).
  const Term quoted = Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"),
                                  Term::Entity("Shahed drone"));
  b.Claim(quoted, Term::Entity("disputed_by"), Term::Entity("Iran"),
          "Tehran denies supplying drones.", Hedge::kDenied);
  ClaimEvidence& last = b.write().claims.back();
  last.evidence.agent = Term::Entity("Iranian foreign ministry");
  last.evidence.via = {Term::Document("wsj-report"), Term::Entity("John Park")};
  last.evidence.stance = Stance::kDisputes;
  last.evidence.negated = true;
  last.evidence.qualifiers = {{"time", *Term::ParseDate("2024-06-19")},
                              {"place", Term::Entity("Kursk")},
                              {"quantity", *Term::Quantity("12000", "soldiers")}};
  Document& d = b.write().document;
  d.authors = {"Émile Zola", "李"};
  d.date = Date{2024, 11, 0};
  d.url = "https://example.org/a";
  const DocumentWrite w = b.Build();
  {
    auto store = OpenStore(dir.path());
    ASSERT_TRUE(store->WriteDocument(w).ok());
  }
  auto store = OpenStore(dir.path());  // reopen: everything persisted
  auto snap = store->NewSnapshot();
  for (const ClaimEvidence& ce : w.claims) {
    const TermId id = IdIn(*snap, ce.claim);
    auto term = snap->Decode(id);
    ASSERT_TRUE(term.ok()) << term.status();
    EXPECT_EQ(*term, ce.claim) << ce.claim.ToString();
    auto ev = snap->EvidenceFor(id);
    ASSERT_TRUE(ev.ok()) << ev.status();
    ASSERT_EQ(ev->size(), 1u);
    EXPECT_EQ((*ev)[0].document_id, "doc-1");
    EXPECT_EQ((*ev)[0].evidence, ce.evidence) << ce.claim.ToString();
  }
  auto doc = snap->GetDocument("doc-1");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  Document expected = w.document;
  expected.sha256 = (*doc)->sha256;
  EXPECT_EQ(**doc, expected);
  EXPECT_EQ((*doc)->sha256.size(), 64u);
  // The nested claim is a term but not asserted on its own.
  auto asserted = snap->Contains(Triple{IdIn(*snap, quoted.subject()), IdIn(*snap, quoted.predicate()),
                                        IdIn(*snap, quoted.object())});
  ASSERT_TRUE(asserted.ok());
  EXPECT_FALSE(*asserted);
  ExpectCheckOk(*store);
}

TEST(StoreTest, EachOfTheEightPatternsIsOnePrefixScan) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  std::set<std::tuple<std::string, std::string, std::string>> model;
  DocBuilder b("d");
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    const std::string s = StrCat("s", rng() % 12), p = StrCat("p", rng() % 4),
                      o = StrCat("o", rng() % 15);
    if (model.insert({s, p, o}).second) b.Claim(s, p, o);
  }
  ASSERT_TRUE(store->WriteDocument(b.Build()).ok());
  auto snap = store->NewSnapshot();
  auto id = [&](const std::string& n) { return IdIn(*snap, Term::Entity(n)); };
  const std::string S = "s3", P = "p1", O = "o4";
  struct Case {
    bool s, p, o;
    Permutation perm;
  };
  for (const Case& c : {Case{false, false, false, Permutation::kSpo},
                        Case{true, false, false, Permutation::kSpo},
                        Case{false, true, false, Permutation::kPos},
                        Case{false, false, true, Permutation::kOsp},
                        Case{true, true, false, Permutation::kSpo},
                        Case{false, true, true, Permutation::kPos},
                        Case{true, false, true, Permutation::kOsp},
                        Case{true, true, true, Permutation::kSpo}}) {
    TriplePattern q;
    if (c.s) q.s = id(S);
    if (c.p) q.p = id(P);
    if (c.o) q.o = id(O);
    std::set<Triple, decltype([](const Triple& a, const Triple& b) {
               return std::tie(a.s, a.p, a.o) < std::tie(b.s, b.p, b.o);
             })>
        want;
    for (const auto& [s, p, o] : model) {
      if ((!c.s || s == S) && (!c.p || p == P) && (!c.o || o == O)) {
        want.insert(Triple{id(s), id(p), id(o)});
      }
    }
    const std::string label = StrCat(c.s ? "s" : "?", c.p ? "p" : "?", c.o ? "o" : "?");
    EXPECT_EQ(PlanScan(q).perm, c.perm) << label;
    auto got = ScanAll(*snap, q);
    EXPECT_EQ(got.size(), want.size()) << label;
    for (const Triple& t : got) EXPECT_TRUE(want.contains(t)) << label;
    // Keys come back in the permutation's byte order.
    for (size_t i = 1; i < got.size(); ++i) {
      EXPECT_LT(TripleKey(c.perm, got[i - 1]), TripleKey(c.perm, got[i])) << label;
    }
    if (c.s && c.p && c.o) {
      EXPECT_EQ(got.size(), model.contains({S, P, O}) ? 1u : 0u);
    }
  }
}

TEST(StoreTest, SameClaimFromTwoDocumentsIsOneClaimWithTwoEvidence) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("a").Claim("Iran", "supplied", "Shahed").Build()).ok());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("b").Claim("Iran", "supplied", "Shahed").Build()).ok());
  auto snap = store->NewSnapshot();
  const Term claim = Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"), Term::Entity("Shahed"));
  auto ev = snap->EvidenceFor(IdIn(*snap, claim));
  ASSERT_TRUE(ev.ok());
  ASSERT_EQ(ev->size(), 2u);
  std::set<std::string> docs = {(*ev)[0].document_id, (*ev)[1].document_id};
  EXPECT_EQ(docs, (std::set<std::string>{"a", "b"}));
  auto totals = snap->Totals();
  EXPECT_EQ(totals->triples, 1u);
  EXPECT_EQ(totals->evidence, 2u);
  EXPECT_EQ(totals->documents, 2u);
  ExpectCheckOk(*store);
}

// A read-only open reads the counters once (Snapshot::Totals caches them
// in its instance): each open sees the store as it was when it opened.
TEST(StoreTest, ReadOnlyOpensCountTheStoreAsTheyOpenedIt) {
  TempDir dir;
  StoreOptions read_only;
  read_only.read_only = true;
  {
    auto store = OpenStore(dir.path());
    ASSERT_TRUE(store->WriteDocument(DocBuilder("a").Claim("A", "rel", "B").Build()).ok());
  }
  auto first = Store::Open(dir.path(), read_only);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->NewSnapshot()->Totals()->documents, 1u);
  EXPECT_EQ((*first)->NewSnapshot()->Totals(/*count_predicates=*/false)->triples, 1u);
  first->reset();
  {
    auto store = OpenStore(dir.path());
    ASSERT_TRUE(store->WriteDocument(DocBuilder("b").Claim("B", "rel", "C").Claim("C", "rel", "D").Build()).ok());
  }
  auto second = Store::Open(dir.path(), read_only);
  ASSERT_TRUE(second.ok()) << second.status();
  auto totals = (*second)->NewSnapshot()->Totals();
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->documents, 2u);
  EXPECT_EQ(totals->triples, 3u);
  EXPECT_EQ(totals->evidence, 3u);
  EXPECT_EQ(totals->predicates, 1u);
  EXPECT_EQ((*second)->NewSnapshot()->Totals()->documents, 2u);  // cached, the same
}

TEST(StoreTest, RewritingADocumentReplacesItsEvidence) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->WriteDocument(
      DocBuilder("x").Claim("A", "rel", "B").Claim("B", "rel", "C").Build()).ok());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("y").Claim("A", "rel", "B").Build()).ok());
  // Rewrite x: drops (A rel B) and (B rel C), adds (C rel D).
  ASSERT_TRUE(store->WriteDocument(DocBuilder("x").Claim("C", "rel", "D").Build()).ok());
  auto snap = store->NewSnapshot();
  auto id = [&](const std::string& n) { return IdIn(*snap, Term::Entity(n)); };
  auto has = [&](const char* s, const char* o) {
    return *snap->Contains(Triple{id(s), id("rel"), id(o)});
  };
  EXPECT_TRUE(has("A", "B"));   // still evidenced by y
  EXPECT_FALSE(has("B", "C"));  // orphaned, removed
  EXPECT_TRUE(has("C", "D"));
  auto ab = snap->EvidenceFor(ClaimIn(*snap, id("A"), id("rel"), id("B")));
  ASSERT_EQ(ab->size(), 1u);
  EXPECT_EQ((*ab)[0].document_id, "y");
  EXPECT_EQ(snap->EvidenceInDocument("x")->size(), 1u);
  auto st = snap->StatsFor(id("rel"));
  EXPECT_EQ(*st, (PredicateStats{2, 2, 2}));
  auto totals = snap->Totals();
  EXPECT_EQ(totals->documents, 2u);
  EXPECT_EQ(totals->evidence, 2u);
  EXPECT_EQ(totals->triples, 2u);
  // Writing the same content again changes nothing.
  ASSERT_TRUE(store->WriteDocument(DocBuilder("x").Claim("C", "rel", "D").Build()).ok());
  EXPECT_EQ(store->NewSnapshot()->Totals()->evidence, 2u);
  ExpectCheckOk(*store);

  ASSERT_TRUE(store->DeleteDocument("y").ok());
  snap = store->NewSnapshot();
  EXPECT_FALSE(has("A", "B"));
  EXPECT_FALSE(snap->GetDocument("y")->has_value());
  EXPECT_EQ(store->DeleteDocument("y").code(), absl::StatusCode::kNotFound);
  ExpectCheckOk(*store);
}

TEST(StoreTest, StatisticsStayExactUnderRandomWritesRewritesAndDeletes) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  // Model: document -> its set of (s, p, o).
  using Spo = std::tuple<std::string, std::string, std::string>;
  std::map<std::string, std::set<Spo>> docs;
  std::mt19937 rng(42);
  for (int step = 0; step < 60; ++step) {
    const std::string doc = StrCat("doc", rng() % 8);
    if (rng() % 5 == 0 && docs.contains(doc)) {
      ASSERT_TRUE(store->DeleteDocument(doc).ok());
      docs.erase(doc);
    } else {
      DocBuilder b(doc);
      std::set<Spo> claims;
      const int n = 1 + rng() % 12;
      for (int i = 0; i < n; ++i) {
        Spo t{StrCat("e", rng() % 6), StrCat("p", rng() % 3), StrCat("e", rng() % 6)};
        claims.insert(t);
        b.Claim(std::get<0>(t), std::get<1>(t), std::get<2>(t));  // may repeat
      }
      ASSERT_TRUE(store->WriteDocument(b.Build()).ok());
      docs[doc] = claims;
    }
    std::set<Spo> all;
    size_t evidence = 0;
    for (const auto& [d, claims] : docs) all.insert(claims.begin(), claims.end());
    auto snap = store->NewSnapshot();
    for (int p = 0; p < 3; ++p) {
      const std::string pred = StrCat("p", p);
      std::set<std::string> subjects, objects;
      uint64_t triples = 0;
      for (const auto& [s, pp, o] : all) {
        if (pp != pred) continue;
        ++triples;
        subjects.insert(s);
        objects.insert(o);
      }
      auto st = snap->StatsFor(IdIn(*snap, Term::Entity(pred)));
      ASSERT_TRUE(st.ok());
      EXPECT_EQ(*st, (PredicateStats{triples, subjects.size(), objects.size()}))
          << "step " << step << " " << pred;
    }
    for (const auto& [d, claims] : docs) evidence += snap->EvidenceInDocument(d)->size();
    auto totals = snap->Totals();
    EXPECT_EQ(totals->triples, all.size()) << "step " << step;
    EXPECT_EQ(totals->documents, docs.size());
    EXPECT_EQ(totals->evidence, evidence);
    if (step % 10 == 9) ExpectCheckOk(*store);
  }
}

TEST(StoreTest, AliasesResolveCaseInsensitivelyAndMerge) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->PutEntities({{"Iran", {"Tehran"}, "Country"}}).ok());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("d")
                                       .Entity("Iran", {"Islamic  Republic of Iran"})
                                       .Entity("North Korea", {"Pyongyang", "DPRK"})
                                       .Claim("Iran", "supplied", "Russia")
                                       .Build())
                  .ok());
  auto snap = store->NewSnapshot();
  const TermId iran = IdIn(*snap, Term::Entity("Iran"));
  for (const char* name : {"Iran", "iran", "TEHRAN", " islamic republic of  iran "}) {
    auto ids = snap->Resolve(name);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids, std::vector<TermId>{iran}) << name;
  }
  EXPECT_EQ(*snap->Resolve("dprk"), std::vector<TermId>{IdIn(*snap, Term::Entity("North Korea"))});
  // Entities only mentioned in claims are findable by their name too.
  EXPECT_EQ(snap->Resolve("russia")->size(), 1u);
  EXPECT_TRUE(snap->Resolve("Atlantis")->empty());
  auto entity = snap->GetEntity(iran);
  ASSERT_TRUE(entity.ok() && entity->has_value());
  EXPECT_EQ((*entity)->aliases,
            (std::vector<std::string>{"Tehran", "Islamic  Republic of Iran"}));
  EXPECT_EQ((*entity)->type, "Country");
  ExpectCheckOk(*store);
}

TEST(StoreTest, DocumentLinksBecomeClaimsOfTheDocument) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("article")
                                       .Link(Relation::kReports, Term::Document("wsj"))
                                       .Link(Relation::kQuotes, Term::Entity("John Park"))
                                       .Build())
                  .ok());
  auto snap = store->NewSnapshot();
  TriplePattern q;
  q.s = IdIn(*snap, Term::Document("article"));
  auto got = ScanAll(*snap, q);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(*snap->Contains(Triple{IdIn(*snap, Term::Document("article")),
                                     IdIn(*snap, Term::Entity("reports")),
                                     IdIn(*snap, Term::Document("wsj"))}));
  auto doc = snap->GetDocument("article");
  ASSERT_EQ((*doc)->links.size(), 2u);
  EXPECT_EQ((*doc)->links[1].target, Term::Entity("John Park"));
  ExpectCheckOk(*store);
}

TEST(StoreTest, SnapshotsDoNotSeeLaterWrites) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("a").Claim("A", "r", "B").Build()).ok());
  auto before = store->NewSnapshot();
  ASSERT_TRUE(store->WriteDocument(DocBuilder("b").Claim("C", "r", "D").Build()).ok());
  ASSERT_TRUE(store->DeleteDocument("a").ok());
  EXPECT_EQ(ScanAll(*before, {}).size(), 1u);
  EXPECT_TRUE(before->GetDocument("a")->has_value());
  EXPECT_EQ(before->Totals()->documents, 1u);
  auto after = store->NewSnapshot();
  EXPECT_EQ(ScanAll(*after, {}).size(), 1u);
  EXPECT_FALSE(after->GetDocument("a")->has_value());
}

TEST(StoreTest, InvalidInputIsRejectedWithAClearMessageAndWritesNothing) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  struct Case {
    std::string name;
    std::function<void(DocumentWrite&)> mutate;
    std::string message;
  };
  std::vector<Case> cases = {
      {"quote differs", [](DocumentWrite& w) { w.claims[1].evidence.quote = "B r C!"; },
       "claim #2 <<"},
      {"span past end", [](DocumentWrite& w) { w.claims[2].evidence.span = Span{0, 10000}; },
       "outside the document text"},
      {"not a claim", [](DocumentWrite& w) { w.claims[0].claim = Term::Entity("A"); },
       "expected a claim"},
      {"empty id", [](DocumentWrite& w) { w.document.id = ""; }, "document id is empty"},
      {"bad utf8", [](DocumentWrite& w) { w.document.text += "\xff"; }, "not valid UTF-8"},
      {"empty entity", [](DocumentWrite& w) {
         w.claims[0].claim = Term::Claim(Term::Entity(""), Term::Entity("r"), Term::Entity("B"));
       }, "entity name is empty"},
      {"bad lang", [](DocumentWrite& w) {
         w.claims[0].claim = Term::Claim(Term::Entity("A"), Term::Entity("r"),
                                         Term::String("x", "not a tag"));
       }, "invalid language tag"},
      {"bad date", [](DocumentWrite& w) { w.document.date = Date{2023, 2, 29}; }, "invalid date"},
      {"link to literal", [](DocumentWrite& w) {
         w.document.links.push_back({Relation::kCites, Term::Integer(3), "", std::nullopt});
       }, "target must be a document"},
  };
  for (const Case& c : cases) {
    DocumentWrite w = DocBuilder("bad").Claim("A", "r", "B").Claim("B", "r", "C")
                          .Claim("C", "r", "D").Build();
    c.mutate(w);
    absl::Status s = store->WriteDocument(w);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(s.message()).find(c.message), std::string::npos)
        << c.name << ": " << s.message();
  }
  auto snap = store->NewSnapshot();
  EXPECT_EQ(ScanAll(*snap, {}).size(), 0u);
  EXPECT_EQ(snap->Totals()->documents, 0u);
  EXPECT_TRUE(snap->ListDocuments()->empty());
  ExpectCheckOk(*store);
}

TEST(StoreTest, SecondWriterIsRefusedAndReadOnlyOpenWorks) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->WriteDocument(DocBuilder("a").Claim("A", "r", "B").Build()).ok());
  auto second = Store::Open(dir.path(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  // The message names the holder: this process.
  EXPECT_NE(std::string(second.status().message())
                .find(StrCat("is open for writing by process ", ::getpid(), " (")),
            std::string::npos)
      << second.status();
  EXPECT_NE(Store::WriterOf(dir.path()).find(StrCat("process ", ::getpid())), std::string::npos);
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir.path(), ro);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->NewSnapshot()->Totals()->triples, 1u);
  EXPECT_EQ((*reader)->WriteDocument(DocBuilder("b").Build()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StoreTest, AFollowerSeesTheWritersCommitsAfterCatchUp) {
  TempDir dir;
  auto writer = OpenStore(dir.path());
  ASSERT_TRUE(writer->WriteDocument(DocBuilder("a").Claim("A", "r", "B").Build()).ok());
  StoreOptions fo;
  fo.follower_dir = dir.Sub("follower");
  auto follower = Store::Open(dir.path(), fo);
  ASSERT_TRUE(follower.ok()) << follower.status();
  EXPECT_EQ((*follower)->NewSnapshot()->Totals()->documents, 1u);
  ASSERT_TRUE(writer->WriteDocument(DocBuilder("b").Claim("C", "r", "D").Build()).ok());
  EXPECT_EQ((*follower)->NewSnapshot()->Totals()->documents, 1u);  // not yet
  ASSERT_TRUE((*follower)->CatchUp().ok());
  EXPECT_EQ((*follower)->NewSnapshot()->Totals()->documents, 2u);
  EXPECT_EQ((*follower)->WriteDocument(DocBuilder("c").Build()).code(),
            absl::StatusCode::kFailedPrecondition);
  // Closing the writer clears its record.
  writer.reset();
  EXPECT_EQ(Store::WriterOf(dir.path()), "");
}

TEST(StoreTest, OpenRefusesOtherFormatVersionsAndNonStores) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  { ASSERT_NE(OpenStore(path), nullptr); }
  {
    // Rewrite the version marker with raw RocksDB, as a future kg would.
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (int i = 0; i < kNumCfs; ++i) {
      cfs.emplace_back(std::string(CfName(static_cast<Cf>(i))), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[0], "format_version", "999").ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto store = Store::Open(path, {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string msg(store.status().message());
  EXPECT_NE(msg.find("format version 999"), std::string::npos) << msg;
  EXPECT_NE(msg.find("kg export"), std::string::npos) << msg;

  // A plain RocksDB database is not a store.
  const std::string plain = dir.Sub("plain");
  {
    rocksdb::DB* raw = nullptr;
    rocksdb::Options o;
    o.create_if_missing = true;
    ASSERT_TRUE(rocksdb::DB::Open(o, plain, &raw).ok());
    delete raw;
  }
  auto not_store = Store::Open(plain, {});
  EXPECT_EQ(not_store.status().code(), absl::StatusCode::kFailedPrecondition);
  // Nor is a directory of other files, and it is left untouched.
  const std::string other = dir.Sub("other");
  std::filesystem::create_directories(other + "/x");
  EXPECT_EQ(Store::Open(other, {}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(other + "/CURRENT"));
  // Missing store without create_if_missing.
  StoreOptions no_create;
  no_create.create_if_missing = false;
  EXPECT_EQ(Store::Open(dir.Sub("absent"), no_create).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kg
