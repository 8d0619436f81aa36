#include "ingest/annotated/loader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/annotated/core_vocabulary.h"
#include "ingest/annotated/ingest.h"
#include "ingest/annotated/vocabulary.h"

namespace kg::ingest {
namespace {

constexpr char kVocab[] =
    "@type Country ; parent Agent\n"
    "@type Weapon ; parent Thing\n"
    "@predicate supplied ; domain Agent ; range Thing\n"
    "@predicate supplies_munitions_to\n"
    "@predicate disputed_by\n"
    "@entity Iran ; type Country ; alias Tehran\n"
    "@entity Russia ; type Country ; alias Moscow ; alias the Kremlin\n"
    "@entity NorthKorea ; type Country ; alias North Korea ; alias Pyongyang\n"
    "@entity ShahedDrone ; type Weapon ; alias Shahed drones\n"
    "@entity UkrainianOfficials ; type Group ; alias Ukrainian officials\n";

Vocabulary TestVocab() {
  Vocabulary v = Vocabulary::Core();
  Diagnostics diag("v.kgv", kVocab);
  ParsedFile parsed = ParseAnnotated(kVocab, &diag);
  v.AddDirectives(parsed.directives, &diag);
  EXPECT_TRUE(diag.ok()) << diag.Format();
  return v;
}

TEST(VocabularyTest, CoreVocabularyParsesCleanly) {
  Diagnostics diag("core.kgv", CoreVocabularyText());
  ParsedFile parsed = ParseAnnotated(CoreVocabularyText(), &diag);
  Vocabulary v;
  v.AddDirectives(parsed.directives, &diag);
  EXPECT_TRUE(diag.ok()) << diag.Format();
  EXPECT_TRUE(v.IsPredicate("cites"));
  EXPECT_TRUE(v.IsPredicate("derived_from"));
  EXPECT_TRUE(v.IsType("Person"));
}

TEST(LoaderTest, ResolvesClaimsEvidenceLinksSourcesAndMentions) {
  const std::string doc =
      "@doc article-1\n"
      "@title The emerging CRINK alliance\n"
      "@author A. Writer\n"
      "@author B. Writer\n"
      "@date 2025-04\n"
      "@type article\n"
      "@reports wsj: doc:wsj-2025\n"
      "@source doc:wsj-2025 ; publisher The Wall Street Journal ; date 2025-03\n"
      "[[A recent report by The Wall Street Journal]]{#wsj} says\n"
      "[[Tehran]]{=Iran} [[has provided Moscow with Shahed drones]]{#c1}.\n"
      "Ukrainian officials claim that [[half of Russia’s munitions now come from\n"
      "Pyongyang]]{#c2}, which [[Pyongyang denies]]{#c3}.\n"
      "@claim c1: Tehran supplied ShahedDrone ; hedge reported ; via doc:wsj-2025\n"
      "@claim c2: NorthKorea supplies_munitions_to Russia ; hedge claimed ; agent UkrainianOfficials ; via doc:wsj-2025 ; quantity 0.5 \"share of munitions\" ; time 2025-03 ; place Russia\n"
      "@claim c3: #c2 disputed_by NorthKorea ; hedge denied ; stance disputes ; negated\n";
  auto w = ParseDocument("a.kga", doc, TestVocab());
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->document.id, "article-1");
  EXPECT_EQ(w->document.authors.size(), 2u);
  EXPECT_EQ(w->document.date->month, 4);
  ASSERT_EQ(w->document.links.size(), 1u);
  EXPECT_EQ(w->document.links[0].relation, Relation::kReports);
  EXPECT_EQ(w->document.links[0].quote, "A recent report by The Wall Street Journal");

  auto find = [&](const Term& claim) -> const ClaimEvidence* {
    for (const auto& ce : w->claims) {
      if (ce.claim == claim) return &ce;
    }
    return nullptr;
  };
  const Term c2 = Term::Claim(Term::Entity("NorthKorea"), Term::Entity("supplies_munitions_to"),
                              Term::Entity("Russia"));
  const ClaimEvidence* e1 = find(Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"),
                                             Term::Entity("ShahedDrone")));
  ASSERT_NE(e1, nullptr);  // "Tehran" resolved to Iran
  EXPECT_EQ(e1->evidence.hedge, Hedge::kReported);
  EXPECT_EQ(e1->evidence.quote, "has provided Moscow with Shahed drones");
  const ClaimEvidence* e2 = find(c2);
  ASSERT_NE(e2, nullptr);
  EXPECT_EQ(e2->evidence.quote, "half of Russia’s munitions now come from\nPyongyang");
  EXPECT_EQ(e2->evidence.agent, Term::Entity("UkrainianOfficials"));
  EXPECT_EQ(e2->evidence.via, std::vector<Term>{Term::Document("wsj-2025")});
  ASSERT_EQ(e2->evidence.qualifiers.size(), 3u);
  EXPECT_EQ(e2->evidence.qualifiers[0].value, *Term::Quantity("0.5", "share of munitions"));
  EXPECT_EQ(e2->evidence.qualifiers[1].value, *Term::ParseDate("2025-03"));
  const ClaimEvidence* e3 = find(Term::Claim(c2, Term::Entity("disputed_by"), Term::Entity("NorthKorea")));
  ASSERT_NE(e3, nullptr);
  EXPECT_TRUE(e3->evidence.negated);
  EXPECT_EQ(e3->evidence.stance, Stance::kDisputes);
  EXPECT_EQ(e3->evidence.hedge, Hedge::kDenied);
  const ClaimEvidence* publisher = find(Term::Claim(Term::Document("wsj-2025"), Term::Entity("publisher"),
                                                    Term::String("The Wall Street Journal")));
  ASSERT_NE(publisher, nullptr);
  EXPECT_FALSE(publisher->evidence.span.has_value());
  const ClaimEvidence* mention = find(Term::Claim(Term::Document("article-1"), Term::Entity("mentions"),
                                                  Term::Entity("Iran")));
  ASSERT_NE(mention, nullptr);
  EXPECT_EQ(mention->evidence.quote, "Tehran");
}

TEST(LoaderTest, FreeTextFieldsKeepLoneQuotesAndAngleBrackets) {
  auto w = ParseDocument("a.kga",
                         "@doc d\n"
                         "@entity Gun ; alias 5\" gun ; type Weapon\n"
                         "@source doc:x ; title A 5\" gun < 6 inches ; publisher P\n"
                         "[[The gun]]{=Gun} fired.\n",
                         TestVocab());
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_EQ(w->entities.size(), 1u);
  EXPECT_EQ(w->entities[0].aliases, std::vector<std::string>{"5\" gun"});
  EXPECT_EQ(w->entities[0].type, "Weapon");
  auto has = [&](const std::string& field, const std::string& value) {
    const Term claim = Term::Claim(Term::Document("x"), Term::Entity(field), Term::String(value));
    return std::any_of(w->claims.begin(), w->claims.end(),
                       [&](const ClaimEvidence& ce) { return ce.claim == claim; });
  };
  EXPECT_TRUE(has("title", "A 5\" gun < 6 inches"));
  EXPECT_TRUE(has("publisher", "P"));
}

TEST(LoaderTest, AnEntityADocumentDeclaresIsItsOwn) {
  const Vocabulary vocab = TestVocab();
  const size_t entities_before = vocab.entity_count();
  auto w = ParseDocument("a.kga",
                         "@doc d\n"
                         "@entity Gun ; type Weapon\n"
                         "@entity Gun ; alias the gun\n"
                         "[[the gun]]{=Gun} fired at [[Tehran]]{=Iran}.\n",
                         vocab);
  ASSERT_TRUE(w.ok()) << w.status().message();
  // Declared twice, stored once, with what both declarations said.
  ASSERT_EQ(w->entities.size(), 1u);
  EXPECT_EQ(w->entities[0].name, "Gun");
  EXPECT_EQ(w->entities[0].type, "Weapon");
  EXPECT_EQ(w->entities[0].aliases, std::vector<std::string>{"the gun"});
  // The caller's vocabulary is untouched: the next document does not know Gun.
  EXPECT_EQ(vocab.entity_count(), entities_before);
  EXPECT_FALSE(vocab.ResolveEntity("Gun").has_value());
  auto next = ParseDocument("b.kga", "@doc e\n[[the gun]]{=Gun} fired.\n", vocab);
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.status().message().find("unknown entity 'Gun'"), std::string_view::npos)
      << next.status().message();
}

struct ErrorCase {
  std::string name;
  std::string body;  // appended after "@doc d\n" (line 1)
  std::string where;  // "line:col"
  std::string message;
};
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class LoaderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LoaderErrorTest, ReportsPositionAndMessage) {
  const ErrorCase& c = GetParam();
  auto w = ParseDocument("f.kga", "@doc d\n" + c.body, TestVocab());
  ASSERT_FALSE(w.ok());
  const std::string report(w.status().message());
  EXPECT_NE(report.find("f.kga:" + c.where + ": error: " + c.message), std::string::npos) << report;
  // Every error line is followed by the source line and a caret line.
  EXPECT_NE(report.find("^\n"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, LoaderErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownPredicate", "[[x]]{#c1}\n@claim c1: Iran suplied ShahedDrone\n", "3:17",
                  "unknown predicate 'suplied' (did you mean 'supplied'?)"},
        ErrorCase{"UnknownEntity", "[[x]]{#c1}\n@claim c1: Irn supplied ShahedDrone\n", "3:12",
                  "unknown entity 'Irn' (did you mean 'Iran'?)"},
        ErrorCase{"UnknownMention", "[[Tehran]]{=Tehrn}\n", "2:12", "unknown entity 'Tehrn'"},
        ErrorCase{"UnknownHedge", "[[x]]{#c1}\n@claim c1: Iran supplied ShahedDrone ; hedge alledged\n",
                  "3:46", "unknown hedge 'alledged' (did you mean 'alleged'?)"},
        ErrorCase{"UnknownAttribute", "[[x]]{#c1}\n@claim c1: Iran supplied ShahedDrone ; agnet Iran\n",
                  "3:40", "unknown claim attribute 'agnet' (did you mean 'agent'?)"},
        ErrorCase{"ClaimWithoutQuote", "text\n@claim c1: Iran supplied ShahedDrone\n", "3:8",
                  "claim 'c1' quotes no text"},
        ErrorCase{"LabelWithoutClaim", "[[x]]{#c7}\n", "2:7", "no @claim or link has id 'c7'"},
        ErrorCase{"DuplicateClaim",
                  "[[x]]{#c1}\n@claim c1: Iran supplied ShahedDrone\n@claim c1: Iran supplied Russia\n",
                  "4:8", "duplicate claim id 'c1'"},
        ErrorCase{"UnknownDirective", "@publsher X\n", "2:2", "unknown directive '@publsher' (did you mean 'publisher'?)"},
        ErrorCase{"BadDate", "@date 2025-02-30\n", "2:7", "invalid date"},
        ErrorCase{"SelfReference", "[[x]]{#c1}\n@claim c1: #c1 supplied Iran\n", "3:12", "claim 'c1' refers to itself"},
        ErrorCase{"QuantityWithoutUnit",
                  "[[x]]{#c1}\n@claim c1: Iran supplied ShahedDrone ; quantity 12\n", "3:49",
                  "expected an amount and a unit"},
        ErrorCase{"PredicateAsSubject", "[[x]]{#c1}\n@claim c1: supplied supplied Iran\n", "3:12",
                  "unknown entity 'supplied' (it is a predicate, not an entity)"},
        ErrorCase{"EntityWithUnknownType", "@entity Kim ; type Persn\n", "2:20",
                  "unknown type 'Persn' (did you mean 'Person'?)"},
        // Verdicts (schemas/annotation-format.md "Verdicts").
        ErrorCase{"UnknownVerdict",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; verdict Bogus ; reviewer Iran\n",
                  "3:48", "unknown verdict 'Bogus': expected a rating"},
        ErrorCase{"VerdictWithoutReviewer",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; verdict false\n", "3:48",
                  "verdict: a verdict needs 'reviewer' (who published it)"},
        ErrorCase{"VerdictWithHedge",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; verdict false ; reviewer Iran ; "
                  "hedge claimed\n",
                  "3:48", "verdict: a verdict has no hedge, stance, negation, agent or via"},
        ErrorCase{"RatingWithoutVerdict",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; rating Bogus ; reviewer Iran\n",
                  "3:8", "verdict: a verdict needs 'verdict' (its rating on kg's scale)"},
        ErrorCase{"RatingValueNotANumber",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; verdict false ; reviewer Iran ; "
                  "rating_value high\n",
                  "3:85", "'rating_value' needs a number"},
        ErrorCase{"AppearanceNotADocument",
                  "[[x]]{#v1}\n@claim v1: Iran supplied ShahedDrone ; verdict false ; reviewer Iran ; "
                  "appearance Russia\n",
                  "3:48", "verdict: 'appearance' must be a document; got Russia"},
        ErrorCase{"MissingClaimColon", "[[x]]{#c1}\n@claim c1 Iran supplied ShahedDrone\n", "3:8",
                  "expected a claim id and ':'"},
        // From the annotated-text fuzzer: the store refused this link.
        ErrorCase{"LinkToANumber", "@cites 5\n", "2:8",
                  "@cites needs a document (doc:ID), an entity or an <IRI>, got integer"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(LoaderTest, ReportsEveryErrorNotOnlyTheFirst) {
  auto w = ParseDocument("f.kga",
                         "@doc d\n[[x]]{#c1} [[y]]{#c2} ]] z\n"
                         "@claim c1: Irn supplied ShahedDrone\n"
                         "@claim c2: Iran supplid ShahedDrone ; hedge maybe\n",
                         TestVocab());
  ASSERT_FALSE(w.ok());
  const std::string report(w.status().message());
  for (const char* where : {"f.kga:2:25:", "f.kga:3:12:", "f.kga:4:17:", "f.kga:4:45:"}) {
    EXPECT_NE(report.find(where), std::string::npos) << where << "\n" << report;
  }
}

// A mistake gets one clear error, not a second one caused by the first.
TEST(LoaderTest, EachMistakeIsReportedOnce) {
  struct Case {
    std::string content;
    std::string error;  // the only error line expected
  };
  const std::vector<Case> cases = {
      {"\xEF\xBB\xBF@doc d\ntext\n",
       "f.kga:1:1: error: file starts with a UTF-8 byte order mark; save it without one"},
      {"@doc d\n@date 2025\n@date 2024\n", "f.kga:3:2: error: duplicate @date"},
      {"@doc d\n@date\n", "f.kga:2:6: error: expected a value after @date"},
      {"@doc d\n@doc e\n", "f.kga:2:2: error: duplicate @doc"},
  };
  for (const Case& c : cases) {
    auto w = ParseDocument("f.kga", c.content, TestVocab());
    ASSERT_FALSE(w.ok()) << c.content;
    const std::string report(w.status().message());
    EXPECT_EQ(report.substr(0, report.find('\n')), c.error) << report;
    EXPECT_EQ(report.find(": error: ", report.find('\n')), std::string::npos) << report;
  }
}

TEST(LoaderTest, MissingDocIdIsAnError) {
  auto w = ParseDocument("f.kga", "just text\n", TestVocab());
  ASSERT_FALSE(w.ok());
  EXPECT_NE(std::string(w.status().message()).find("f.kga:1:1: error: missing '@doc ID'"),
            std::string::npos);
}

}  // namespace
}  // namespace kg::ingest

namespace kg::ingest {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(KG_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The worked example in schemas/annotation-format.md must load against the
// sample corpus vocabulary and give the canonical text the spec shows.
TEST(FormatSpecTest, WorkedExampleLoadsAndMatchesItsCanonicalText) {
  const std::string spec = ReadSource("schemas/annotation-format.md");
  const size_t example = spec.find("## Example");
  ASSERT_NE(example, std::string::npos);
  auto block = [&](size_t from) {
    const size_t open = spec.find("```\n", from);
    const size_t close = spec.find("```\n", open + 4);
    return std::pair{spec.substr(open + 4, close - open - 4), close + 4};
  };
  const auto [source, after] = block(example);
  const auto [canonical, unused] = block(after);

  Vocabulary vocab = Vocabulary::Core();
  const std::string kgv = ReadSource("examples/corpus/crink.kgv");
  Diagnostics vdiag("crink.kgv", kgv);
  vocab.AddDirectives(ParseAnnotated(kgv, &vdiag).directives, &vdiag);
  ASSERT_TRUE(vdiag.ok()) << vdiag.Format();

  auto w = ParseDocument("example.kga", source, vocab);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->document.text, canonical);
  EXPECT_EQ(w->document.links.size(), 1u);
}

}  // namespace
}  // namespace kg::ingest
