// FEVER import: records become text claims with the label as a verdict by
// FEVERAnnotators and each evidence set a piece of evidence naming its
// Wikipedia pages and sentences (queries over them below); a bad record is
// reported at its line and column and nothing is written; a second import
// of a file replaces its document; FEVER's dev set loads whole.
#include "ingest/fever/fever.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "gtest/gtest.h"
#include "kg/store.h"
#include "query/query.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

const std::string kExternal = [] {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return std::string(env != nullptr ? env : KG_EXTERNAL_DIR);
}();
const std::string kFixture = KG_SOURCE_DIR "/tests/ingest/fixtures/fever/small.jsonl";

using Rows = std::vector<std::vector<std::string>>;

class FeverTest : public ::testing::Test {
 protected:
  std::string db() const { return dir_.Sub("db"); }

  // `kg import --format fever PATH`; the exit code, out and err.
  int Import(const std::string& path, std::string* out = nullptr, std::string* err = nullptr) {
    cli::ImportCommandOptions o;
    o.db = db();
    o.format = "fever";
    o.paths = {path};
    std::ostringstream o_out, o_err;
    const int rc = cli::RunImportFever(o, o_out, o_err);
    if (out != nullptr) *out = o_out.str();
    if (err != nullptr) *err = o_err.str();
    return rc;
  }

  // Writes `content` to a file of the temp dir named `name`.
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_.Sub(name);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // One statement's result, its cells as displayed.
  query::Result Run(const std::string& statement) {
    auto store = Store::Open(db(), StoreOptions{});
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return {};
    query::Session session(store->get());
    auto results = session.Run(statement, {});
    EXPECT_TRUE(results.ok()) << statement << "\n" << results.status();
    if (!results.ok() || results->empty()) return {};
    return results->back();
  }
  Rows Query(const std::string& statement) {
    Rows rows;
    for (const auto& row : Run(statement).rows) {
      rows.emplace_back();
      for (const query::Cell& c : row) rows.back().push_back(c.text);
    }
    return rows;
  }

  testing::TempDir dir_;
};

constexpr char kLabelCounts[] =
    "MATCH ?c = (?t is TextClaim), ?c EVIDENCE ?e WHERE bound(?e.verdict) "
    "RETURN str(?e.rating) AS label, count(*) AS n GROUP BY ?e.rating ORDER BY label;";

TEST(FeverPageTest, EscapesDecodedAndUrlsPercentEncoded) {
  EXPECT_EQ(FeverPageTitle("Soul_Food_-LRB-film-RRB-"), "Soul_Food_(film)");
  EXPECT_EQ(FeverPageTitle("-LSB-x-RSB-_-LCB-y-RCB--COLON-z"), "[x]_{y}:z");
  EXPECT_EQ(FeverPageUrl("Soul_Food_-LRB-film-RRB-"),
            "https://en.wikipedia.org/wiki/Soul_Food_(film)");
  EXPECT_EQ(FeverPageUrl("Andrés_Iniesta"), "https://en.wikipedia.org/wiki/Andr%C3%A9s_Iniesta");
  EXPECT_EQ(FeverPageUrl("Lila_&_Eve"), "https://en.wikipedia.org/wiki/Lila_%26_Eve");
  EXPECT_EQ(FeverPageUrl("Star_Wars-COLON-_Episode_IV_-LSB-1-RSB-"),
            "https://en.wikipedia.org/wiki/Star_Wars:_Episode_IV_%5B1%5D");
  EXPECT_EQ(FeverPageUrl("Guns_N'_Roses,_Inc.!~"),
            "https://en.wikipedia.org/wiki/Guns_N'_Roses,_Inc.!~");
  EXPECT_EQ(FeverDocumentId("/data/fever/paper_dev.jsonl"), "fever-paper_dev");
}

TEST_F(FeverTest, SmallFileGivesVerdictsAndEvidenceSets) {
  std::string out, err;
  ASSERT_EQ(Import(kFixture, &out, &err), 0) << err;
  EXPECT_EQ(err, "");
  // Seven records (an empty line skipped), six claim sentences; the Soul
  // Food record's two annotators chose the same sentence: one set.
  EXPECT_EQ(out.rfind("imported FEVER small.jsonl into doc:fever-small: 6 claim(s) from 7 "
                      "record(s), 3 SUPPORTS, 2 REFUTES, 2 NOT ENOUGH INFO, 6 evidence set(s) (1 "
                      "repeated set(s) merged) over 5 page(s) in ",
                      0),
            0u)
      << out;

  EXPECT_EQ(Query(kLabelCounts),
            (Rows{{"NOT ENOUGH INFO", "2"}, {"REFUTES", "2"}, {"SUPPORTS", "3"}}));
  // Refuted claims with an evidence set over two pages.
  EXPECT_EQ(Query("MATCH ?c = (?t is TextClaim), ?c EVIDENCE ?e, ?c EVIDENCE ?v "
                  "WHERE size(?e.page) >= 2 AND ?v.verdict = RatedFalse "
                  "RETURN DISTINCT ?t, ?e.page, ?e.sentence;"),
            (Rows{{"\"Telemundo is a English-language television network.\"",
                   "doc:https://en.wikipedia.org/wiki/Telemundo; "
                   "doc:https://en.wikipedia.org/wiki/Hispanic_and_Latino_Americans",
                   "\"Telemundo 4\"; \"Hispanic_and_Latino_Americans 0\""}}));
  // What the Telemundo page supports and what it refutes.
  EXPECT_EQ(Query("MATCH ?c = (?t is TextClaim), ?c EVIDENCE ?e "
                  "WHERE doc:https://en.wikipedia.org/wiki/Telemundo IN ?e.page "
                  "RETURN ?e.stance, ?t, ?e.fever_id ORDER BY ?e.stance, ?e.fever_id;"),
            (Rows{{"disputes", "\"Telemundo is a English-language television network.\"", "111897"},
                  {"disputes", "\"Telemundo is a English-language television network.\"", "111897"},
                  {"supports", "\"Telemundo is owned by NBCUniversal.\"", "500001"}}));
  // Page names decoded, URLs percent-encoded.
  EXPECT_EQ(Query("MATCH ?c = (\"Andrés Iniesta played for FC Barcelona.\" is TextClaim), "
                  "?c EVIDENCE ?e WHERE NOT bound(?e.verdict) RETURN ?e.page, ?e.sentence;"),
            (Rows{{"doc:https://en.wikipedia.org/wiki/Andr%C3%A9s_Iniesta",
                   "\"Andrés_Iniesta 0\"; \"Andrés_Iniesta 1\""}}));
  EXPECT_EQ(Query("MATCH ?c = (\"Fox 2000 Pictures released the film Soul Food.\" is TextClaim), "
                  "?c EVIDENCE ?e WHERE NOT bound(?e.verdict) RETURN ?e.page, ?e.sentence;"),
            (Rows{{"doc:https://en.wikipedia.org/wiki/Soul_Food_(film)",
                   "\"Soul_Food_(film) 0\""}}));

  // The claim given twice (once with two spaces) has both verdicts.
  Rows verdicts = Query("VERDICTS ON \"Damon Albarn's debut album was released in 2011\";");
  ASSERT_EQ(verdicts.size(), 2u);
  const query::Result v = Run("VERDICTS ON \"Damon Albarn's debut album was released in 2011\";");
  std::string table;
  for (const auto& row : v.rows) {
    for (const query::Cell& c : row) table += c.text + " | ";
    table += "\n";
  }
  EXPECT_NE(table.find("false"), std::string::npos) << table;
  EXPECT_NE(table.find("unrated"), std::string::npos) << table;
  EXPECT_NE(table.find("FEVERAnnotators"), std::string::npos) << table;

  // TRACE by the sentence: both evidence sets (the document is the source)
  // and the verdict next to them.
  const query::Result t = Run("TRACE \"Telemundo is a English-language television network\";");
  ASSERT_TRUE(t.trace.has_value());
  const query::TraceNode& claim = *t.trace;
  EXPECT_EQ(claim.kind, "claim");
  std::vector<std::string> kinds;
  for (const query::TraceNode& n : claim.children) kinds.push_back(n.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"evidence", "evidence", "verdict"}));
  std::string fields;
  for (const query::TraceNode& n : claim.children) {
    for (const auto& [k, c] : n.fields) fields += k + "=" + c.text + "\n";
  }
  EXPECT_NE(fields.find("stance=disputes"), std::string::npos) << fields;
  EXPECT_NE(fields.find("page=doc:https://en.wikipedia.org/wiki/Telemundo\n"
                        "page=doc:https://en.wikipedia.org/wiki/Hispanic_and_Latino_Americans\n"
                        "sentence=\"Telemundo 4\"\nsentence=\"Hispanic_and_Latino_Americans 0\""),
            std::string::npos)
      << fields;
  EXPECT_NE(fields.find("verdict=false"), std::string::npos) << fields;
  EXPECT_NE(fields.find("reviewer=FEVERAnnotators"), std::string::npos) << fields;
  EXPECT_NE(t.summary.find("1 claim(s) traced"), std::string::npos) << t.summary;
}

TEST_F(FeverTest, UnknownFieldsAreNamedNotDropped) {
  const std::string path = Write(
      "extra.jsonl",
      "{\"id\": 1, \"label\": \"NOT ENOUGH INFO\", \"claim\": \"A.\", \"evidence\": [], "
      "\"source\": \"x\", \"note\": 1}\n"
      "{\"id\": 2, \"label\": \"NOT ENOUGH INFO\", \"claim\": \"B.\", \"evidence\": [], "
      "\"note\": 2}\n");
  std::string out, err;
  ASSERT_EQ(Import(path, &out, &err), 0) << err;
  EXPECT_EQ(err, path + ": note: unknown field 'note' in 2 record(s): not imported\n" + path +
                     ": note: unknown field 'source' in 1 record(s): not imported\n");
}

struct BadCase {
  const char* name;
  std::string line;      // written as line 2, after a good record
  std::string expected;  // after "PATH:"
};

TEST_F(FeverTest, BadRecordsArePositionedAndNothingIsWritten) {
  ASSERT_EQ(Import(kFixture), 0);
  const auto before = testing::DumpStore(db());
  const std::string good =
      "{\"id\": 7, \"label\": \"NOT ENOUGH INFO\", \"claim\": \"Fine.\", \"evidence\": []}\n";
  const BadCase cases[] = {
      {"malformed JSON", "{\"id\": 1, \"label\": \"SUPPORTS\", \"claim\": x}",
       "2:41: error: invalid JSON: syntax error while parsing value - invalid literal"},
      {"not JSON at all", "  hello", "2:3: error: invalid JSON: syntax error"},
      {"missing label", "{\"id\": 2, \"claim\": \"A.\", \"evidence\": []}",
       "2:1: error: missing field 'label'"},
      {"wrong label", "{\"id\": 3, \"label\": \"supports\", \"claim\": \"A.\", \"evidence\": []}",
       "2:1: error: 'label' must be SUPPORTS, REFUTES or NOT ENOUGH INFO; got \"supports\""},
      {"bad evidence item",
       "{\"id\": 4, \"label\": \"SUPPORTS\", \"claim\": \"A.\", \"evidence\": "
       "[[[1, 2, \"P\", 0]], [[\"P\", 0]]]}",
       "2:1: error: evidence set 2 item 1: expected [annotation_id, evidence_id, page, sentence]"},
      {"no evidence set",
       "{\"id\": 5, \"label\": \"REFUTES\", \"claim\": \"A.\", \"evidence\": []}",
       "2:1: error: a REFUTES record needs at least one evidence set"},
      {"id not a number",
       "{\"id\": \"5\", \"label\": \"REFUTES\", \"claim\": \"A.\", \"evidence\": []}",
       "2:1: error: 'id' must be an integer; got \"5\""},
      {"blank claim",
       "{\"id\": 6, \"label\": \"NOT ENOUGH INFO\", \"claim\": \" \", \"evidence\": []}",
       "2:1: error: 'claim' must be a sentence"},
      {"number too large for a double",
       "{\"id\": 8, \"label\": \"SUPPORTS\", \"claim\": \"A.\", \"evidence\": [[[1, 1e400, \"P\", 0]]]}",
       "2:1: error: invalid JSON: number overflow parsing '1e400'"},
      {"nested too deep", std::string(100, '[') + std::string(100, ']'),
       "2:1: error: JSON nested deeper than 64 levels"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    // Same file name as the fixture: a write would replace its document.
    const std::string path = Write("bad/small.jsonl", good + c.line + "\n" + good);
    std::string out, err;
    EXPECT_EQ(Import(path, &out, &err), 1);
    EXPECT_EQ(out, "");
    EXPECT_EQ(err.rfind(path + ":" + c.expected, 0), 0u) << err;
    EXPECT_NE(err.find("kg: " + path + ": 1 bad record(s): nothing was imported"),
              std::string::npos)
        << err;
    EXPECT_EQ(testing::DumpStore(db()), before);
  }
  // Every bad record of a file is reported.
  const std::string path =
      Write("bad/small.jsonl", good + "[1]\n" + good + "{\"id\": 9}\n");
  std::string err;
  EXPECT_EQ(Import(path, nullptr, &err), 1);
  EXPECT_NE(err.find(path + ":2:1: error: expected a JSON object (a FEVER record); got [1]"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(path + ":4:1: error: missing field 'label'"), std::string::npos) << err;
  EXPECT_EQ(testing::DumpStore(db()), before);
}

TEST_F(FeverTest, ReimportReplacesTheFilesDocument) {
  ASSERT_EQ(Import(kFixture), 0);
  ASSERT_EQ(Import(kFixture), 0);
  EXPECT_EQ(Query(kLabelCounts),
            (Rows{{"NOT ENOUGH INFO", "2"}, {"REFUTES", "2"}, {"SUPPORTS", "3"}}));
  EXPECT_EQ(Query("MATCH ?c = (?t is TextClaim), ?c EVIDENCE ?e RETURN count(*);"),
            (Rows{{"13"}}));  // 7 verdicts, 6 evidence sets
  // A file of the same name elsewhere is the same document: it replaces it,
  // and the claims only it had are gone.
  const std::string path = Write(
      "other/small.jsonl",
      "{\"id\": 89891, \"label\": \"REFUTES\", \"claim\": \"Damon Albarn's debut album was "
      "released in 2011.\", \"evidence\": [[[107201, 120581, \"Damon_Albarn\", 17]]]}\n");
  ASSERT_EQ(Import(path), 0);
  EXPECT_EQ(Query(kLabelCounts), (Rows{{"REFUTES", "1"}}));
  EXPECT_EQ(Query("MATCH ?c = (?t is TextClaim) RETURN count(*);"), (Rows{{"1"}}));
}

TEST_F(FeverTest, PaperDevLoadsWhole) {
  const std::string path = kExternal + "/factcheck/fever/paper_dev.jsonl";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path << " is absent (FEVER 1.0 paper_dev.jsonl; see docs/fever.md)";
  }
  FeverSummary summary;
  {
    auto store = Store::Open(db(), StoreOptions{});
    ASSERT_TRUE(store.ok()) << store.status();
    std::ostringstream err;
    auto imported = ImportFever(**store, path, err);
    ASSERT_TRUE(imported.ok()) << imported.status() << "\n" << err.str();
    EXPECT_EQ(err.str(), "");
    summary = *imported;
  }
  EXPECT_EQ(summary.records, 9999u);
  EXPECT_EQ(summary.supports, 3333u);
  EXPECT_EQ(summary.refutes, 3333u);
  EXPECT_EQ(summary.not_enough_info, 3333u);
  std::cout << "paper_dev.jsonl: " << summary.records << " records, " << summary.claims
            << " claims, " << summary.evidence_sets << " evidence sets (" << summary.repeated_sets
            << " repeated, merged) over " << summary.pages << " pages in " << summary.seconds
            << " s (" << summary.records / summary.seconds << " records/s)\n";
  EXPECT_EQ(Query(kLabelCounts), (Rows{{"NOT ENOUGH INFO", "3333"}, {"REFUTES", "3333"},
                                       {"SUPPORTS", "3333"}}));
}

}  // namespace
}  // namespace kg::ingest
