// Independent sources (docs/query-language.md, section 11): small
// hand-written corpora, one shape of citation each
// (tests/query/fixtures/independence/), and the sample corpus. Each case
// asserts what SOURCES OF, TRACE and sources()/opposing() count, so the three
// cannot disagree.
#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "kg/store.h"
#include "query/query.h"
#include "tests/support/temp_dir.h"

namespace kg::query {
namespace {

const std::string kFixtures = std::string(KG_SOURCE_DIR) + "/tests/query/fixtures/independence";

// The figure `key` of a result's counts; -1 when it is missing.
int64_t CountOf(const Result& r, std::string_view key) {
  for (const auto& [k, v] : r.counts) {
    if (k == key) return v;
  }
  return -1;
}

// The cell of `row` in column `name`.
const Cell& At(const Result& r, size_t row, std::string_view name) {
  const auto it = std::find(r.columns.begin(), r.columns.end(), name);
  EXPECT_NE(it, r.columns.end()) << "no column " << name;
  static const Cell kMissing;
  if (it == r.columns.end() || row >= r.rows.size()) return kMissing;
  return r.rows[row][it - r.columns.begin()];
}

// The text of a TRACE node's field `key`; empty when it is missing.
std::string FieldOf(const TraceNode& n, std::string_view key) {
  for (const auto& [k, v] : n.fields) {
    if (k == key) return v.text;
  }
  return "";
}

// A store holding `paths` (relative to the source tree or absolute).
class Corpus {
 public:
  explicit Corpus(const std::vector<std::string>& paths) {
    auto s = Store::Open(dir_.Sub("db"), {});
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) return;
    store_ = *std::move(s);
    std::ostringstream err, progress;
    auto summary = ingest::IngestPaths(*store_, paths, {}, err, progress);
    EXPECT_TRUE(summary.ok() && summary->ok()) << err.str();
  }

  // The one result of `statement`.
  Result Run(const std::string& statement) {
    if (store_ == nullptr) return {};
    Session session(store_.get());
    auto r = session.Run(statement, {});
    EXPECT_TRUE(r.ok()) << statement << ": " << r.status();
    if (!r.ok() || r->size() != 1) return {};
    return std::move((*r)[0]);
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

struct Case {
  const char* folder;  // under tests/query/fixtures/independence/
  int64_t supporting;
  int64_t opposing;
  int64_t circular;    // groups resting only on circular citations
  size_t rows;         // SOURCES OF rows: one per group
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.folder; }

class IndependenceTest : public ::testing::TestWithParam<Case> {};

TEST_P(IndependenceTest, SourcesTraceAndFunctionsCountTheSame) {
  const Case& c = GetParam();
  Corpus corpus({kFixtures + "/vocab.kgv", kFixtures + "/" + c.folder});

  Result sources = corpus.Run("SOURCES OF (Atlantis supplied Gizmos);");
  EXPECT_EQ(CountOf(sources, "supporting"), c.supporting);
  EXPECT_EQ(CountOf(sources, "opposing"), c.opposing);
  EXPECT_EQ(CountOf(sources, "circular"), c.circular);
  EXPECT_EQ(CountOf(sources, "claims"), 1);
  EXPECT_EQ(sources.rows.size(), c.rows);
  std::string summary = std::to_string(c.supporting) + " independent source(s) support, " +
                        std::to_string(c.opposing) + " oppose";
  if (c.circular > 0) {
    summary += "; " + std::to_string(c.circular) + " circular citation(s) not counted";
  }
  EXPECT_EQ(sources.summary, summary);

  Result trace = corpus.Run("TRACE (Atlantis supplied Gizmos);");
  EXPECT_EQ(CountOf(trace, "supporting"), c.supporting);
  EXPECT_EQ(CountOf(trace, "opposing"), c.opposing);
  EXPECT_EQ(CountOf(trace, "circular"), c.circular);
  ASSERT_TRUE(trace.trace.has_value());
  EXPECT_EQ(FieldOf(*trace.trace, "independent sources"),
            std::to_string(c.supporting) + " supporting, " + std::to_string(c.opposing) +
                " opposing");

  Result functions = corpus.Run(
      "MATCH ?c = (Atlantis supplied Gizmos) "
      "RETURN size(sources(?c)) AS s, size(opposing(?c)) AS o;");
  ASSERT_EQ(functions.rows.size(), 1u);
  EXPECT_EQ(functions.rows[0][0].text, std::to_string(c.supporting));
  EXPECT_EQ(functions.rows[0][1].text, std::to_string(c.opposing));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, IndependenceTest,
    ::testing::Values(
        // The Herald is cited only: its own words and the officials it
        // quotes are one source; the survey's own reporting is another.
        Case{"through-root", 2, 0, 0, 2},
        // Two chains converge on one unstored wire report.
        Case{"wire", 1, 0, 0, 1},
        // P1-P2 share the agency, P2-P3 the wire: one source.
        Case{"bridge", 1, 0, 0, 1},
        // A circle of citations (and a roundup citing into it): no source.
        Case{"circular", 0, 0, 1, 1},
        // The same circle, but Loop A also speaks in its own voice.
        Case{"circular-own-voice", 1, 0, 0, 1},
        // Two officials quoted in one article stay two sources.
        Case{"one-article", 2, 0, 0, 2},
        // A column citing a stored report adds no source.
        Case{"cites-own", 1, 0, 0, 1},
        // Citing a stored wire neither adds nor merges its two sources.
        Case{"cites-stored", 2, 0, 0, 2},
        // One wire on each side: counted on each side.
        Case{"sides", 1, 1, 0, 2}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.folder;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

class CorpusIndependenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus({std::string(KG_SOURCE_DIR) + "/examples/corpus"});
  }
  static void TearDownTestSuite() {
    delete corpus_;
    corpus_ = nullptr;
  }
  static Corpus* corpus_;
};

Corpus* CorpusIndependenceTest::corpus_ = nullptr;

// Issue 19: the WSJ report and the Ukrainian officials it quotes reach the
// store only through the article's account of that one report: one source.
// The Atlantic Council report says it in its own voice: the second.
TEST_F(CorpusIndependenceTest, MunitionsRestOnTwoSourcesNotThree) {
  Result r = corpus_->Run("SOURCES OF (NorthKorea supplies_munitions_to Russia);");
  EXPECT_EQ(CountOf(r, "supporting"), 2);
  EXPECT_EQ(CountOf(r, "opposing"), 0);
  EXPECT_EQ(r.summary, "2 independent source(s) support, 0 oppose");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(At(r, 0, "source").text, "doc:atlantic-council-2025");
  EXPECT_EQ(At(r, 1, "source").text, "doc:wsj-crink-2025; UkrainianOfficials");
  EXPECT_EQ(At(r, 1, "through").text, "doc:wsj-crink-2025");
  EXPECT_EQ(At(r, 1, "evidence").type, Cell::Type::kNumber);
  EXPECT_EQ(At(r, 1, "evidence").text, "2");
  EXPECT_EQ(CellJson(At(r, 1, "chains")),
            "[[\"doc:crink-alliance-article-2025\",\"doc:wsj-crink-2025\"],"
            "[\"doc:crink-alliance-article-2025\",\"doc:wsj-crink-2025\",\"UkrainianOfficials\"]]");

  Result functions = corpus_->Run(
      "MATCH ?c = (NorthKorea supplies_munitions_to Russia) RETURN size(sources(?c));");
  ASSERT_EQ(functions.rows.size(), 1u);
  EXPECT_EQ(functions.rows[0][0].text, "2");

  Result trace = corpus_->Run("TRACE (NorthKorea supplies_munitions_to Russia);");
  EXPECT_EQ(CountOf(trace, "supporting"), 2);
  EXPECT_EQ(CountOf(trace, "evidence"), 3);
  ASSERT_TRUE(trace.trace.has_value());
  EXPECT_EQ(FieldOf(*trace.trace, "independent sources"), "2 supporting, 0 opposing");
}

// "Russia leads CRINK" is said twice by the article via the WSJ report: one
// source with two pieces of evidence, and its chain listed once.
TEST_F(CorpusIndependenceTest, AGroupListsEachChainOnce) {
  Result r = corpus_->Run("SOURCES OF (Russia leads CRINK);");
  bool found = false;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    if (At(r, i, "source").text != "doc:wsj-crink-2025") continue;
    found = true;
    EXPECT_EQ(At(r, i, "evidence").text, "2");
    EXPECT_EQ(At(r, i, "chains").items,
              std::vector<std::string>{"doc:crink-alliance-article-2025 -> doc:wsj-crink-2025"});
  }
  EXPECT_TRUE(found);
}

// Over every claim of the corpus: no chain names a source twice in a row,
// no group lists a chain twice, and the counts add up to the rows.
TEST_F(CorpusIndependenceTest, NoChainRepeatsItself) {
  Result r = corpus_->Run("SOURCES OF (?s ?p ?o);");
  ASSERT_FALSE(r.rows.empty());
  int64_t counted = 0;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const Cell& chains = At(r, i, "chains");
    std::vector<std::string> seen;
    for (const std::string& chain : chains.items) {
      EXPECT_EQ(std::count(seen.begin(), seen.end(), chain), 0) << chain;
      seen.push_back(chain);
      std::vector<std::string> parts;
      for (size_t from = 0;;) {
        const size_t to = chain.find(" -> ", from);
        parts.push_back(chain.substr(from, to == std::string::npos ? to : to - from));
        if (to == std::string::npos) break;
        from = to + 4;
      }
      for (size_t k = 1; k < parts.size(); ++k) EXPECT_NE(parts[k], parts[k - 1]) << chain;
    }
    if (chains.text.find("(circular citation)") == std::string::npos) ++counted;
  }
  EXPECT_EQ(CountOf(r, "supporting") + CountOf(r, "opposing"), counted);
}

// CONFLICTS ABOUT: every row carries its document and whole chain, and the
// listing says how many claims it compared.
TEST_F(CorpusIndependenceTest, ConflictRowsCarryDocumentAndChain) {
  Result r = corpus_->Run("CONFLICTS ABOUT CRINK;");
  EXPECT_EQ(CountOf(r, "disputed"), 1);
  EXPECT_EQ(CountOf(r, "compared"), 60);
  EXPECT_EQ(r.summary,
            "1 disputed claim(s) among the 60 claim(s) compared: every claim with CRINK as "
            "subject or object");
  ASSERT_EQ(r.rows.size(), 6u);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const Cell& chains = At(r, i, "chains");
    ASSERT_EQ(chains.items.size(), 1u);
    const std::string& chain = chains.items[0];
    EXPECT_EQ(chain.rfind(At(r, i, "document").text, 0), 0u) << chain;
    const std::string& source = At(r, i, "source").text;
    EXPECT_EQ(chain.substr(chain.size() - source.size()), source) << chain;
  }
  EXPECT_EQ(At(r, 3, "chains").text, "doc:atlantic-council-2025 -> doc:odni-ata-2025 -> ODNI");
}

}  // namespace
}  // namespace kg::query
