// brat standoff import: the tutorial data imports with every span matching;
// offsets count code points (non-ASCII text before spans); discontinuous
// spans, events, attributes, notes, normalizations and equivalences map as
// schemas/brat-mapping.txt says; errors carry .ann line and column.
#include "ingest/brat/brat_import.h"

#include <filesystem>
#include <sstream>

#include "gtest/gtest.h"
#include "kg/store.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

const std::string kExternal = [] {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return std::string(env != nullptr ? env : KG_EXTERNAL_DIR);
}();

const ClaimEvidence* Find(const DocumentWrite& w, const Term& claim, size_t nth = 0) {
  for (const auto& ce : w.claims) {
    if (ce.claim == claim && nth-- == 0) return &ce;
  }
  return nullptr;
}

TEST(BratImportTest, NonAsciiTextDiscontinuousSpansEventsAndAttributes) {
  // "Ünïcode — " puts 10 code points (15 bytes) before the first entity.
  const std::string txt =
      "Ünïcode — Pyongyang shipped shells to Moscow. North and South Korea.\n";
  const std::string ann =
      "T1\tGPE 10 19\tPyongyang\n"
      "T2\tGPE 38 44\tMoscow\n"
      "T3\tTransfer 20 27\tshipped\n"
      "T4\tWeapon 28 34\tshells\n"
      "E1\tTransfer:T3 Giver-Arg:T1 Theme:T4 Recipient-Arg2:T2\n"
      "A1\tNegation E1\n"
      "A2\tConfidence E1 Likely\n"
      "T5\tGPE 46 51;62 67\tNorth Korea\n"
      "R1\tLocated Arg1:T1 Arg2:T5\t\n"
      "#1\tAnnotatorNotes R1\tcheck this\n"
      "N1\tReference T1 Wikidata:Q18808\tPyongyang\n"
      "*\tEquiv T1 T2\n";
  Diagnostics td("t.txt", txt), ad("t.ann", ann);
  auto w = ParseBrat("t", txt, ann, BratMapping::Builtin(), &td, &ad);
  ASSERT_TRUE(w.has_value()) << td.Format() << ad.Format();
  const Term doc = Term::Document("t");
  const ClaimEvidence* mention = Find(*w, Term::Claim(doc, Term::Entity("mentions"), Term::Entity("Pyongyang")));
  ASSERT_NE(mention, nullptr);
  EXPECT_EQ(mention->evidence.span, (Span{10, 19}));
  EXPECT_EQ(mention->evidence.quote, "Pyongyang");
  // The discontinuous mention gives one piece of evidence per fragment.
  const Term nk = Term::Entity("North Korea");
  ASSERT_NE(Find(*w, Term::Claim(doc, Term::Entity("mentions"), nk), 1), nullptr);
  EXPECT_EQ(Find(*w, Term::Claim(doc, Term::Entity("mentions"), nk), 1)->evidence.quote, "Korea");
  // The event: its type, its arguments (role suffix digits dropped), and
  // the Negation / Confidence attributes on all of its evidence.
  const Term event = Term::BlankNode("dt.E1");
  const ClaimEvidence* giver = Find(*w, Term::Claim(event, Term::Entity("giver"), Term::Entity("Pyongyang")));
  ASSERT_NE(giver, nullptr);
  EXPECT_EQ(giver->evidence.quote, "Pyongyang shipped");
  EXPECT_TRUE(giver->evidence.negated);
  EXPECT_EQ(giver->evidence.hedge, Hedge::kBelieved);
  ASSERT_NE(Find(*w, Term::Claim(event, Term::Entity("recipient"), Term::Entity("Moscow"))), nullptr);
  ASSERT_NE(Find(*w, Term::Claim(event, Term::Entity("is_a"), Term::Entity("Transfer"))), nullptr);
  // The relation is anchored on the text covering its arguments.
  const Term located = Term::Claim(Term::Entity("Pyongyang"), Term::Entity("located_in"), nk);
  const ClaimEvidence* rel = Find(*w, located);
  ASSERT_NE(rel, nullptr);
  EXPECT_EQ(rel->evidence.span, (Span{10, 67}));
  ASSERT_NE(Find(*w, Term::Claim(located, Term::Entity("annotator_note"), Term::String("check this"))), nullptr);
  ASSERT_NE(Find(*w, Term::Claim(Term::Entity("Pyongyang"), Term::Entity("normalized_to"),
                                 Term::String("Wikidata:Q18808"))),
            nullptr);
  ASSERT_NE(Find(*w, Term::Claim(Term::Entity("Moscow"), Term::Entity("same_as"), Term::Entity("Pyongyang"))),
            nullptr);
  // And the store accepts it: every quote equals its span of the text.
  testing::TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->WriteDocument(*w).ok());
}

struct ErrorCase {
  std::string name, ann, where, message;
};
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }
class BratErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(BratErrorTest, ReportsAnnPosition) {
  const std::string txt = "Sony formed a venture with Ericsson.";
  Diagnostics td("d.txt", txt), ad("d.ann", GetParam().ann);
  auto w = ParseBrat("d", txt, GetParam().ann, BratMapping::Builtin(), &td, &ad);
  EXPECT_FALSE(w.has_value());
  const std::string report = ad.Format();
  EXPECT_NE(report.find("d.ann:" + GetParam().where + ": error: " + GetParam().message), std::string::npos)
      << report;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BratErrorTest,
    ::testing::Values(
        ErrorCase{"TextMismatch", "T1\tOrganization 0 4\tSonx\n", "1:21", "span text 'Sonx' does not match"},
        ErrorCase{"PastEnd", "T1\tOrg 0 4\tSony\nT2\tOrg 30 99\tx\n", "2:8", "span 30-99 is past the end of the .txt"},
        ErrorCase{"BadOffsets", "T1\tOrg 4 x\tSony\n", "1:8", "expected 'start end' offsets"},
        ErrorCase{"UnknownReference", "T1\tOrg 0 4\tSony\nR1\tPartner Arg1:T1 Arg2:T9\n", "2:25",
                  "'T9' is not a text-bound annotation"},
        ErrorCase{"NoTab", "T1 Org 0 4 Sony\n", "1:1", "expected an annotation ID, a TAB"},
        ErrorCase{"UnknownType", "X1\tfoo\n", "1:1", "unknown annotation type 'X1'"},
        ErrorCase{"DuplicateId", "T1\tOrg 0 4\tSony\nT1\tOrg 0 4\tSony\n", "2:1", "duplicate annotation ID 'T1'"},
        // From the brat fuzzer: an attribute name holding a NUL byte got as far as the store.
        ErrorCase{"NulByte", std::string("T1\tOrg 0 4\tSony\nA1\tC\x01\0\0 T1\n", 27), "2:6",
                  "NUL byte in the annotation file"},
        // From the brat fuzzer: a role of only digits became an empty predicate.
        ErrorCase{"DigitsOnlyRole",
                  "T1\tOrg 0 4\tSony\nT2\tOrg 27 35\tEricsson\nT3\tVenture 5 11\tformed\n"
                  "E1\tVenture:T3 Partner:T1 2:T2\n",
                  "4:26", "expected a role name before ':' in '2:T2'"},
        ErrorCase{"EmptyEventType",
                  "T1\tOrg 0 4\tSony\nT2\tOrg 27 35\tEricsson\nT3\tVenture 5 11\tformed\n"
                  "E1\t:T3 Partner:T1\n",
                  "4:1", "annotation E1 gives an empty name"},
        ErrorCase{"InvalidUtf8", "T1\tOrg 0 4\tSony\nA1\t\xc3 T1\n", "2:4",
                  "invalid UTF-8 in the annotation file"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(BratImportTest, TutorialAndCorpusDataImportWithEverySpanMatching) {
  const std::string root = kExternal + "/brat/example-data";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "brat example data not found at " << root << ", skipping";
  testing::TempDir dir;
  StoreOptions o;
  o.sync_writes = false;
  auto store = Store::Open(dir.Sub("db"), o);
  ASSERT_TRUE(store.ok());
  std::ostringstream err;
  auto summary = ImportBrat(**store, {root + "/tutorials", root + "/corpora/NCBI-disease"},
                            BratMapping::Builtin(), err);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(summary->documents_failed, 0);
  EXPECT_EQ(summary->documents_loaded, 46);  // 2 x 13 tutorials + 20 abstracts
  auto report = (*store)->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  // The news tutorial's Transfer-money event keeps its Confidence attribute.
  auto snap = (*store)->NewSnapshot();
  auto evidence = snap->EvidenceInDocument("news/000-introduction");
  ASSERT_TRUE(evidence.ok());
  EXPECT_GT(evidence->size(), 10u);
}

TEST(BratImportTest, BuiltinMappingParsesCleanly) {
  Diagnostics diag("m", "");
  BratMapping m = BratMapping::Parse("entity GPE Country\nattribute Negation negated\nbogus line here\n", &diag);
  EXPECT_EQ(m.Map("entity", "GPE"), "Country");
  EXPECT_EQ(m.Map("relation", "Unmapped"), "Unmapped");
  EXPECT_EQ(m.AttributeRule("Negation", ""), "negated");
  EXPECT_FALSE(diag.ok());
  EXPECT_EQ(BratMapping::Builtin().Map("relation", "Origin"), "located_in");
}

}  // namespace
}  // namespace kg::ingest
