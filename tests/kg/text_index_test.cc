// The full-text index over evidence quotes: the tokenizer, SearchQuotes
// (all words and phrases), index maintenance on replace/append/delete,
// persistence, and a randomized comparison against a brute-force search.
#include "kg/text_index.h"

#include <algorithm>
#include <random>
#include <set>

#include "gtest/gtest.h"
#include "kg/store.h"
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
using Tokens = std::vector<std::string>;

struct TokenCase {
  std::string text;
  Tokens tokens;
};

TEST(QuoteTokensTest, SplitsAndFolds) {
  const TokenCase cases[] = {
      {"half of Russia's munitions", {"half", "of", "russia", "s", "munitions"}},
      {"half of Russia\u2019s munitions", {"half", "of", "russia", "s", "munitions"}},
      {"\u2018Russia\u02BCs\u2019", {"russia", "s"}},
      {"CRINK Axis, crink AXIS", {"crink", "axis", "crink", "axis"}},
      {"Kendall-Taylor", {"kendall", "taylor"}},
      {"Kendall\u2013Taylor \u2014 Fontaine", {"kendall", "taylor", "fontaine"}},
      {"2,700 drones, 26.5% more", {"2", "700", "drones", "26", "5", "more"}},
      {"F-16s and 5G", {"f", "16s", "and", "5g"}},
      {"Zürich ZÜRICH", {"zürich", "zürich"}},
      {"ŁÓDŹ, İstanbul, ŒUVRE", {"łódź", "istanbul", "œuvre"}},
      {"naïve café façade", {"naïve", "café", "façade"}},
      {"Пхеньян ПХЕНЬЯН Ёлка", {"пхеньян", "пхеньян", "ёлка"}},
      {"ΑΘΗΝΑ", {"αθηνα"}},
      {"北京、上海。", {"北京", "上海"}},
      {"«quoted» “text”… ¿qué? ×÷", {"quoted", "text", "qué"}},
      {"drones🚀launched", {"drones", "launched"}},
      {"tab\tnew\nline\u00A0nbsp", {"tab", "new", "line", "nbsp"}},
      {"ab\xff" "cd\xe2\x82", {"ab", "cd"}},  // invalid bytes separate
      {"ab\xc0\xaf" "cd\xed\xa0\x80" "ef\xf4\x90\x80\x80" "gh", {"ab", "cd", "ef", "gh"}},
      {"x\xf0\xc3\xa9y", {"x", "\xc3\xa9y"}},  // a valid sequence right after a bad lead
      {"a\x80\xbf" "b\xef\xbf\xbd" "c", {"a", "b", "c"}},  // as U+FFFD does
      {"", {}},
      {" \u2014 ... '' ", {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(QuoteTokens(c.text), c.tokens) << c.text;
  }
}

std::unique_ptr<Store> OpenStore(const std::string& path) {
  StoreOptions options;
  options.sync_writes = false;
  auto store = Store::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

void ExpectCheckOk(const Store& store) {
  auto report = store.Check();
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& p : report->problems) ADD_FAILURE() << "check: " << p;
}

Term E(const std::string& name) { return Term::Entity(name); }

// The quotes found, in result order.
std::vector<std::string> Quotes(const Store& store, std::string_view query,
                                bool phrase, size_t limit = 0) {
  auto found = store.NewSnapshot()->SearchQuotes(query, phrase, limit);
  EXPECT_TRUE(found.ok()) << found.status();
  std::vector<std::string> out;
  if (found.ok()) {
    for (const auto& e : *found) out.push_back(e.evidence.quote);
  }
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class TextIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    ASSERT_NE(store_, nullptr);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

constexpr char kPhraseQuote[] = "North Korea supplied half of Russia\u2019s munitions.";
constexpr char kWordsQuote[] = "Russia bought munitions; half were shells.";

TEST_F(TextIndexTest, AllWordsAndPhrase) {
  ASSERT_TRUE(store_->WriteDocument(DocBuilder("d1")
                                        .Claim(E("North Korea"), E("supplied"), E("Russia"),
                                               kPhraseQuote)
                                        .Claim(E("Russia"), E("bought"), E("munitions"),
                                               kWordsQuote)
                                        .Claim(E("X"), E("said"), E("Y"), "Nothing relevant.")
                                        .Link(Relation::kCites, Term::Document("d0"))
                                        .Build())
                  .ok());
  ExpectCheckOk(*store_);

  EXPECT_EQ(Sorted(Quotes(*store_, "half Russia munitions", false)),
            Sorted({kPhraseQuote, kWordsQuote}));
  EXPECT_EQ(Quotes(*store_, "half of Russia's munitions", true),
            std::vector<std::string>{kPhraseQuote});
  EXPECT_EQ(Quotes(*store_, "HALF OF RUSSIA\u2019S", true),
            std::vector<std::string>{kPhraseQuote});
  EXPECT_EQ(Quotes(*store_, "munitions; half", true),
            std::vector<std::string>{kWordsQuote});
  // All words present, but not in this order.
  EXPECT_EQ(Quotes(*store_, "munitions half", false).size(), 2u);
  EXPECT_TRUE(Quotes(*store_, "russia half", true).empty());
  EXPECT_TRUE(Quotes(*store_, "half of Russia's shells", false).empty());
  EXPECT_TRUE(Quotes(*store_, "absent", false).empty());
  // A word that occurs twice in the query still needs only one occurrence
  // unless it is a phrase.
  EXPECT_EQ(Quotes(*store_, "half half", false).size(), 2u);
  EXPECT_TRUE(Quotes(*store_, "half half", true).empty());

  auto snap = store_->NewSnapshot();
  for (std::string_view empty : {"", "  ,;\u2014 "}) {
    auto r = snap->SearchQuotes(empty, false, 0);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << empty;
  }

  // Full entries, ordered by claim id then document then ordinal; the limit
  // keeps the first ones.
  auto all = snap->SearchQuotes("munitions", false, 0);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_LT((*all)[0].claim.bytes(), (*all)[1].claim.bytes());
  for (const auto& e : *all) {
    EXPECT_EQ(e.document_id, "d1");
    const uint32_t want = e.evidence.quote == kPhraseQuote ? 0 : 1;
    EXPECT_EQ(e.ordinal, want);
    auto triple = snap->ClaimTriple(e.claim);
    ASSERT_TRUE(triple.ok());
    EXPECT_EQ(triple->s, IdIn(*snap, want == 0 ? E("North Korea") : E("Russia")));
  }
  auto first = snap->SearchQuotes("munitions", false, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].claim, (*all)[0].claim);
}

TEST_F(TextIndexTest, OneClaimQuotedByTwoDocumentsIsFoundInBoth) {
  const Term s = E("Iran"), p = E("supplied"), o = E("Shahed drone");
  ASSERT_TRUE(store_->WriteDocument(
                        DocBuilder("wsj").Claim(s, p, o, "Iran supplied Shahed drones.").Build())
                  .ok());
  ASSERT_TRUE(store_->WriteDocument(
                        DocBuilder("atlantic")
                            .Claim(s, p, o, "Tehran has supplied Shahed drones since 2022.")
                            .Build())
                  .ok());
  auto found = store_->NewSnapshot()->SearchQuotes("supplied Shahed drones", true, 0);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].claim, (*found)[1].claim);
  EXPECT_EQ((std::set<std::string>{(*found)[0].document_id, (*found)[1].document_id}),
            (std::set<std::string>{"wsj", "atlantic"}));
  ExpectCheckOk(*store_);
}

TEST_F(TextIndexTest, ReplaceAppendAndDeleteKeepTheIndexExact) {
  ASSERT_TRUE(store_->WriteDocument(DocBuilder("d1")
                                        .Claim(E("A"), E("fired"), E("B"), "Artillery shells fired.")
                                        .Claim(E("A"), E("made"), E("C"), "Factories made shells.")
                                        .Build())
                  .ok());
  ASSERT_TRUE(store_->WriteDocument(
                        DocBuilder("d2").Claim(E("A"), E("fired"), E("B"), "Shells again.").Build())
                  .ok());
  EXPECT_EQ(Quotes(*store_, "shells", false).size(), 3u);

  // Replacing d1: same claim and ordinal 0 with a new quote, the old second
  // claim gone.
  ASSERT_TRUE(store_->WriteDocument(
                        DocBuilder("d1").Claim(E("A"), E("fired"), E("B"), "Rockets fired.").Build())
                  .ok());
  EXPECT_EQ(Quotes(*store_, "shells", false), std::vector<std::string>{"Shells again."});
  EXPECT_TRUE(Quotes(*store_, "artillery", false).empty());
  EXPECT_TRUE(Quotes(*store_, "factories", false).empty());
  EXPECT_EQ(Quotes(*store_, "rockets fired", true), std::vector<std::string>{"Rockets fired."});
  ExpectCheckOk(*store_);

  // Appending indexes the new evidence only.
  DocBuilder more("d1");
  more.write().document.text = "Rockets fired. ";  // the stored text
  ClaimEvidence rockets;
  rockets.claim = Term::Claim(E("D"), E("fired"), E("E"));
  rockets.evidence.quote = "Rockets";
  rockets.evidence.span = Span{0, 7};
  more.write().claims.push_back(rockets);
  ASSERT_TRUE(store_->AppendToDocument(more.Build()).ok());
  EXPECT_EQ(Sorted(Quotes(*store_, "rockets", false)),
            Sorted({"Rockets fired.", "Rockets"}));
  ExpectCheckOk(*store_);

  ASSERT_TRUE(store_->DeleteDocument("d1").ok());
  EXPECT_TRUE(Quotes(*store_, "rockets", false).empty());
  EXPECT_EQ(Quotes(*store_, "shells", false), std::vector<std::string>{"Shells again."});
  ASSERT_TRUE(store_->DeleteDocument("d2").ok());
  EXPECT_TRUE(Quotes(*store_, "shells", false).empty());
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->text_postings, 0u);
}

TEST_F(TextIndexTest, PersistsAcrossReopen) {
  ASSERT_TRUE(store_->WriteDocument(
                        DocBuilder("d1").Claim(E("A"), E("said"), E("B"), kPhraseQuote).Build())
                  .ok());
  store_.reset();
  store_ = OpenStore(dir_.path());
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Quotes(*store_, "half of russia's munitions", true),
            std::vector<std::string>{kPhraseQuote});
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->text_postings, 8u);  // north korea supplied half of russia s munitions
}

// Random writes, replacements and deletions over a small vocabulary; after
// each, SearchQuotes must equal a brute-force scan of every quote.
TEST_F(TextIndexTest, AgreesWithBruteForceUnderRandomWrites) {
  const std::vector<std::string> words = {"Drones", "drones", "shells", "Iran's",
                                          "Iran\u2019s", "half-of", "2,700", "Zürich"};
  std::mt19937 rng(7);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int step = 0; step < 40; ++step) {
    const std::string id = StrCat("doc", pick(5));
    if (pick(5) == 0) {
      store_->DeleteDocument(id).IgnoreError();
    } else {
      DocBuilder b(id);
      const size_t claims = pick(4);
      for (size_t i = 0; i < claims; ++i) {
        std::string quote;
        for (size_t w = 1 + pick(4); w > 0; --w) quote += words[pick(words.size())] + " ";
        b.Claim(E(StrCat("s", pick(3))), E("p"), E(StrCat("o", pick(3))), quote);
      }
      ASSERT_TRUE(store_->WriteDocument(b.Build()).ok());
    }
    auto snap = store_->NewSnapshot();
    std::vector<EvidenceEntry> everything;
    auto docs = snap->ListDocuments();
    ASSERT_TRUE(docs.ok());
    for (const auto& d : *docs) {
      auto ev = snap->EvidenceInDocument(d);
      ASSERT_TRUE(ev.ok());
      everything.insert(everything.end(), ev->begin(), ev->end());
    }
    for (const std::string query : {"drones", "iran s", "drones shells", "half of 2 700",
                                    "s half", "zürich drones"}) {
      for (bool phrase : {false, true}) {
        const Tokens q = QuoteTokens(query);
        std::multiset<std::string> want;
        for (const auto& e : everything) {
          const Tokens t = QuoteTokens(e.evidence.quote);
          const bool hit =
              phrase ? std::search(t.begin(), t.end(), q.begin(), q.end()) != t.end()
                     : std::all_of(q.begin(), q.end(), [&](const std::string& w) {
                         return std::find(t.begin(), t.end(), w) != t.end();
                       });
          if (hit) want.insert(StrCat(e.document_id, "#", e.ordinal));
        }
        auto found = snap->SearchQuotes(query, phrase, 0);
        ASSERT_TRUE(found.ok()) << found.status();
        std::multiset<std::string> got;
        for (const auto& e : *found) got.insert(StrCat(e.document_id, "#", e.ordinal));
        EXPECT_EQ(got, want) << "step " << step << " query '" << query << "' phrase " << phrase;
      }
    }
  }
  ExpectCheckOk(*store_);
}

TEST(TextIndexFormatTest, StoreOfFormatOneIsRefusedWithTheVersionMessage) {
  TempDir dir;
  {
    // A format-1 store: every column family but "text".
    rocksdb::DBOptions o;
    o.create_if_missing = true;
    o.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (int i = 0; i < kNumCfs; ++i) {
      if (static_cast<Cf>(i) == Cf::kText) continue;
      cfs.emplace_back(std::string(CfName(static_cast<Cf>(i))), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, dir.path(), cfs, &handles, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[0], "format_version", "1").ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto store = Store::Open(dir.path(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string msg(store.status().message());
  EXPECT_NE(msg.find("format version 1 "), std::string::npos) << msg;
  EXPECT_NE(msg.find(StrCat("reads format version ", kFormatVersion)), std::string::npos) << msg;
  EXPECT_NE(msg.find("kg export"), std::string::npos) << msg;
}

}  // namespace
}  // namespace kg
