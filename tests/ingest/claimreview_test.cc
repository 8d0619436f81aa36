// ClaimReview import: JSON-LD objects, @graph, HTML pages with several
// blocks and JSON lines become verdicts; a review of a sample-corpus claim
// attaches to that claim; reviewers that disagree are kept side by side;
// bad input is refused with the file, line, record and field, and leaves the
// store exactly as it was.
#include "ingest/claimreview/claimreview.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "kg/store.h"
#include "kg/verdict.h"
#include "query/query.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

const std::string kSource = KG_SOURCE_DIR;
const std::string kFixtures = kSource + "/tests/ingest/fixtures/claimreview/";
const std::string kExternal = [] {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return std::string(env != nullptr ? env : KG_EXTERNAL_DIR);
}();

class ClaimReviewTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    StoreOptions options;
    options.create_if_missing = true;
    auto s = Store::Open(dir_.Sub("db"), options);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }

  void LoadCorpus() {
    std::ostringstream err, progress;
    IngestOptions options;
    auto summary = IngestPaths(*store_, {kSource + "/examples/corpus"}, options, err, progress);
    ASSERT_TRUE(summary.ok()) << summary.status();
    ASSERT_TRUE(summary->ok()) << err.str() << summary->documents_failed << " " << summary->vocabularies_failed;
  }

  ClaimReviewSummary Import(const std::vector<std::string>& paths, std::string* errors = nullptr,
                            ClaimReviewOptions options = {}) {
    std::ostringstream err;
    auto summary = ImportClaimReviews(*store_, paths, options, err);
    EXPECT_TRUE(summary.ok()) << summary.status();
    if (errors != nullptr) *errors = err.str();
    return summary.ok() ? *summary : ClaimReviewSummary{};
  }

  // The rows of a query, cells joined by " | ".
  std::vector<std::string> Rows(const std::string& text) {
    query::Session session(store_.get());
    auto results = session.Run(text, {});
    EXPECT_TRUE(results.ok()) << results.status() << "\n" << text;
    std::vector<std::string> out;
    if (!results.ok()) return out;
    for (const auto& row : results->back().rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? " | " : "") + row[i].text;
      out.push_back(line);
    }
    return out;
  }

  std::map<std::string, std::map<std::string, std::string>> Dump() {
    store_.reset();
    auto dump = kg::testing::DumpStore(dir_.Sub("db"));
    Open();
    return dump;
  }

  kg::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ClaimReviewTest, ReviewOfASampleCorpusClaimAttachesToIt) {
  LoadCorpus();
  std::string err;
  const auto s = Import({kSource + "/examples/factcheck/munitions-review.html"}, &err);
  EXPECT_EQ(s.reviews, 1);
  EXPECT_EQ(s.attached, 1) << err;
  EXPECT_EQ(s.text_claims, 0);
  // The non-ClaimReview block of the page is reported, not silently dropped.
  EXPECT_NE(err.find("objects that are not ClaimReviews, skipped: WebSite (1)"), std::string::npos) << err;
  EXPECT_EQ(Rows("VERDICTS ON (NorthKorea supplies_munitions_to Russia);"),
            std::vector<std::string>{
                "<< NorthKorea supplies_munitions_to Russia >> | mixed | Half True | 3 of 5 (worst 1) "
                "| ExampleFactCheck | JaneReviewer | 2025-04-14 | "
                "doc:https://factcheck.example.org/2025/04/half-of-russias-munitions | "
                "https://factcheck.example.org/2025/04/half-of-russias-munitions | "
                "doc:https://www.wsj.com/world/crink-alliance"});
  // No second claim was made: the only claim with a verdict is the corpus's.
  EXPECT_EQ(Rows("MATCH ?c = (?s ?p ?o), ?c EVIDENCE ?e WHERE bound(?e.verdict) RETURN ?c;"),
            std::vector<std::string>{"<< NorthKorea supplies_munitions_to Russia >>"});
  // TRACE of the claim shows the verdict next to its chain; the
  // independent sources are unchanged by it.
  const auto trace = Rows("TRACE (NorthKorea supplies_munitions_to Russia);");
  ASSERT_FALSE(trace.empty());
  EXPECT_NE(trace[0].find("independent sources=2 supporting, 0 opposing; verdicts=1"), std::string::npos)
      << trace[0];
  EXPECT_NE(trace.back().find("verdict | doc:https://factcheck.example.org/2025/04/half-of-russias-munitions #0"),
            std::string::npos)
      << trace.back();
  // The claimant and the appearance's metadata are kept.
  EXPECT_EQ(Rows("MATCH ?c = (NorthKorea supplies_munitions_to Russia), ?c EVIDENCE ?e "
                 "WHERE bound(?e.verdict) RETURN ?e.claimant, ?e.first_appearance.title;"),
            std::vector<std::string>{"UkrainianOfficials | The CRINK alliance"});
}

TEST_F(ClaimReviewTest, TwoReviewersThatDisagreeAreKeptSideBySide) {
  std::string err;
  const auto s = Import({kFixtures + "two-reviewers.jsonl"}, &err);
  EXPECT_EQ(s.files_loaded, 1) << err;
  EXPECT_EQ(s.reviews, 2);
  EXPECT_EQ(s.text_claims, 2);
  // One text claim (white space does not make a second one), two verdicts.
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim) RETURN ?s;"),
            std::vector<std::string>{"\"The moon is made of cheese.\""});
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?e.verdict, ?e.reviewer, "
                 "?e.review_author, ?e.date ORDER BY ?e.date;"),
            (std::vector<std::string>{"RatedFalse | AlphaChecks |  | 2025-02-01",
                                      "RatedMostlyTrue | BetaVerify | BoReviewer | 2025-02-03"}));
  EXPECT_EQ(Rows("CONFLICTS ABOUT TextClaim;").size(), 2u);
  const auto verdicts = Rows("VERDICTS ON \"moon is made of cheese\";");
  EXPECT_EQ(verdicts.size(), 2u);
}

TEST_F(ClaimReviewTest, RatingWithoutBestRatingUsesSchemaOrgDefaults) {
  std::string err;
  const auto s = Import({kFixtures + "no-best-rating.jsonld"}, &err);
  EXPECT_EQ(s.reviews, 1) << err;
  // 1 on schema.org's default scale 1..5 is the worst: false.
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?e.verdict, ?e.rating_value, "
                 "?e.best_rating, ?e.rating;"),
            std::vector<std::string>{"RatedFalse | 1 |  | "});
}

TEST_F(ClaimReviewTest, HtmlPageWithSeveralBlocksAndAGraph) {
  std::string err;
  const auto s = Import({kFixtures + "several-blocks.html"}, &err);
  EXPECT_EQ(s.reviews, 2) << err;
  // "Pants on Fire!" reads as the label without its '!'; an unknown label is
  // unrated, with a note that says how to map it.
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?s, ?e.verdict, ?e.rating ORDER BY ?s;"),
            (std::vector<std::string>{
                "\"Bridges in Ruritania are made of paper.\" | RatedFalse | \"Pants on Fire!\"",
                "\"Ruritania exports widgets to Freedonia.\" | Unrated | \"Cherry-picked\""}));
  EXPECT_NE(err.find("the label 'Cherry-picked' is not in the vocabulary"), std::string::npos) << err;
  EXPECT_NE(err.find("Organization (1), WebPage (1)"), std::string::npos) << err;
  // Appearances: a bare URL and an Article with its headline.
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e WHERE size(?e.appearance) = 2 "
                 "RETURN ?e.appearance, ?e.appearance.title;"),
            std::vector<std::string>{
                "doc:https://news.example/widgets; doc:https://blog.example/w | Widgets!"});
}

TEST_F(ClaimReviewTest, TheVocabularyExtendsTheLabelMapping) {
  std::ostringstream ierr, progress;
  auto v = IngestPaths(*store_, {kFixtures + "cherry.kgv"}, IngestOptions{}, ierr, progress);
  ASSERT_TRUE(v.ok() && v->ok()) << ierr.str();
  std::string err;
  Import({kFixtures + "several-blocks.html"}, &err);
  EXPECT_EQ(err.find("Cherry-picked' is not in the vocabulary"), std::string::npos) << err;
  EXPECT_EQ(Rows("MATCH ?c = (\"Ruritania exports widgets to Freedonia.\" is TextClaim), ?c EVIDENCE ?e "
                 "RETURN ?e.verdict;"),
            std::vector<std::string>{"RatedMostlyFalse"});
}

TEST_F(ClaimReviewTest, ReimportReplacesAndDoesNotDuplicate) {
  Import({kFixtures + "two-reviewers.jsonl"});
  const auto before = Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?e.document;");
  Import({kFixtures + "two-reviewers.jsonl"});
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?e.document;"), before);
  EXPECT_EQ(before.size(), 2u);
}

TEST_F(ClaimReviewTest, BadInputIsRefusedWithPositionAndLeavesTheStoreAsItWas) {
  LoadCorpus();
  Import({kFixtures + "two-reviewers.jsonl"});
  const auto before = Dump();
  std::string err;
  auto s = Import({kFixtures + "malformed.jsonld"}, &err);
  EXPECT_EQ(s.files_failed, 1);
  EXPECT_NE(err.find("malformed.jsonld:4:16: error: malformed JSON: syntax error while parsing object - "
                     "unexpected string literal; expected '}'"), std::string::npos) << err;

  s = Import({kFixtures + "missing-field.jsonl"}, &err);
  EXPECT_EQ(s.files_failed, 1);
  EXPECT_EQ(s.reviews, 0);  // record 1 is good, but the file writes nothing
  EXPECT_NE(err.find("missing-field.jsonl:2:1: error: record 2: missing required field 'claimReviewed'"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("missing-field.jsonl:3:1: error: record 3: 'reviewRating.ratingValue' must be a "
                     "number, not \"high\""),
            std::string::npos)
      << err;

  // Not UTF-8; not JSON at all; no ClaimReview in a page.
  const std::string bad = dir_.Sub("bad.jsonld");
  std::ofstream(bad) << "{\"@type\": \"ClaimReview\", \"claimReviewed\": \"\xff\"}";
  s = Import({bad}, &err);
  EXPECT_NE(err.find("bad.jsonld:1:1: error: not valid UTF-8"), std::string::npos) << err;
  const std::string page = dir_.Sub("page.html");
  std::ofstream(page) << "<html><body>no markup</body></html>";
  s = Import({page}, &err);
  EXPECT_NE(err.find("page.html:1:1: error: no ClaimReview found"), std::string::npos) << err;
  // A duplicate url within one file.
  const std::string dup = dir_.Sub("dup.jsonl");
  {
    std::ifstream in(kFixtures + "two-reviewers.jsonl");
    std::string first;
    std::getline(in, first);
    std::ofstream(dup) << first << "\n" << first << "\n";
  }
  s = Import({dup}, &err);
  EXPECT_NE(err.find("dup.jsonl:2:1: error: record 2: its url repeats record 1's"), std::string::npos) << err;
  // A number too large for a double; JSON nested too deep.
  const std::string huge = dir_.Sub("huge.jsonld");
  std::ofstream(huge) << "{\"@type\": \"ClaimReview\", \"reviewRating\": {\"ratingValue\": 1e400}}";
  s = Import({huge}, &err);
  EXPECT_NE(err.find("huge.jsonld:1:1: error: malformed JSON: number overflow parsing '1e400'"),
            std::string::npos)
      << err;
  const std::string deep = dir_.Sub("deep.jsonld");
  std::ofstream(deep) << std::string(100000, '[') << std::string(100000, ']');
  s = Import({deep}, &err);
  EXPECT_NE(err.find("deep.jsonld:1:1: error: JSON nested deeper than 64 levels"), std::string::npos)
      << err;
  // What only the store checks (a NUL in a name) refuses the file before
  // its first, good, record is written.
  const std::string nul = dir_.Sub("nul.jsonl");
  {
    std::ifstream in(kFixtures + "two-reviewers.jsonl");
    std::string first;
    std::getline(in, first);
    std::ofstream(nul) << first << "\n"
                       << "{\"@type\": \"ClaimReview\", \"url\": \"https://x.example/a\\u0000b\", "
                          "\"author\": {\"name\": \"X\"}, \"claimReviewed\": \"Some claim here.\", "
                          "\"reviewRating\": {\"alternateName\": \"False\"}}\n";
  }
  s = Import({nul}, &err);
  EXPECT_EQ(s.reviews, 0);
  EXPECT_NE(err.find("nul.jsonl:2:1: error: record 2: document id contains a NUL byte"),
            std::string::npos)
      << err;
  EXPECT_EQ(Dump(), before);
}

TEST_F(ClaimReviewTest, JsonFileOfLinesIsAFeed) {
  const std::string feed = dir_.Sub("feed.json");
  std::filesystem::copy_file(kFixtures + "two-reviewers.jsonl", feed);
  std::string err;
  EXPECT_EQ(Import({feed}, &err).reviews, 2) << err;
}

TEST_F(ClaimReviewTest, ClaimOptionAttachesEveryReviewToThatClaim) {
  LoadCorpus();
  auto found = query::FindClaims(store_.get(), "(Iran supplied ShahedDrone)", 2);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  ClaimReviewOptions options;
  options.claim = (*found)[0];
  const auto s = Import({kFixtures + "no-best-rating.jsonld"}, nullptr, options);
  EXPECT_EQ(s.attached, 1);
  EXPECT_EQ(Rows("VERDICTS ON (Iran supplied ShahedDrone);").size(), 1u);
}

TEST_F(ClaimReviewTest, CommandLineImportInfersTheFormatAndChecksClaim) {
  store_.reset();
  cli::ImportCommandOptions o;
  o.db = dir_.Sub("db");
  o.paths = {kSource + "/examples/factcheck/munitions-review.html"};
  std::ostringstream out, err;
  EXPECT_EQ(cli::RunImport(o, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("imported 1 ClaimReview file(s): 1 review(s), 0 on claims already "
                           "stored, 1 on text claims"),
            std::string::npos)
      << out.str();
  // JSON lines need --format: ClaimReview or FEVER.
  o.paths = {kFixtures + "two-reviewers.jsonl"};
  EXPECT_EQ(cli::RunImport(o, out, err), 2);
  EXPECT_NE(err.str().find("say which with --format claimreview or --format fever"), std::string::npos);
  o.format = "claimreview";
  o.claim = "(Iran supplied Food)";
  std::ostringstream err2;
  EXPECT_EQ(cli::RunImport(o, out, err2), 2);  // no such entity in this store
  EXPECT_NE(err2.str().find("kg: --claim: "), std::string::npos) << err2.str();
  Open();
}

TEST_F(ClaimReviewTest, SchemaOrgExamples) {
  const std::string dir = kExternal + "/factcheck/schemaorg-claimreview/";
  if (!std::filesystem::exists(dir)) {
    GTEST_SKIP() << "schema.org ClaimReview examples not found in " << dir
                 << " (../shared/external, see its README)";
  }
  std::string err;
  auto s = Import({dir + "eg-0324-ClaimReview.jsonld"}, &err);
  EXPECT_EQ(s.reviews, 1) << err;
  // The example's label says True while its score (1 of 6) says false: the
  // label is kept, and the disagreement reported.
  EXPECT_NE(err.find("the label 'True' is true but the score 1 of 6 reads false"), std::string::npos) << err;
  EXPECT_NE(err.find("author.image (1)"), std::string::npos) << err;
  EXPECT_EQ(Rows("MATCH ?c = (?s is TextClaim), ?c EVIDENCE ?e RETURN ?e.reviewer, ?e.claimant, "
                 "?e.claim_date, ?e.date;"),
            std::vector<std::string>{"Politifact.com | RichPerry | 2014-07-17 | 2014-07-23"});
  // Exported back, the item reviewed keeps its author, date and title.
  std::ostringstream out, xerr;
  store_.reset();
  ASSERT_EQ(cli::RunExportClaimReview(dir_.Sub("db"), "\"3,000 homicides\"", "", out, xerr), 0)
      << xerr.str();
  Open();
  EXPECT_NE(out.str().find("\"name\": \"Rich Perry\""), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\"datePublished\": \"2014-07-17\""), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\"name\": \"The St. Petersburg Times interview [...]\""),
            std::string::npos)
      << out.str();
  // eg-0325 has no reviewRating: refused, naming the field.
  s = Import({dir + "eg-0325-ClaimReview.jsonld"}, &err);
  EXPECT_EQ(s.files_failed, 1);
  EXPECT_NE(err.find("eg-0325-ClaimReview.jsonld:1:1: error: record 1: missing required field "
                     "'reviewRating'"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace kg::ingest
