// SPARQL over the sample corpus: the forms, the algebra, the provenance
// properties (the README's two questions asked in SPARQL), EXPLAIN through
// the shared planner, and positioned errors. The W3C suites are in
// w3c_sparql_test.cc.
#include "query/sparql.h"

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "kg/rdf_mapping.h"
#include "kg/store.h"
#include "query/query.h"
#include "tests/support/temp_dir.h"

namespace kg::query {
namespace {

class SparqlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto s = Store::Open(dir_->Sub("db"), {});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = s->release();
    std::ostringstream err, progress;
    // The sample corpus and a fact-check of its munitions claim.
    auto summary = ingest::IngestPaths(
        *store_,
        {std::string(KG_SOURCE_DIR) + "/examples/corpus",
         std::string(KG_SOURCE_DIR) + "/tests/query/fixtures/review-munitions-a.kga"},
        {}, err, progress);
    ASSERT_TRUE(summary.ok() && summary->ok()) << err.str();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
  }

  SparqlResult Run(const std::string& q) {
    auto r = RunSparql(store_, q, {});
    EXPECT_TRUE(r.ok()) << q << "\n" << r.status();
    return r.ok() ? *r : SparqlResult{};
  }

  // Column `var` of every row, as RDF text (<iri>, "literal"...), sorted.
  std::multiset<std::string> Column(const SparqlResult& r, const std::string& var) {
    std::multiset<std::string> out;
    const auto at = std::find(r.vars.begin(), r.vars.end(), var) - r.vars.begin();
    EXPECT_LT(static_cast<size_t>(at), r.vars.size()) << var;
    for (const auto& row : r.rows) {
      if (static_cast<size_t>(at) >= row.size()) continue;
      if (!row[at]) {
        out.insert("UNBOUND");
        continue;
      }
      const RdfTerm t = ToRdf(*row[at]);
      out.insert(t.is_iri() ? "<" + t.value + ">" : t.value);
    }
    return out;
  }

  int64_t Count(const std::string& kg_query) {
    Session session(store_);
    auto r = session.Run(kg_query, {});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok() || r->empty() || (*r)[0].rows.empty()) return -1;
    return std::stoll((*r)[0].rows[0][0].text);
  }

  static std::string E(const std::string& name) { return "<" + std::string(kKgEntityNs) + name + ">"; }

  static testing::TempDir* dir_;
  static Store* store_;
};

testing::TempDir* SparqlTest::dir_ = nullptr;
Store* SparqlTest::store_ = nullptr;

TEST_F(SparqlTest, SelectAnswersWhatTheKgLanguageAnswers) {
  const SparqlResult r = Run("SELECT ?what WHERE { kge:Iran kge:supplied ?what }");
  EXPECT_EQ(Column(r, "what"), (std::multiset<std::string>{E("Drones"), E("ShahedDrone")}));
  // The same join counted both ways.
  const SparqlResult c = Run("SELECT (COUNT(*) AS ?n) WHERE { ?a kge:cites ?b }");
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(Column(c, "n"), (std::multiset<std::string>{
                                std::to_string(Count("MATCH ?a cites ?b RETURN COUNT(*);"))}));
}

TEST_F(SparqlTest, ReadmeQuestionOneTheQuoteTracesToUkrainianOfficials) {
  const SparqlResult r = Run(R"(
    SELECT ?quote ?hedge ?source WHERE {
      <<( ?s ?p ?o )>> kg:evidence ?e .
      ?e kg:quote ?quote ; kg:hedge ?hedge ; kg:root ?source .
      FILTER(CONTAINS(?quote, "half of Russia"))
    })");
  EXPECT_EQ(Column(r, "source"), (std::multiset<std::string>{E("UkrainianOfficials")}));
  EXPECT_EQ(Column(r, "hedge"),
            (std::multiset<std::string>{"<" + std::string(kKgVocabNs) + "claimed>"}));
}

TEST_F(SparqlTest, ReadmeQuestionTwoTwoIndependentSources) {
  const SparqlResult r = Run(R"(
    SELECT ?n ?root WHERE {
      <<( kge:Iran kge:supplied kge:ShahedDrone )>> kg:independentSources ?n ; kg:root ?root .
    })");
  EXPECT_EQ(Column(r, "n"), (std::multiset<std::string>{"2", "2"}));
  EXPECT_EQ(Column(r, "root"),
            (std::multiset<std::string>{"<" + std::string(kKgDocNs) + "atlantic-council-2025>",
                                        "<" + std::string(kKgDocNs) + "wsj-crink-2025>"}));
}

TEST_F(SparqlTest, VerdictFieldsAndNoSourceFromAVerdict) {
  const SparqlResult r = Run(R"(
    SELECT ?v ?rating ?who ?stance WHERE {
      <<( kge:NorthKorea kge:supplies_munitions_to kge:Russia )>> kg:evidence ?e .
      ?e kg:verdict ?v ; kg:rating ?rating ; kg:reviewer ?who .
      OPTIONAL { ?e kg:stance ?stance }
    })");
  EXPECT_EQ(Column(r, "v"), (std::multiset<std::string>{E("RatedMixed")}));
  EXPECT_EQ(Column(r, "rating"), (std::multiset<std::string>{"Half True"}));
  EXPECT_EQ(Column(r, "who"), (std::multiset<std::string>{E("CheckDesk")}));
  EXPECT_EQ(Column(r, "stance"), (std::multiset<std::string>{"UNBOUND"}));
  // The review is no independent source of the claim.
  const SparqlResult n = Run(R"(
    SELECT ?n WHERE { <<( kge:NorthKorea kge:supplies_munitions_to kge:Russia )>> kg:independentSources ?n })");
  EXPECT_EQ(Column(n, "n"), (std::multiset<std::string>{"2"}));
}

TEST_F(SparqlTest, OptionalUnionMinusBindValues) {
  // UNION: both predicates; MINUS removes the Iran rows; BIND and VALUES join.
  const SparqlResult u = Run(
      "SELECT ?x WHERE { { kge:Iran kge:supplied ?x } UNION { kge:Iran kge:seeks ?x } }");
  EXPECT_GE(u.rows.size(), 2u);
  const SparqlResult m = Run(
      "SELECT ?s WHERE { ?s kge:supplied ?o MINUS { ?s kge:supplied kge:ShahedDrone } }");
  EXPECT_EQ(Column(m, "s").count(E("Iran")), 0u);
  const SparqlResult b = Run(
      "SELECT ?label WHERE { VALUES ?who { kge:Iran kge:Nobody } ?who kge:supplied ?x "
      "BIND(CONCAT(STR(?who), \" -> \", STR(?x)) AS ?label) } ORDER BY ?label");
  ASSERT_EQ(b.rows.size(), 2u);
  EXPECT_EQ(ToRdf(*b.rows[0][0]).value, std::string(kKgEntityNs) + "Iran -> " +
                                            std::string(kKgEntityNs) + "Drones");
  const SparqlResult o = Run(
      "SELECT ?x ?z WHERE { kge:Iran kge:supplied ?x OPTIONAL { ?x kge:nothing_here ?z } }");
  EXPECT_EQ(Column(o, "z"), (std::multiset<std::string>{"UNBOUND", "UNBOUND"}));
}

TEST_F(SparqlTest, PathsAggregatesAndModifiers) {
  const SparqlResult p = Run(
      "SELECT DISTINCT ?d WHERE { kgd:atlantic-council-2025 kge:cites+ ?d }");
  const SparqlResult one = Run(
      "SELECT DISTINCT ?d WHERE { kgd:atlantic-council-2025 kge:cites ?d }");
  EXPECT_GE(p.rows.size(), one.rows.size());
  EXPECT_GT(one.rows.size(), 0u);
  const SparqlResult g = Run(
      "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 50) "
      "ORDER BY DESC(?n) ?p LIMIT 2");
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(ToRdf(*g.rows[0][0]).value, std::string(kKgEntityNs) + "mentions");
  const SparqlResult a = Run("ASK { kge:Iran kge:supplied kge:ShahedDrone }");
  EXPECT_EQ(a.form, SparqlResult::Form::kAsk);
  EXPECT_TRUE(a.boolean);
  EXPECT_FALSE(Run("ASK { kge:ShahedDrone kge:supplied kge:Iran }").boolean);
}

TEST_F(SparqlTest, ConstructAndDescribeBuildGraphs) {
  const SparqlResult c = Run(
      "CONSTRUCT { ?x <http://example.org/got> kge:Iran } WHERE { kge:Iran kge:supplied ?x }");
  EXPECT_EQ(c.form, SparqlResult::Form::kGraph);
  EXPECT_EQ(c.triples.size(), 2u);
  const SparqlResult d = Run("DESCRIBE kge:Iran");
  EXPECT_GT(d.triples.size(), 2u);
}

TEST_F(SparqlTest, ExplainShowsThePlannersSteps) {
  const SparqlResult r = Run(
      "EXPLAIN SELECT ?x WHERE { ?x kge:supplied ?y . ?y kge:described_as ?z "
      "FILTER(?x != kge:Iran) }");
  EXPECT_NE(r.explain.find("scan"), std::string::npos) << r.explain;
  EXPECT_NE(r.explain.find("filter"), std::string::npos) << r.explain;
  EXPECT_NE(r.explain.find("(bound:"), std::string::npos) << r.explain;
}

TEST_F(SparqlTest, ErrorsNameThePosition) {
  auto r = RunSparql(store_, "SELECT ?x WHERE {\n  ?x kge:supplied }", {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_EQ(std::string(r.status().message()).substr(0, 5), "2:19:") << r.status();
  auto p = RunSparql(store_, "SELECT ?x WHERE { ?x nope:p ?y }", {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("undeclared prefix 'nope:'"), std::string::npos);
  auto g = RunSparql(store_, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?y }", {});
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("neither grouped nor aggregated"), std::string::npos);
}

}  // namespace
}  // namespace kg::query
