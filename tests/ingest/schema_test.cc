// Vocabulary rules (kg/schema.h): declared in .kgv files, kept in the store,
// enforced on every annotated document with positioned errors (or warnings
// with --lenient), and checked across the store by CheckStoreSchema.
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "ingest/schema_check.h"
#include "kg/schema.h"
#include "kg/store.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::TempDir;

constexpr char kVocab[] =
    "@type Country ; parent Agent\n"
    "@type Weapon ; parent Thing\n"
    "@type Commodity ; parent Thing\n"
    "@qualifier amount ; value number\n"
    "@predicate supplied ; domain Agent ; range Weapon ; hedges asserted, reported, claimed\n"
    "@predicate capital_of ; domain Thing ; range Country ; max 1\n"
    "@predicate exports ; domain Agent ; range Thing ; requires quantity ; qualifiers quantity, time\n"
    "@predicate denies ; stances supports\n"
    "@entity Iran ; type Country ; alias Tehran\n"
    "@entity Russia ; type Country\n"
    "@entity France ; type Country\n"
    "@entity ShahedDrone ; type Weapon\n"
    "@entity Oil ; type Commodity\n"
    "@entity Gadget\n";

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.sync_writes = false;
    auto s = Store::Open(dir_.Sub("db"), o);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    ASSERT_TRUE(Ingest("vocab.kgv", kVocab).empty()) << errors_;
  }

  // Ingests one file; the problems reported ("" if none).
  std::string Ingest(const std::string& name, const std::string& content, bool lenient = false) {
    const std::string path = dir_.Sub(name);
    std::ofstream(path, std::ios::binary) << content;
    IngestOptions o;
    o.lenient = lenient;
    std::ostringstream err, progress;
    auto summary = IngestPaths(*store_, {path}, o, err, progress);
    EXPECT_TRUE(summary.ok()) << summary.status();
    errors_ = err.str();
    if (summary.ok()) last_ = *summary;
    // Positions relative to the file name, not the temporary directory.
    std::string out = err.str();
    for (size_t at; (at = out.find(dir_.path() + "/")) != std::string::npos;) {
      out.erase(at, dir_.path().size() + 1);
    }
    return out;
  }

  bool HasDocument(const std::string& id) {
    auto d = store_->NewSnapshot()->GetDocument(id);
    return d.ok() && d->has_value();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string errors_;
  IngestSummary last_;
};

TEST_F(SchemaTest, DomainAndRangeAreEnforcedWithPositions) {
  const std::string report = Ingest("a.kga",
                                    "@doc a\n"
                                    "[[Tehran sent drones]]{#c1}. [[Gadgets]]{#c2}.\n"
                                    "@claim c1: Iran supplied Oil\n"
                                    "@claim c2: Gadget supplied ShahedDrone\n");
  EXPECT_NE(report.find("a.kga:3:26: error: the object of 'supplied' must be Weapon: Oil"),
            std::string::npos)
      << report;
  // Gadget has no declared type: nothing is known against it.
  EXPECT_EQ(report.find("a.kga:4:"), std::string::npos) << report;
  EXPECT_FALSE(HasDocument("a"));

  const std::string literal = Ingest("b.kga",
                                     "@doc b\n[[Paris]]{#c1} is France's capital.\n"
                                     "@claim c1: \"Paris\" capital_of doc:france-guide\n");
  EXPECT_NE(literal.find("the object of 'capital_of' must be Country: doc:france-guide is a "
                         "document, not Country"),
            std::string::npos)
      << literal;
}

TEST_F(SchemaTest, CardinalityQualifiersHedgesAndStances) {
  const std::string report = Ingest(
      "c.kga",
      "@doc c\n"
      "[[a]]{#c1} [[b]]{#c2} [[c]]{#c3} [[d]]{#c4} [[e]]{#c5} [[f]]{#c6}\n"
      "@claim c1: \"Paris\" capital_of France\n"
      "@claim c2: \"Paris\" capital_of Russia\n"
      "@claim c3: Iran exports Oil ; time 2024\n"
      "@claim c4: Iran exports Oil ; quantity 3 \"barrels\" ; place Russia\n"
      "@claim c5: Iran supplied ShahedDrone ; hedge speculated\n"
      "@claim c6: Iran denies Oil ; stance disputes\n");
  EXPECT_NE(report.find("c.kga:4:31: error: 'capital_of' takes at most 1 object(s) per subject"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("c.kga:5:17: error: evidence for 'exports' needs the qualifier 'quantity'"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("'exports' takes only the qualifiers quantity, time, not 'place'"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("c.kga:7:17: error: 'supplied' may not be hedged 'speculated'"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("'denies' takes no evidence that disputes it"), std::string::npos) << report;
  EXPECT_FALSE(HasDocument("c"));
}

TEST_F(SchemaTest, AQualifiersKindOfValueIsChecked) {
  ASSERT_EQ(Ingest("time.kgv", "@qualifier time ; value date\n"), "");
  const std::string report = Ingest("q.kga",
                                    "@doc q\n[[a]]{#c1} [[b]]{#c2}\n"
                                    "@claim c1: Iran exports Oil ; quantity 3 \"barrels\" ; time 2024-05\n"
                                    "@claim c2: Iran exports Oil ; quantity 4 \"barrels\" ; time \"Obama years\"\n");
  EXPECT_EQ(report.find("q.kga:3:"), std::string::npos) << report;
  EXPECT_NE(report.find("q.kga:4:17: error: qualifier 'time' needs a value of kind date, not "
                        "\"Obama years\""),
            std::string::npos)
      << report;
}

TEST_F(SchemaTest, LenientLoadsWithWarningsAndTheStoreCheckListsThem) {
  const std::string doc =
      "@doc d\n[[Tehran sent oil]]{#c1}.\n@claim c1: Iran supplied Oil\n";
  EXPECT_NE(Ingest("d.kga", doc).find("error:"), std::string::npos);
  EXPECT_FALSE(HasDocument("d"));
  const std::string warned = Ingest("d.kga", doc, /*lenient=*/true);
  EXPECT_NE(warned.find("d.kga:3:26: warning: the object of 'supplied' must be Weapon"),
            std::string::npos)
      << warned;
  EXPECT_TRUE(HasDocument("d"));
  EXPECT_EQ(last_.rule_warnings, 1u);

  auto report = CheckStoreSchema(*store_->NewSnapshot());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->violations.size(), 1u);
  EXPECT_EQ(report->violations[0].document, "d");
  EXPECT_EQ(report->violations[0].claim, "<< Iran supplied Oil >>");
  EXPECT_NE(report->violations[0].message.find("must be Weapon"), std::string::npos);
}

TEST_F(SchemaTest, CardinalityAcrossDocumentsIsTheStoreChecksBusiness) {
  EXPECT_EQ(Ingest("e1.kga", "@doc e1\n[[x]]{#c1}\n@claim c1: \"Paris\" capital_of France\n"), "");
  EXPECT_EQ(Ingest("e2.kga", "@doc e2\n[[y]]{#c1}\n@claim c1: \"Paris\" capital_of Russia\n"), "");
  auto report = CheckStoreSchema(*store_->NewSnapshot());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->violations.size(), 1u);
  EXPECT_EQ(report->violations[0].document, "");
  EXPECT_NE(report->violations[0].message.find("'capital_of' takes at most 1 object(s)"),
            std::string::npos);
}

TEST_F(SchemaTest, RulesAreKeptInTheStoreForLaterRuns) {
  // A store opened afresh: the rules come from the store, not this test's
  // vocabulary file.
  store_.reset();
  auto s = Store::Open(dir_.Sub("db"), {});
  ASSERT_TRUE(s.ok());
  store_ = *std::move(s);
  const std::string report =
      Ingest("f.kga", "@doc f\n[[x]]{#c1}\n@claim c1: Iran supplied Oil\n");
  EXPECT_NE(report.find("must be Weapon"), std::string::npos) << report;
  auto records = store_->NewSnapshot()->ListSchema();
  ASSERT_TRUE(records.ok());
  EXPECT_NE(std::find(records->begin(), records->end(),
                      SchemaRecord{SchemaRecord::Kind::kPredicate, "capital_of",
                                   "domain Thing ; range Country ; max 1"}),
            records->end());
  EXPECT_NE(std::find(records->begin(), records->end(),
                      SchemaRecord{SchemaRecord::Kind::kQualifier, "amount", "number"}),
            records->end());
}

TEST_F(SchemaTest, BadRulesAreRefusedWithPositions) {
  const std::string report = Ingest("bad.kgv",
                                    "@predicate p1 ; domain Agnet\n"
                                    "@predicate p2 ; max 0\n"
                                    "@predicate p3 ; hedges asserted, sure\n"
                                    "@predicate p4 ; color red\n"
                                    "@qualifier q1 ; value money\n");
  EXPECT_NE(report.find("bad.kgv:1:24: error: unknown type 'Agnet' (did you mean 'Agent'?)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("bad.kgv:2:21: error: 'max' needs a whole number"), std::string::npos)
      << report;
  EXPECT_NE(report.find("bad.kgv:3:24: error: unknown hedge 'sure'"), std::string::npos) << report;
  EXPECT_NE(report.find("bad.kgv:4:17: error: unknown predicate field 'color'"), std::string::npos)
      << report;
  EXPECT_NE(report.find("bad.kgv:5:23: error: unknown kind of value 'money'"), std::string::npos)
      << report;
}

TEST_F(SchemaTest, TheSampleCorpusBreaksNoRule) {
  std::ostringstream err, progress;
  auto s = IngestPaths(*store_, {KG_SOURCE_DIR "/examples/corpus"}, {}, err, progress);
  ASSERT_TRUE(s.ok() && s->ok()) << err.str();
  auto report = CheckStoreSchema(*store_->NewSnapshot());
  ASSERT_TRUE(report.ok()) << report.status();
  for (const SchemaViolation& v : report->violations) {
    ADD_FAILURE() << v.document << ": " << v.claim << ": " << v.message;
  }
  EXPECT_GT(report->claims_checked, 300u);
}

TEST(SchemaRuleTest, FormatsAndParsesBack) {
  PredicateRule rule;
  rule.domain = "Agent";
  rule.range = "number";
  rule.max_objects = 2;
  rule.required_qualifiers = {"time"};
  rule.allowed_qualifiers = std::vector<std::string>{"time", "place"};
  rule.hedges = {Hedge::kAsserted, Hedge::kDenied};
  rule.stances = {Stance::kDisputes};
  const std::string text = Schema::FormatPredicateRule(rule);
  EXPECT_EQ(text,
            "domain Agent ; range number ; max 2 ; requires time ; qualifiers time, place ; "
            "hedges asserted, denied ; stances disputes");
  auto back = Schema::ParsePredicateRule(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(Schema::FormatPredicateRule(*back), text);
}

}  // namespace
}  // namespace kg::ingest
