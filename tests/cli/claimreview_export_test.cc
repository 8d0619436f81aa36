// `kg export --format claimreview`: verdicts as ClaimReview JSON-LD, drafts
// for claims without one, and the required-property check.
#include "cli/claimreview_export.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/temp_dir.h"

namespace kg::cli {
namespace {

using Json = nlohmann::ordered_json;

const std::string kSource = KG_SOURCE_DIR;

// A store with the sample corpus and `extra` files ingested.
std::string Ingest(const kg::testing::TempDir& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> paths = {kSource + "/examples/corpus"};
  for (const std::string& p : extra) paths.push_back(kSource + "/" + p);
  std::ostringstream out, err;
  EXPECT_EQ(RunIngest(dir.Sub("db"), paths, out, err), 0) << err.str();
  return dir.Sub("db");
}

struct Exported {
  int code = 0;
  std::string out, err;
  Json json;
};

Exported Export(const std::string& db, const std::string& claim, const std::string& output = "") {
  Exported e;
  std::ostringstream out, err;
  e.code = RunExportClaimReview(db, claim, output, out, err);
  e.out = out.str();
  e.err = err.str();
  if (e.code == 0 && output.empty()) e.json = Json::parse(e.out, nullptr, /*allow_exceptions=*/false);
  return e;
}

std::vector<std::string> Identifiers(const Json& works) {
  std::vector<std::string> ids;
  for (const Json& w : works) ids.push_back(w.value("identifier", ""));
  return ids;
}

TEST(ClaimReviewExportTest, VerdictBecomesAClaimReview) {
  kg::testing::TempDir dir;
  const std::string db = Ingest(dir, {"examples/factcheck/shahed-factcheck.kga"});
  for (const std::string claim : {"(Iran supplied ShahedDrone)", "Iran supplied ShahedDrone"}) {
    const Exported e = Export(db, claim);
    ASSERT_EQ(e.code, 0) << e.err;
    const Json& r = e.json;
    ASSERT_TRUE(r.is_object()) << e.out;
    EXPECT_EQ(r["@context"], "https://schema.org");
    EXPECT_EQ(r["@type"], "ClaimReview");
    EXPECT_EQ(r["url"], "https://factcheck.example.org/2025/05/iran-shahed-drones");
    EXPECT_EQ(r["datePublished"], "2025-05-02");
    EXPECT_EQ(r["claimReviewed"], "Iran has supplied Russia with Shahed drones");
    ASSERT_TRUE(r["author"].is_array()) << e.out;
    EXPECT_EQ(r["author"][0]["@type"], "Organization");
    EXPECT_EQ(r["author"][0]["name"], "Example Fact Check");
    EXPECT_EQ(r["author"][1]["@type"], "Person");
    EXPECT_EQ(r["author"][1]["name"], "Jane Reviewer");
    const Json& rating = r["reviewRating"];
    EXPECT_EQ(rating["@type"], "Rating");
    EXPECT_EQ(rating["alternateName"], "True");
    EXPECT_EQ(rating["ratingValue"], 5);
    EXPECT_EQ(rating["bestRating"], 5);
    EXPECT_EQ(rating["worstRating"], 1);
    const Json& item = r["itemReviewed"];
    EXPECT_EQ(item["@type"], "Claim");
    EXPECT_EQ(Identifiers(item["appearance"]),
              (std::vector<std::string>{"doc:atlantic-council-2025",
                                        "doc:crink-alliance-article-2025"}));
    EXPECT_EQ(item["appearance"][0]["@type"], "CreativeWork");
    EXPECT_EQ(item["appearance"][0]["headline"], "Russia Tomorrow: Navigating a New Paradigm");
    EXPECT_EQ(item["firstAppearance"]["identifier"], "doc:atlantic-council-2025");
    EXPECT_EQ(item["datePublished"], "2025");
    // Publishable: no kg extension, and nothing to warn about.
    EXPECT_FALSE(r.contains("kg:draft"));
    EXPECT_TRUE(CheckClaimReview(r).publishable());
    EXPECT_EQ(e.err.find("warning"), std::string::npos) << e.err;
  }
  // The reviewer's quote finds the claim too.
  const Exported by_quote = Export(db, "\"Iran has supplied Russia\"");
  ASSERT_EQ(by_quote.code, 0) << by_quote.err;
  EXPECT_EQ(by_quote.json["reviewRating"]["alternateName"], "True");
}

TEST(ClaimReviewExportTest, ClaimWithoutVerdictBecomesADraft) {
  kg::testing::TempDir dir;
  const std::string db = Ingest(dir, {"examples/factcheck/shahed-factcheck.kga"});
  const Exported e = Export(db, "(NorthKorea supplies_munitions_to Russia)");
  ASSERT_EQ(e.code, 0) << e.err;
  const Json& r = e.json;
  ASSERT_TRUE(r.is_object()) << e.out;
  EXPECT_EQ(r["@type"], "ClaimReview");
  EXPECT_EQ(r["@context"][0], "https://schema.org");
  EXPECT_EQ(r["@context"][1]["kg"], "https://w3id.org/kg/vocab#");
  EXPECT_EQ(r["kg:draft"], true);
  EXPECT_EQ(r["claimReviewed"], "NorthKorea supplies_munitions_to Russia");
  EXPECT_EQ(r["reviewRating"]["@type"], "Rating");
  EXPECT_EQ(r["reviewRating"]["alternateName"], "");
  // The documents with evidence, earliest first (both 2025: then by id).
  const Json& item = r["itemReviewed"];
  EXPECT_EQ(Identifiers(item["appearance"]),
            (std::vector<std::string>{"doc:atlantic-council-2025",
                                      "doc:crink-alliance-article-2025"}));
  EXPECT_EQ(item["firstAppearance"]["identifier"], "doc:atlantic-council-2025");
  // The primary sources as SOURCES OF gives them: the Atlantic Council, and
  // the WSJ report with the Ukrainian officials it quotes.
  EXPECT_EQ(r["kg:independentSources"]["kg:supporting"], 2);
  EXPECT_EQ(r["kg:independentSources"]["kg:opposing"], 0);
  const Json& sources = r["kg:primarySources"];
  ASSERT_EQ(sources.size(), 2u) << sources.dump(2);
  EXPECT_EQ(sources[0]["kg:side"], "supports");
  EXPECT_EQ(sources[0]["kg:roots"], Json::array({"doc:atlantic-council-2025"}));
  EXPECT_EQ(sources[1]["kg:roots"], Json::array({"doc:wsj-crink-2025", "UkrainianOfficials"}));
  EXPECT_EQ(sources[1]["kg:through"], Json::array({"doc:wsj-crink-2025"}));
  EXPECT_EQ(sources[1]["kg:evidence"], 2);
  EXPECT_EQ(sources[1]["kg:chains"][1]["kg:path"],
            Json::array({"doc:crink-alliance-article-2025", "doc:wsj-crink-2025",
                         "UkrainianOfficials"}));
  // What the fact-checker must fill in is on stderr, and the check agrees.
  const ClaimReviewGaps gaps = CheckClaimReview(r);
  EXPECT_EQ(gaps.required, (std::vector<std::string>{"reviewRating.alternateName", "url"}));
  EXPECT_EQ(gaps.recommended, (std::vector<std::string>{"author", "datePublished"}));
  for (const char* field : {"url", "author", "datePublished", "reviewRating.alternateName"}) {
    EXPECT_NE(e.err.find(field), std::string::npos) << field << "\n" << e.err;
  }
  EXPECT_NE(e.err.find("draft"), std::string::npos) << e.err;
}

TEST(ClaimReviewExportTest, MissingUrlIsWrittenWithAWarning) {
  kg::testing::TempDir dir;
  const std::string db = Ingest(dir, {"tests/cli/fixtures/claimreview/review-without-url.kga"});
  const Exported e = Export(db, "(Iran supplied ShahedDrone)");
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_EQ(e.json["url"], "") << e.out;
  EXPECT_EQ(e.json["author"]["name"], "Test Checkers");
  EXPECT_NE(e.err.find("warning: the ClaimReview of doc:review-without-url lacks required url"),
            std::string::npos)
      << e.err;
  EXPECT_NE(e.err.find("bestRating 1 is not greater than reviewRating.worstRating 5"),
            std::string::npos)
      << e.err;
}

TEST(ClaimReviewExportTest, UnknownClaimFailsAndWritesNoFile) {
  kg::testing::TempDir dir;
  const std::string db = Ingest(dir, {});
  const Exported e = Export(db, "(Iran supplied Russia)", dir.Sub("out.json"));
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.err.find("no stored claim matches"), std::string::npos) << e.err;
  EXPECT_FALSE(std::ifstream(dir.Sub("out.json")).good());
  const Exported words = Export(db, "\"no document says this\"");
  EXPECT_EQ(words.code, 1);
  EXPECT_NE(words.err.find("no stored claim matches"), std::string::npos) << words.err;
}

TEST(ClaimReviewExportTest, OutputFileAndSeveralClaims) {
  kg::testing::TempDir dir;
  const std::string db = Ingest(dir, {"examples/factcheck/shahed-factcheck.kga"});
  const Exported e = Export(db, "(Iran supplied ShahedDrone)", dir.Sub("out.json"));
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_EQ(e.out, "");
  std::ifstream file(dir.Sub("out.json"));
  const Json written = Json::parse(file, nullptr, /*allow_exceptions=*/false);
  EXPECT_EQ(written["@type"], "ClaimReview");
  // A pattern naming several claims: an array, one entry per claim.
  const Exported many = Export(db, "(NorthKorea ?p Russia)");
  ASSERT_EQ(many.code, 0) << many.err;
  ASSERT_TRUE(many.json.is_array()) << many.out;
  EXPECT_GT(many.json.size(), 1u);
  for (const Json& r : many.json) EXPECT_EQ(r["@type"], "ClaimReview");
  EXPECT_NE(many.err.find("claims match"), std::string::npos) << many.err;
}

TEST(ClaimReviewCheckTest, FlagsMissingAndInvalidProperties) {
  const Json complete = Json::parse(R"({
    "@context": "https://schema.org", "@type": "ClaimReview",
    "url": "https://example.org/check", "claimReviewed": "The world is flat",
    "datePublished": "2025-01-02", "author": {"@type": "Organization", "name": "Checkers"},
    "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                     "bestRating": 5, "worstRating": 1},
    "itemReviewed": {"@type": "Claim"}})");
  EXPECT_TRUE(CheckClaimReview(complete).publishable());
  EXPECT_TRUE(CheckClaimReview(complete).recommended.empty());

  struct Case {
    const char* pointer;  // what is removed or changed
    Json value;           // null: removed
    std::vector<std::string> required, recommended;
    size_t invalid = 0;
  };
  const std::vector<Case> cases = {
      {"/url", nullptr, {"url"}, {}},
      {"/url", "", {"url"}, {}},
      {"/claimReviewed", nullptr, {"claimReviewed"}, {}},
      {"/reviewRating", nullptr, {"reviewRating"}, {}},
      {"/reviewRating/alternateName", "", {"reviewRating.alternateName"}, {}},
      {"/author", nullptr, {}, {"author"}},
      {"/author/name", "", {}, {"author"}},
      {"/datePublished", nullptr, {}, {"datePublished"}},
      {"/itemReviewed", nullptr, {}, {"itemReviewed"}},
      {"/reviewRating/bestRating", 1, {}, {}, 1},
      {"/reviewRating/ratingValue", 7, {}, {}, 1},
  };
  for (const Case& c : cases) {
    Json review = complete;
    const Json::json_pointer at(c.pointer);
    if (c.value.is_null()) {
      review[at.parent_pointer()].erase(at.back());
    } else {
      review[at] = c.value;
    }
    const ClaimReviewGaps gaps = CheckClaimReview(review);
    EXPECT_EQ(gaps.required, c.required) << c.pointer;
    EXPECT_EQ(gaps.recommended, c.recommended) << c.pointer;
    EXPECT_EQ(gaps.invalid.size(), c.invalid) << c.pointer;
    EXPECT_EQ(gaps.publishable(), c.required.empty() && c.invalid == 0) << c.pointer;
  }
}

}  // namespace
}  // namespace kg::cli
