// ChooseFormat (server/negotiation.h): Accept headers as clients send them,
// q-values, wildcards, the format/output parameter, and 406 (nullopt).
#include "server/negotiation.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace kg::server {
namespace {

constexpr ResultKind kBindings = ResultKind::kBindings;
constexpr ResultKind kGraph = ResultKind::kGraph;

struct Case {
  const char* accept;
  const char* format;  // the format / output parameter
  ResultKind kind;
  std::optional<ResultFormat> expected;
};

TEST(ServerNegotiationTest, ChoosesByAcceptAndParameter) {
  const Case cases[] = {
      // No Accept, or anything: JSON results, Turtle graphs.
      {"", "", kBindings, ResultFormat::kJson},
      {"", "", kGraph, ResultFormat::kTurtle},
      {"*/*", "", kBindings, ResultFormat::kJson},
      {"*/*", "", kGraph, ResultFormat::kTurtle},
      // Each type by name, in any case, with parameters.
      {"application/sparql-results+xml", "", kBindings, ResultFormat::kXml},
      {"Application/SPARQL-Results+JSON; charset=utf-8", "", kBindings, ResultFormat::kJson},
      {"application/xml", "", kBindings, ResultFormat::kXml},
      {"application/json", "", kBindings, ResultFormat::kJson},
      {"text/csv", "", kBindings, ResultFormat::kCsv},
      {"text/tab-separated-values", "", kBindings, ResultFormat::kTsv},
      {"application/n-triples", "", kGraph, ResultFormat::kNTriples},
      {"text/plain", "", kGraph, ResultFormat::kNTriples},
      {"text/turtle", "", kGraph, ResultFormat::kTurtle},
      // q-values: the highest wins, q=0 excludes.
      {"application/sparql-results+json;q=0.5, text/csv", "", kBindings, ResultFormat::kCsv},
      {"text/csv;q=0.2, text/tab-separated-values;q=0.9", "", kBindings, ResultFormat::kTsv},
      {"*/*;q=0.1, application/sparql-results+xml", "", kBindings, ResultFormat::kXml},
      {"*/*, application/sparql-results+json;q=0", "", kBindings, ResultFormat::kXml},
      // Equal q: the more specific range, then the one listed first.
      {"*/*, text/csv", "", kBindings, ResultFormat::kCsv},
      {"application/sparql-results+xml, application/sparql-results+json", "", kBindings,
       ResultFormat::kXml},
      {"text/*", "", kBindings, ResultFormat::kCsv},
      {"application/*", "", kGraph, ResultFormat::kNTriples},
      // What clients send: rdflib / SPARQLWrapper (XML first), browsers.
      {"application/sparql-results+xml, application/xml;q=0.9", "", kBindings, ResultFormat::kXml},
      {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", kBindings,
       ResultFormat::kXml},
      {"text/turtle, application/n-triples;q=0.9", "", kGraph, ResultFormat::kTurtle},
      // Nothing acceptable.
      {"image/png", "", kBindings, std::nullopt},
      {"text/csv", "", kGraph, std::nullopt},
      {"application/rdf+xml", "", kGraph, std::nullopt},
      {"text/turtle", "", kBindings, std::nullopt},
      // The format / output parameter wins when it fits the result...
      {"application/sparql-results+xml", "json", kBindings, ResultFormat::kJson},
      {"", "csv", kBindings, ResultFormat::kCsv},
      {"", "TSV", kBindings, ResultFormat::kTsv},
      {"", "text/csv", kBindings, ResultFormat::kCsv},
      {"", "nt", kGraph, ResultFormat::kNTriples},
      {"", "turtle", kGraph, ResultFormat::kTurtle},
      // ...and is ignored when it does not (Accept decides).
      {"", "json", kGraph, ResultFormat::kTurtle},
      {"text/csv", "rdf+xml", kBindings, ResultFormat::kCsv},
      {"text/csv", "nosuch", kGraph, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ChooseFormat(c.accept, c.format, c.kind), c.expected)
        << "Accept: " << c.accept << "; format=" << c.format
        << (c.kind == kGraph ? " (graph)" : " (bindings)");
  }
}

TEST(ServerNegotiationTest, ContentTypes) {
  EXPECT_EQ(ContentType(ResultFormat::kJson), "application/sparql-results+json; charset=utf-8");
  EXPECT_EQ(ContentType(ResultFormat::kNTriples), "application/n-triples; charset=utf-8");
  EXPECT_EQ(OfferedTypes(kGraph).front(), "text/turtle");
}

}  // namespace
}  // namespace kg::server
