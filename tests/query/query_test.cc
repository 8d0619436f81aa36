// The query API around the golden suite: limits and the cancel hook,
// multi-statement scripts, syntax checking, the binder's output, and the
// result renderers.
#include "query/query.h"

#include <atomic>
#include <memory>
#include <sstream>
#include <string>

#include "cli/render.h"
#include "gtest/gtest.h"
#include "tests/support/doc_builder.h"
#include "ingest/annotated/ingest.h"
#include "kg/store.h"
#include "query/binder.h"
#include "query/context.h"
#include "query/parser.h"
#include "tests/support/temp_dir.h"

namespace kg::query {
namespace {

using ::kg::testing::ClaimIn;
using ::kg::testing::IdIn;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    std::ostringstream err, progress;
    auto summary = ingest::IngestPaths(*store_, {std::string(KG_SOURCE_DIR) + "/examples/corpus"},
                                       {}, err, progress);
    ASSERT_TRUE(summary.ok() && summary->ok()) << err.str();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(QueryTest, CancelHookStopsTheRunningStatement) {
  Session session(store_.get());
  std::atomic<bool> cancel{true};
  QueryOptions options;
  options.cancel = &cancel;
  auto r = session.Run("MATCH ?s ?p ?o, ?a ?b ?c RETURN COUNT(*);", options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsCancelled(r.status())) << r.status();
  cancel = false;
  auto again = session.Run("MATCH Iran supplied ?x RETURN ?x;", options);
  EXPECT_TRUE(again.ok()) << again.status();
}

TEST_F(QueryTest, TimeoutAndRowCapHaveTheirOwnCodes) {
  Session session(store_.get());
  QueryOptions slow;
  slow.timeout = absl::ZeroDuration();
  auto t = session.Run("MATCH ?s ?p ?o, ?a ?b ?c RETURN COUNT(*);", slow);
  EXPECT_TRUE(absl::IsDeadlineExceeded(t.status())) << t.status();
  QueryOptions capped;
  capped.max_rows = 5;
  auto c = session.Run("MATCH ?s ?p ?o RETURN ?s;", capped);
  EXPECT_TRUE(absl::IsResourceExhausted(c.status())) << c.status();
  // ORDER BY materialises: the cap applies there too.
  auto o = session.Run("MATCH ?s ?p ?o RETURN ?s ORDER BY ?s LIMIT 1;", capped);
  EXPECT_TRUE(absl::IsResourceExhausted(o.status())) << o.status();
}

TEST_F(QueryTest, AScriptRunsEveryStatementInOrder) {
  Session session(store_.get());
  auto r = session.Run(
      "-- two statements\nMATCH Iran supplied ?x RETURN COUNT(*) AS n;\n"
      "SOURCES OF (Iran supplied ShahedDrone);",
      {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].rows[0][0].text, "2");
  EXPECT_EQ((*r)[1].rows.size(), 2u);
  EXPECT_EQ((*r)[1].summary, "2 independent source(s) support, 0 oppose");
}

// The binder's output is ids, slots and resolved fields and functions: what
// a second front end (SPARQL) would hand the planner too.
TEST_F(QueryTest, BinderResolvesEveryNameToIdsAndSlots) {
  auto parsed = Parse(
      "MATCH ?c = (Tehran supplied ?x), ?c EVIDENCE ?e WHERE ?e.hedge = claimed "
      "RETURN ?e.time, size(evidence(?c)), count(*);");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const MatchAst& m = (*parsed)[0].match;
  std::unique_ptr<Snapshot> snap = store_->NewSnapshot();
  Context ctx(*snap, {});
  auto bound = BindMatch(ctx, m);
  ASSERT_TRUE(bound.ok()) << bound.status();
  const Bindings& b = bound->bindings;
  ASSERT_EQ(bound->patterns.size(), 2u);
  const BoundPattern& scan = bound->patterns[0];
  EXPECT_EQ(scan.kind, BoundPattern::Kind::kScan);
  EXPECT_EQ(scan.s.id, IdIn(*snap, Term::Entity("Iran")));  // through the alias
  EXPECT_EQ(scan.p.id, IdIn(*snap, Term::Entity("supplied")));
  EXPECT_EQ(scan.o.var, b.vars.at("x"));
  EXPECT_EQ(scan.claim_var, b.vars.at("c"));
  const BoundPattern& evidence = bound->patterns[1];
  EXPECT_EQ(evidence.kind, BoundPattern::Kind::kEvidence);
  EXPECT_EQ(evidence.s.var, b.vars.at("c"));
  EXPECT_EQ(evidence.o.var, b.vars.at("e"));
  ASSERT_EQ(bound->filters.size(), 1u);
  const ExprAst& hedge = *bound->filters[0]->children[0];
  EXPECT_EQ(b.fields.at(&hedge).id, FieldId::kHedge);
  EXPECT_EQ(b.var_slots.at(hedge.children[0].get()), b.vars.at("e"));
  const ExprAst& time = *m.returns[0].expr;
  EXPECT_EQ(b.fields.at(&time).id, FieldId::kQualifier);
  EXPECT_EQ(b.fields.at(&time).name, "time");
  const ExprAst& size = *m.returns[1].expr;
  EXPECT_EQ(b.functions.at(&size), FunctionId::kSize);
  EXPECT_EQ(b.functions.at(size.children[0].get()), FunctionId::kEvidence);
  EXPECT_EQ(b.functions.at(m.returns[2].expr.get()), FunctionId::kCount);
}

// A qualifier key is known if some evidence in the store has it, not only
// the annotation format's time, quantity and place.
TEST_F(QueryTest, QualifierKeysComeFromTheStore) {
  DocumentWrite w;
  w.document.id = "rdf-import";
  w.document.text = "A note.";
  Evidence ev;
  ev.quote = "A note.";
  ev.qualifiers.push_back({"confidence", *Term::Decimal("0.8")});
  w.claims.push_back({Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"),
                                  Term::Entity("ShahedDrone")),
                      ev});
  ASSERT_TRUE(store_->WriteDocument(w).ok());
  Session session(store_.get());
  auto r = session.Run(
      "MATCH ?c = (Iran supplied ShahedDrone), ?c EVIDENCE ?e WHERE bound(?e.confidence) "
      "RETURN ?e.confidence;",
      {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)[0].rows.size(), 1u);
  EXPECT_EQ((*r)[0].rows[0][0].text, "0.8");
  auto typo = session.Run(
      "MATCH ?c = (Iran supplied ShahedDrone), ?c EVIDENCE ?e RETURN ?e.confidance;", {});
  EXPECT_EQ(typo.status().message(),
            "1:66: unknown field 'confidance': evidence has no field or qualifier of that name "
            "(did you mean confidence?)");
}

// The binder runs before any row: an error in a statement's names is found
// even when its patterns match nothing, and no statement after it runs.
TEST_F(QueryTest, NamesAreCheckedBeforeAnyRow) {
  Session session(store_.get());
  std::vector<Result> seen;
  absl::Status s = session.RunEach(
      "MATCH Iran supplied ?x RETURN count(*);\n"
      "MATCH Iran supplies_munitions_to ?x RETURN ?x.nmae;\n"
      "MATCH Iran supplied ?x RETURN ?x;",
      {}, [&](Result r) { seen.push_back(std::move(r)); });
  EXPECT_EQ(s.message(),
            "2:47: unknown field 'nmae': no term has a field of that name (did you mean name?)");
  EXPECT_EQ(seen.size(), 1u);
}

TEST(CheckSyntaxTest, ReportsThePosition) {
  EXPECT_TRUE(CheckSyntax("MATCH ?a ?p ?b RETURN ?a;").ok());
  auto s = CheckSyntax("MATCH ?a ?p ?b\nRETURN ?a");
  EXPECT_EQ(s.message(), "2:10: expected ';' to end the statement, found end of input");
}

Result SmallResult() {
  Result r;
  r.columns = {"who", "quote"};
  Cell who;
  who.type = Cell::Type::kTerm;
  who.text = "Iran";
  Cell quote;
  quote.type = Cell::Type::kText;
  quote.text = "Tehran has provided Moscow with \"Shahed\" drones, a long quote";
  Cell none;
  r.rows = {{who, quote}, {who, none}};
  return r;
}

TEST(RenderTest, TableFitsTheWidthAndCountsRows) {
  std::ostringstream out;
  cli::RenderOptions o;
  o.width = 30;
  cli::Render(SmallResult(), o, out);
  EXPECT_EQ(out.str(),
            " who  | quote\n"
            "------+----------------------\n"
            " Iran | Tehran has provided …\n"
            " Iran |\n"
            "(2 rows)\n");
}

TEST(RenderTest, JsonAndCsvQuoteProperly) {
  std::ostringstream json, csv;
  cli::RenderOptions o;
  o.format = cli::Format::kJson;
  cli::Render(SmallResult(), o, json);
  // One object per statement, on one line (JSON Lines for several).
  EXPECT_EQ(json.str(),
            "{\"columns\":[\"who\",\"quote\"],\"rows\":[{\"who\":\"Iran\",\"quote\":\"Tehran has "
            "provided Moscow with \\\"Shahed\\\" drones, a long quote\"},{\"who\":\"Iran\",\"quote\":"
            "null}],\"row_count\":2}\n");
  o.format = cli::Format::kCsv;
  cli::Render(SmallResult(), o, csv);
  EXPECT_EQ(csv.str(),
            "who,quote\r\nIran,\"Tehran has provided Moscow with \"\"Shahed\"\" drones, a long "
            "quote\"\r\nIran,\r\n");
}

TEST_F(QueryTest, TraceRendersAsDotAndJson) {
  Session session(store_.get());
  auto r = session.Run("TRACE (Iran supplied ShahedDrone);", {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE((*r)[0].trace.has_value());
  std::ostringstream dot, json;
  cli::RenderOptions o;
  o.format = cli::Format::kDot;
  cli::Render((*r)[0], o, dot);
  EXPECT_NE(dot.str().find("digraph provenance {"), std::string::npos);
  EXPECT_NE(dot.str().find("doc:wsj-crink-2025\\n[primary source]"), std::string::npos) << dot.str();
  EXPECT_NE(dot.str().find("n0 -> n1;"), std::string::npos);
  o.format = cli::Format::kJson;
  cli::Render((*r)[0], o, json);
  EXPECT_NE(json.str().find(",\"trace\":{\"kind\":\"claim\",\"label\":\"<< Iran supplied "
                            "ShahedDrone >>\",\"fields\":{\"evidence\":2,"),
            std::string::npos)
      << json.str();
  EXPECT_NE(json.str().find("\"counts\":{"), std::string::npos) << json.str();
}

}  // namespace
}  // namespace kg::query
