// W3C SPARQL 1.0 and 1.1 conformance (../shared/external/w3c-sparql-tests,
// the manifests sparql10/manifest.ttl and sparql11/manifest-all.ttl) run
// against query/sparql.h as tests/support/w3c_sparql_runner.h describes.
// One GoogleTest per folder of the suite (e.g. W3cSparql11.property_path),
// and W3cSparqlSummary.PassRates, which runs them all and prints the pass
// rate per category ("W3C SPARQL 1.1 syntax: 100/103 pass"); the
// W3cSparqlHarness tests check the harness itself and need no data.
//
// Known failures are listed in tests/query/w3c_sparql_failures.txt with a
// reason: a failing test not listed there fails its folder's GoogleTest
// (and the summary); a listed test that passes is printed so the line can
// go. Regenerate the file from the current run with
//   KG_W3C_SPARQL_WRITE_FAILURES=1 build/tests/w3c_sparql_tests
//       --gtest_filter='W3cSparqlSummary.*'
// Evaluation tests share one store, emptied between them;
// KG_TEST_FRESH_STORES=1 gives each its own. Without the external folder a
// skipped test says so.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "tests/support/sparql_manifest.h"
#include "tests/support/sparql_query_text.h"
#include "tests/support/sparql_results.h"
#include "tests/support/sparql_results_compare.h"
#include "tests/support/srx.h"
#include "tests/support/store_pool.h"
#include "tests/support/w3c_sparql_runner.h"
#include "tests/support/w3c_suite.h"

namespace kg::query {
namespace {

using ::kg::testing::SparqlManifest;
using ::kg::testing::SparqlResultTable;
using ::kg::testing::SparqlTestEntry;

constexpr char kWriteFailuresEnv[] = "KG_W3C_SPARQL_WRITE_FAILURES";
constexpr char kFailuresFile[] =
    KG_SOURCE_DIR "/tests/query/w3c_sparql_failures.txt";

using Kind = ::kg::testing::W3cSparqlKind;
using Outcome = ::kg::testing::W3cSparqlOutcome;

kg::testing::StorePool& Stores() {
  static kg::testing::StorePool pool;
  return pool;
}

// --- the suite ----------------------------------------------------------

struct Suite {
  std::string root_iri;  // of the sparql/ folder, left out of reasons
  std::vector<SparqlManifest> manifests;
  std::map<std::string, std::string> known;  // listed failures: key -> reason
  std::map<std::string, Outcome> outcomes;   // by key, as run in this process
};

Suite& TheSuite() {
  static Suite suite;
  return suite;
}

const Outcome& OutcomeOf(const SparqlManifest& m, const SparqlTestEntry& e) {
  auto& outcomes = TheSuite().outcomes;
  auto it = outcomes.find(e.key);
  if (it == outcomes.end()) {
    it =
        outcomes.emplace(e.key, kg::testing::RunW3cSparqlEntry(m, e, &Stores()))
            .first;
  }
  return it->second;
}

std::map<std::string, std::string> ReadKnownFailures() {
  std::map<std::string, std::string> known;
  std::ifstream in(kFailuresFile);
  std::string line;
  while (std::getline(in, line)) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    const size_t end = line.find_first_of(" \t", start);
    const std::string key = line.substr(start, end - start);
    const size_t reason =
        end == std::string::npos ? end : line.find_first_not_of(" \t", end);
    known[key] = reason == std::string::npos ? "" : line.substr(reason);
  }
  return known;
}

// A failure in one line for the failures file: its first line, and for a
// result that differs, the first solution missing or unexpected.
std::string Reason(const std::string& detail) {
  std::istringstream in(detail);
  std::string r, line;
  std::getline(in, r);
  std::string row;
  if (std::getline(in, line) &&
      (line == "  missing:" || line == "  unexpected:") &&
      std::getline(in, row) && row.find('{') != std::string::npos) {
    StrAppend(&r, "; ", line.substr(2), " ", row.substr(row.find('{')));
  }
  for (size_t at; !TheSuite().root_iri.empty() &&
                  (at = r.find(TheSuite().root_iri)) != std::string::npos;) {
    r.replace(at, TheSuite().root_iri.size(), "file:.../");
  }
  for (char& c : r) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  if (r.size() > 160) r = r.substr(0, 157) + "...";
  return r.empty() ? "fails" : r;
}

bool SkippedKey(const std::string& key) {
  auto it = TheSuite().outcomes.find(key);
  return it != TheSuite().outcomes.end() && it->second.kind == Kind::kSkipped;
}

class FolderTest : public ::testing::Test {
 public:
  explicit FolderTest(const SparqlManifest* m) : m_(m) {}
  void TestBody() override {
    const auto& known = TheSuite().known;
    int passed[2] = {0, 0}, total[2] = {0, 0}, listed = 0;
    std::map<std::string, int> skipped;
    for (const SparqlTestEntry& e : m_->entries) {
      const Outcome& o = OutcomeOf(*m_, e);
      if (o.kind == Kind::kSkipped) {
        ++skipped[o.detail];
        continue;
      }
      const int k = o.kind == Kind::kSyntax ? 0 : 1;
      ++total[k];
      passed[k] += o.pass;
      const bool is_known = known.contains(e.key);
      listed += is_known && !o.pass;
      if (!o.pass && !is_known) {
        ADD_FAILURE() << e.key << " (" << e.type << ", " << e.query
                      << ") fails and is not in w3c_sparql_failures.txt:\n"
                      << o.detail;
      }
      if (o.pass && is_known) {
        std::cout
            << "[ W3C ] now passes, remove it from w3c_sparql_failures.txt: "
            << e.key << "\n";
      }
    }
    std::string skips;
    for (const auto& [reason, n] : skipped)
      StrAppend(&skips, skips.empty() ? "" : "; ", reason, " (", n, ")");
    std::cout << "[ W3C ] " << m_->suite << "/" << m_->folder << ":";
    if (total[0] > 0) std::cout << " syntax " << passed[0] << "/" << total[0];
    if (total[1] > 0)
      std::cout << " query evaluation " << passed[1] << "/" << total[1];
    if (listed > 0) std::cout << " (" << listed << " known failures)";
    if (!skips.empty()) std::cout << " skipped: " << skips;
    std::cout << "\n";
    if (total[0] + total[1] == 0) GTEST_SKIP() << skips;
  }

 private:
  const SparqlManifest* m_;
};

class SummaryTest : public ::testing::Test {
 public:
  void TestBody() override {
    Suite& suite = TheSuite();
    struct Counts {
      int passed = 0, total = 0;
    };
    // (suite, kind) -> counts; suite -> skip reason -> count
    std::map<std::pair<std::string, Kind>, Counts> counts;
    std::map<std::string, std::map<std::string, int>> skipped;
    std::vector<std::pair<std::string, std::string>> failures, regressions;
    std::vector<std::string> now_passing;
    std::set<std::string> run;
    for (const SparqlManifest& m : suite.manifests) {
      for (const SparqlTestEntry& e : m.entries) {
        const Outcome& o = OutcomeOf(m, e);
        if (o.kind == Kind::kSkipped) {
          ++skipped[m.suite][o.detail];
          continue;
        }
        run.insert(e.key);
        Counts& c = counts[{m.suite, o.kind}];
        ++c.total;
        c.passed += o.pass;
        const bool is_known = suite.known.contains(e.key);
        if (!o.pass) failures.emplace_back(e.key, Reason(o.detail));
        if (!o.pass && !is_known)
          regressions.emplace_back(e.key, Reason(o.detail));
        if (o.pass && is_known) now_passing.push_back(e.key);
      }
    }
    int passed = 0, total = 0, skips = 0;
    for (const char* s : {"sparql10", "sparql11"}) {
      const std::string version = std::string(s) == "sparql10" ? "1.0" : "1.1";
      for (auto [kind, name] : {std::pair{Kind::kSyntax, "syntax"},
                                {Kind::kEval, "query evaluation"}}) {
        const Counts c = counts[{s, kind}];
        std::cout << "W3C SPARQL " << version << " " << name << ": " << c.passed
                  << "/" << c.total << " pass\n";
        passed += c.passed;
        total += c.total;
      }
      int n = 0;
      std::string why;
      for (const auto& [reason, k] : skipped[s]) {
        n += k;
        StrAppend(&why, why.empty() ? "" : ", ", reason, " ", k);
      }
      skips += n;
      if (n > 0)
        std::cout << "W3C SPARQL " << version << " skipped: " << n << " ("
                  << why << ")\n";
    }
    std::cout << "W3C SPARQL total: " << passed << "/" << total << " pass, "
              << failures.size() - regressions.size() << " known failures, "
              << regressions.size() << " not listed, " << skips << " skipped\n";
    for (const std::string& key : now_passing) {
      std::cout
          << "[ W3C ] now passes, remove it from w3c_sparql_failures.txt: "
          << key << "\n";
    }
    for (const auto& [key, reason] : suite.known) {
      if (!run.contains(key) && !SkippedKey(key)) {
        std::cout << "[ W3C ] w3c_sparql_failures.txt lists an unknown test: "
                  << key << "\n";
      }
    }
    const char* write = std::getenv(kWriteFailuresEnv);
    if (write != nullptr && *write != '\0' && std::string(write) != "0") {
      WriteFailures(failures);
      return;
    }
    std::string list;
    for (const auto& [key, reason] : regressions)
      StrAppend(&list, "\n  ", key, "  ", reason);
    EXPECT_TRUE(regressions.empty())
        << regressions.size()
        << " tests fail that w3c_sparql_failures.txt does not list "
        << "(regressions; or rewrite the file with " << kWriteFailuresEnv
        << "=1):" << list;
  }

 private:
  static void WriteFailures(
      const std::vector<std::pair<std::string, std::string>>& failures) {
    std::ofstream out(kFailuresFile, std::ios::binary | std::ios::trunc);
    out << "# W3C SPARQL 1.0 / 1.1 tests known to fail "
           "(tests/query/w3c_sparql_test.cc),\n"
           "# one per line: the test (suite/folder/name, as in the manifests), "
           "then why.\n"
           "# A failing test not listed here fails the run; a listed test that "
           "passes is\n"
           "# reported so its line can go. Rewritten from a run by\n"
           "#   KG_W3C_SPARQL_WRITE_FAILURES=1 build/tests/w3c_sparql_tests "
           "--gtest_filter='W3cSparqlSummary.*'\n";
    for (const auto& [key, reason] : failures)
      out << key << "  " << reason << "\n";
    out.close();
    EXPECT_TRUE(out.good()) << "cannot write " << kFailuresFile;
    std::cout << "[ W3C ] wrote " << failures.size() << " failures to "
              << kFailuresFile << "\n";
  }
};

void RegisterMessage(const char* name, std::string message, bool skip) {
  ::kg::testing::RegisterMessageTest("W3cSparqlSummary", name, std::move(message), skip);
}

// The folder, and the manifest's name when it is not manifest.ttl (a folder
// may have several), as a GoogleTest name.
std::string TestName(const SparqlManifest& m) {
  std::string name = m.folder;
  const std::string stem = std::filesystem::path(m.path).stem().string();
  if (stem != "manifest") StrAppend(&name, "_", stem);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

void Register(const std::string& external) {
  const std::string root = StrCat(external, "/w3c-sparql-tests/sparql");
  if (!std::filesystem::is_directory(root)) {
    RegisterMessage(
        "TestsPresent",
        StrCat("w3c-sparql-tests not found at ", external, ", skipping"), true);
    return;
  }
  Suite& suite = TheSuite();
  suite.root_iri = FileIri(root) + "/";
  for (const char* top :
       {"sparql10/manifest.ttl", "sparql11/manifest-all.ttl"}) {
    auto manifests = kg::testing::ReadSparqlManifests(StrCat(root, "/", top));
    if (!manifests.ok()) {
      RegisterMessage("Manifests", manifests.status().ToString(), false);
      return;
    }
    for (SparqlManifest& m : *manifests)
      suite.manifests.push_back(std::move(m));
  }
  suite.known = ReadKnownFailures();
  for (const SparqlManifest& m : suite.manifests) {
    const std::string test_suite =
        m.suite == "sparql10" ? "W3cSparql10" : "W3cSparql11";
    const SparqlManifest* p = &m;
    ::testing::RegisterTest(
        test_suite.c_str(), TestName(m).c_str(), nullptr, nullptr, __FILE__,
        __LINE__, [p]() -> ::testing::Test* { return new FolderTest(p); });
  }
  ::testing::RegisterTest(
      "W3cSparqlSummary", "PassRates", nullptr, nullptr, __FILE__, __LINE__,
      []() -> ::testing::Test* { return new SummaryTest(); });
}

// --- the harness's own checks (no external data needed) -------------------

using ::kg::testing::ResultsCompareOptions;
using ::kg::testing::SameResults;
using ::kg::testing::SparqlSolution;

RdfTerm Iri(const char* iri) { return RdfTerm::Iri(iri); }
RdfTerm Blank(const char* label) { return RdfTerm::BlankNode(label); }
RdfTerm Lit(const char* lex, std::string_view xsd_type = "") {
  return RdfTerm::Literal(lex,
                          xsd_type.empty() ? "" : StrCat(kXsdNs, xsd_type));
}
SparqlResultTable Table(std::vector<SparqlSolution> rows) {
  SparqlResultTable t;
  t.rows = std::move(rows);
  return t;
}
bool Same(const SparqlResultTable& e, const SparqlResultTable& a,
          ResultsCompareOptions o = {}) {
  std::string why;
  return SameResults(e, a, o, &why);
}

TEST(W3cSparqlHarness, BlankNodesMatchUnderOneBijectionAcrossTheResult) {
  const auto expected = Table({{{"x", Blank("a")}, {"y", Blank("a")}},
                               {{"x", Blank("b")}, {"y", Iri("u:1")}}});
  EXPECT_TRUE(Same(expected, Table({{{"x", Blank("p")}, {"y", Iri("u:1")}},
                                    {{"x", Blank("q")}, {"y", Blank("q")}}})));
  EXPECT_FALSE(Same(expected, Table({{{"x", Blank("p")}, {"y", Iri("u:1")}},
                                     {{"x", Blank("q")}, {"y", Blank("r")}}})));
  EXPECT_FALSE(Same(Table({{{"x", Blank("a")}}, {{"x", Blank("b")}}}),
                    Table({{{"x", Blank("p")}}, {{"x", Blank("p")}}})));
  EXPECT_FALSE(Same(Table({{{"x", Iri("u:1")}}}),
                    Table({{{"x", Iri("u:1")}}, {{"x", Iri("u:1")}}})));
}

TEST(W3cSparqlHarness, OrderByKeysLeaveTiesFree) {
  const auto ordering = kg::testing::OrderingOf(
      "SELECT ?k ?v { ?k ?p ?v } ORDER BY DESC(?k) LIMIT 5");
  ASSERT_TRUE(ordering.keys_known);
  ResultsCompareOptions o;
  o.ordered = true;
  o.order_keys = ordering.keys;
  const auto expected =
      Table({{{"k", Lit("2", "integer")}, {"v", Iri("u:a")}},
             {{"k", Lit("1", "integer")}, {"v", Iri("u:b")}},
             {{"k", Lit("1", "integer")}, {"v", Iri("u:c")}}});
  auto tie_swapped = expected;
  std::swap(tie_swapped.rows[1], tie_swapped.rows[2]);
  auto out_of_order = expected;
  std::swap(out_of_order.rows[0], out_of_order.rows[1]);
  EXPECT_TRUE(Same(expected, tie_swapped, o));
  EXPECT_FALSE(Same(expected, out_of_order, o));
  o.order_keys.clear();  // whole rows in sequence
  EXPECT_FALSE(Same(expected, tie_swapped, o));
}

TEST(W3cSparqlHarness, ReadsOrderAndDatasetOffTheQueryText) {
  using kg::testing::OrderingOf;
  EXPECT_FALSE(
      OrderingOf("SELECT * { { SELECT ?x { ?x ?p ?o } ORDER BY ?x LIMIT 1 } }")
          .ordered);
  EXPECT_FALSE(
      OrderingOf("# ORDER BY ?x\nSELECT * { FILTER(?x = \"ORDER BY\") }")
          .ordered);
  const auto expr = OrderingOf("SELECT * { ?a ?b ?c } order by ?a str(?b)");
  EXPECT_TRUE(expr.ordered && !expr.keys_known);
  EXPECT_EQ(OrderingOf("SELECT * {} ORDER BY ?a ASC( ?b ) OFFSET 1").keys,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(kg::testing::DatasetClauses(
                "SELECT * FROM <g1.ttl> from named <http://x/g2> {}",
                "file:///d/q.rq"),
            (std::vector<std::pair<std::string, bool>>{
                {"file:///d/g1.ttl", false}, {"http://x/g2", true}}));
}

TEST(W3cSparqlHarness, NumbersCompareByValueWithinTheirDatatype) {
  auto one = [](RdfTerm t) { return Table({{{"v", std::move(t)}}}); };
  EXPECT_TRUE(Same(one(Lit("2.0", "decimal")), one(Lit("2", "decimal"))));
  EXPECT_TRUE(Same(one(Lit("-3", "double")), one(Lit("-3.0E0", "double"))));
  EXPECT_TRUE(Same(one(Lit("007", "integer")), one(Lit("7", "integer"))));
  EXPECT_FALSE(Same(one(Lit("1", "integer")), one(Lit("1.0", "decimal"))));
  EXPECT_FALSE(Same(one(Lit("2.0", "decimal")), one(Lit("2.5", "decimal"))));
  EXPECT_TRUE(Same(one(Lit("a", "string")), one(Lit("a"))));
  EXPECT_TRUE(Same(one(RdfTerm::LangLiteral("a", "en-US")),
                   one(RdfTerm::LangLiteral("a", "en-us"))));
  ResultsCompareOptions terms;
  terms.numbers_by_value = false;
  EXPECT_FALSE(
      Same(one(Lit("2.0", "decimal")), one(Lit("2", "decimal")), terms));
}

TEST(W3cSparqlHarness, LaxCardinalityAllowsFewerDuplicates) {
  ResultsCompareOptions o;
  o.lax_cardinality = true;
  const auto twice = Table({{{"x", Iri("u:1")}}, {{"x", Iri("u:1")}}});
  EXPECT_TRUE(Same(twice, Table({{{"x", Iri("u:1")}}}), o));
  EXPECT_FALSE(Same(twice, Table({{{"x", Iri("u:2")}}}), o));
  EXPECT_FALSE(Same(twice, Table({{{"x", Iri("u:1")}}}), {}));
}

TEST(W3cSparqlHarness, ReadsSrxTsvAndCsv) {
  auto srx = kg::testing::ParseSrx(
      "<?xml version='1.0'?>\n<sparql "
      "xmlns='http://www.w3.org/2005/sparql-results#'>"
      "<head><variable name='a'/><variable name='b'/></head><results>"
      "<result><binding name='a'><literal xml:lang='en'>x &amp; "
      "y</literal></binding>"
      "<binding name='b'><bnode>r1</bnode></binding></result>"
      "<result><!-- c --><binding name='a'><literal "
      "datatype='http://www.w3.org/2001/XMLSchema#integer'"
      ">1</literal></binding></result></results></sparql>");
  ASSERT_TRUE(srx.ok()) << srx.status();
  EXPECT_EQ(srx->vars, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Same(
      Table({{{"a", RdfTerm::LangLiteral("x & y", "en")}, {"b", Blank("z")}},
             {{"a", Lit("1", "integer")}}}),
      *srx));
  auto ask = kg::testing::ParseSrx(
      "<sparql "
      "xmlns=\"http://www.w3.org/2005/sparql-results#\"><head/><boolean>true</"
      "boolean></sparql>");
  ASSERT_TRUE(ask.ok()) << ask.status();
  EXPECT_TRUE(ask->is_boolean && ask->boolean);
  auto tsv =
      kg::testing::ParseTsv("?a\t?b\n<http://x/>\t\"s\\tt\"@en\n1.5\t\n");
  ASSERT_TRUE(tsv.ok()) << tsv.status();
  EXPECT_TRUE(Same(Table({{{"a", Iri("http://x/")},
                           {"b", RdfTerm::LangLiteral("s\tt", "en")}},
                          {{"a", Lit("1.5", "decimal")}}}),
                   *tsv));
  auto csv = kg::testing::ParseCsv("a,b\r\n_:x,\"1,\"\"2\"\"\"\r\n");
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_TRUE(Same(Table({{{"a", Blank("y")}, {"b", Lit("1,\"2\"")}}}), *csv));
}

}  // namespace
}  // namespace kg::query

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kg::query::Register(kg::testing::ExternalDir(KG_EXTERNAL_DIR));
  const int status = RUN_ALL_TESTS();
  kg::query::Stores().Close();
  return status;
}
