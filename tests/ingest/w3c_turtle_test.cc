// W3C RDF 1.1 / 1.2 Turtle conformance, and the RDF-star CG's Turtle syntax
// tests read as RDF 1.2. The manifests are Turtle themselves, read with
// TurtleReader (tests/support/w3c_suite.h), which is then under test twice.
// Every entry is its own GoogleTest:
//   positive syntax  the file parses without error;
//   negative syntax  the reader rejects it with a line and a column;
//   eval             its statements are isomorphic to mf:result (N-Triples).
// Files are parsed with the base IRI the suite assumes: the URL the W3C
// publishes them at. W3cTurtleSummary.PassCounts prints pass counts per
// manifest. Without the external folder a skipped test says so.
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/turtle.h"
#include "kg/str_cat.h"
#include "tests/support/rdf_isomorphism.h"
#include "tests/support/w3c_suite.h"

namespace kg::ingest {
namespace {

using ::kg::testing::W3cEntry;
using ::kg::testing::W3cOutcome;

// RDF-star CG tests that RDF 1.2 turned around, by local name: a reified
// triple with no predicate-object list (`<< :s :p :o >> .`) was not a
// statement with quoted triples; in RDF 1.2 it is one (its rdf:reifies
// triple; rdf12 turtle12-syntax-basic-* hold the same form). Run as positive.
constexpr std::string_view kValidInRdf12[] = {"turtle-star-bad-2"};

struct Parsed {
  std::vector<RdfQuad> quads;
  std::optional<std::string> error;  // formatted
  Diagnostic diagnostic;
};

Parsed ParseTurtle(const std::string& path, const std::string& base,
                   bool trig) {
  Parsed out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = StrCat("cannot open ", path);
    return out;
  }
  TurtleReader reader(path, in, trig, base);
  RdfQuad q;
  while (reader.Next(&q)) out.quads.push_back(q);
  if (reader.error()) {
    out.error = reader.FormatError();
    out.diagnostic = *reader.error();
  }
  return out;
}

W3cOutcome RunEntry(const W3cEntry& e) {
  W3cOutcome o;
  const std::string& t = e.type;
  if (t.ends_with("PositiveSyntax")) o.kind = "positive";
  if (t.ends_with("NegativeSyntax") || t.ends_with("NegativeEval"))
    o.kind = "negative";
  if (t == "TestTurtleEval" || t == "TestTrigEval") o.kind = "eval";
  for (std::string_view name : kValidInRdf12) {
    if (e.id.ends_with(StrCat("#", name)) && o.kind == "negative")
      o.kind = "positive";
  }
  if (o.kind.empty()) {
    o.detail = StrCat(e.id, ": unknown test type ", t);
    return o;
  }
  const Parsed got = ParseTurtle(e.action, e.base, t.starts_with("TestTrig"));
  if (!kg::testing::JudgeParse(e, got.error, got.diagnostic.pos.line, got.diagnostic.pos.col, &o)) return o;
  if (o.kind == "eval") {
    std::ifstream in(e.result, std::ios::binary);
    if (!in) {
      o.detail = StrCat("cannot read ", e.result);
      return o;
    }
    NQuadsReader reader(e.result, in, NQuadsReader::Syntax::kNQuads);
    std::vector<RdfQuad> expected;
    RdfQuad q;
    while (reader.Next(&q)) expected.push_back(q);
    if (reader.error()) {
      o.detail =
          StrCat("cannot parse the expected result:\n", reader.FormatError());
      return o;
    }
    std::string why;
    if (!kg::testing::Isomorphic(got.quads, expected, &why)) {
      std::string actual;
      for (const RdfQuad& a : got.quads) actual += CanonicalNQuad(a);
      o.detail = StrCat("not isomorphic to ", e.result, ": ", why,
                        "\nactual:\n", actual);
      return o;
    }
  }
  o.pass = true;
  return o;
}

}  // namespace
}  // namespace kg::ingest

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const std::string external = kg::testing::ExternalDir(KG_EXTERNAL_DIR);
  kg::testing::RegisterW3cTests(
      external, "w3c-rdf-tests",
      {{"w3c-rdf-tests/rdf/rdf11/rdf-turtle/manifest.ttl", "W3cTurtle11"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-turtle/syntax/manifest.ttl",
        "W3cTurtle12Syntax"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-turtle/eval/manifest.ttl",
        "W3cTurtle12Eval"}},
      "W3cTurtleSummary", kg::ingest::RunEntry);
  // The RDF-star CG's syntax tests, read as RDF 1.2 (where `<< s p o >>` is
  // a reified triple, no longer a quoted one). Its eval tests expect the
  // superseded quoted-triple graphs, so they are not run.
  kg::testing::RegisterW3cTests(
      external, "w3c-rdf-star",
      {{"w3c-rdf-star/tests/turtle/syntax/manifest.ttl",
        "W3cRdfStarTurtleSyntax"}},
      "W3cRdfStarSummary", kg::ingest::RunEntry);
  return RUN_ALL_TESTS();
}
