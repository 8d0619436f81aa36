// The query API around the golden suite: limits and the cancel hook,
// multi-statement scripts, syntax checking, and the result renderers.
#include "query/query.h"

#include <atomic>
#include <memory>
#include <sstream>
#include <string>

#include "cli/render.h"
#include "gtest/gtest.h"
#include "ingest/ingest.h"
#include "kg/store.h"
#include "tests/support/temp_dir.h"

namespace kg::query {
namespace {

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
  EXPECT_EQ(json.str(),
            "[{\"who\":\"Iran\",\"quote\":\"Tehran has provided Moscow with \\\"Shahed\\\" drones, a "
            "long quote\"},\n {\"who\":\"Iran\",\"quote\":null}]\n");
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
  EXPECT_EQ(json.str().rfind("{\"kind\":\"claim\",\"label\":\"<< Iran supplied ShahedDrone >>\"", 0), 0u)
      << json.str();
}

}  // namespace
}  // namespace kg::query
