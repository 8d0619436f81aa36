// W3C RDF 1.1 / 1.2 N-Triples and N-Quads conformance. Every entry of the
// manifests under $KG_EXTERNAL_DIR/w3c-rdf-tests is its own GoogleTest
// (tests/support/w3c_suite.h):
//   positive syntax  the file parses without error;
//   negative syntax  the reader rejects it with a line and a column;
//   c14n             the canonical form of its statements equals mf:result.
// W3cRdfSummary.PassCounts reruns them all and prints pass counts per
// manifest. Without the external folder a single skipped test says so.
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "ingest/rdf/ntriples.h"
#include "kg/str_cat.h"
#include "tests/support/w3c_suite.h"

namespace kg::ingest {
namespace {

using ::kg::testing::W3cEntry;
using ::kg::testing::W3cOutcome;

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

// Reads every statement of `path`; `*canonical` collects their canonical
// form. Returns the reader's first error, if any.
std::optional<std::string> ParseFile(const std::string& path,
                                     NQuadsReader::Syntax syntax,
                                     std::string* canonical,
                                     Diagnostic* diagnostic) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return StrCat("cannot open ", path);
  NQuadsReader reader(path, in, syntax);
  RdfQuad quad;
  while (reader.Next(&quad)) canonical->append(CanonicalNQuad(quad));
  if (!reader.error()) return std::nullopt;
  *diagnostic = *reader.error();
  return reader.FormatError();
}

W3cOutcome RunEntry(const W3cEntry& e) {
  W3cOutcome o;
  const std::string& t = e.type;
  if (t.ends_with("PositiveSyntax")) o.kind = "positive";
  if (t.ends_with("NegativeSyntax")) o.kind = "negative";
  if (t.ends_with("PositiveC14N")) o.kind = "c14n";
  if (o.kind.empty()) {
    o.detail =
        StrCat(e.manifest, ": entry ", e.id, " has an unknown type '", t, "'");
    return o;
  }
  if (e.action.empty()) {
    o.detail = StrCat(e.id, " has no mf:action");
    return o;
  }
  const auto syntax = t.starts_with("TestNQuads")
                          ? NQuadsReader::Syntax::kNQuads
                          : NQuadsReader::Syntax::kNTriples;
  std::string canonical;
  Diagnostic diagnostic;
  const std::optional<std::string> error =
      ParseFile(e.action, syntax, &canonical, &diagnostic);
  if (!kg::testing::JudgeParse(e, error, diagnostic.pos.line, diagnostic.pos.col, &o)) return o;
  if (o.kind == "c14n") {
    std::string expected;
    if (!ReadFile(e.result, &expected)) {
      o.detail = StrCat("cannot read ", e.result);
      return o;
    }
    if (canonical != expected) {
      o.detail = StrCat("canonical form differs from ", e.result,
                        "\n  expected: ", expected, "  actual:   ", canonical);
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
  kg::testing::RegisterW3cTests(
      kg::testing::ExternalDir(KG_EXTERNAL_DIR), "w3c-rdf-tests",
      {{"w3c-rdf-tests/rdf/rdf11/rdf-n-triples/manifest.ttl", "W3cNTriples11"},
       {"w3c-rdf-tests/rdf/rdf11/rdf-n-quads/manifest.ttl", "W3cNQuads11"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-n-triples/syntax/manifest.ttl",
        "W3cNTriples12Syntax"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-n-quads/syntax/manifest.ttl",
        "W3cNQuads12Syntax"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-n-triples/c14n/manifest.ttl",
        "W3cNTriples12C14n"},
       {"w3c-rdf-tests/rdf/rdf12/rdf-n-quads/c14n/manifest.ttl",
        "W3cNQuads12C14n"}},
      "W3cRdfSummary", kg::ingest::RunEntry);
  return RUN_ALL_TESTS();
}
