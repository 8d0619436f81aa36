// WriteSparqlResults (query/sparql.h): SELECT and ASK results built by hand,
// checked byte for byte in each of the W3C results formats (JSON, XML, CSV,
// TSV): term kinds, escaping, unbound cells, the boolean forms.
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kg/term.h"
#include "query/sparql.h"

namespace kg::query {
namespace {

constexpr char kXsd[] = "http://www.w3.org/2001/XMLSchema#";

// ?s ?text ?n ?other: an entity, a tagged string with a quote, a line break
// and markup, an integer, nothing; then an IRI with a comma, a plain string
// with quotes and a comma, a blank node, a double.
SparqlResult Select() {
  SparqlResult r;
  r.vars = {"s", "text", "n", "other"};
  r.rows.push_back({Term::Entity("Iran"), Term::String("say \"hi\"\n<a & b>", "en"),
                    Term::Integer(42), std::nullopt});
  r.rows.push_back({Term::Iri("http://example.org/a,b"), Term::String("plain, \"quoted\""),
                    Term::BlankNode("d1.b0"),
                    Term::TypedLiteral("1.5e0", std::string(kXsd) + "double")});
  return r;
}

// ?claim ?date ?dir: a triple term, an xsd:date, a right-to-left string.
SparqlResult Rdf12() {
  SparqlResult r;
  r.vars = {"claim", "date", "dir"};
  r.rows.push_back(
      {Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"), Term::Entity("Shahed drone")),
       *Term::ParseDate("2024-06-01"), Term::String("salaam", "ar--rtl")});
  return r;
}

SparqlResult Ask(bool value) {
  SparqlResult r;
  r.form = SparqlResult::Form::kAsk;
  r.boolean = value;
  return r;
}

TEST(SparqlResultsTest, Json) {
  EXPECT_EQ(
      WriteSparqlResults(Select(), SparqlResultsFormat::kJson),
      "{\"head\":{\"vars\":[\"s\",\"text\",\"n\",\"other\"]},\"results\":{\"bindings\":[\n"
      "{\"s\":{\"type\":\"uri\",\"value\":\"https://w3id.org/kg/entity/Iran\"},"
      "\"text\":{\"type\":\"literal\",\"value\":\"say \\\"hi\\\"\\n<a & b>\",\"xml:lang\":\"en\"},"
      "\"n\":{\"type\":\"literal\",\"value\":\"42\",\"datatype\":"
      "\"http://www.w3.org/2001/XMLSchema#integer\"}},\n"
      "{\"s\":{\"type\":\"uri\",\"value\":\"http://example.org/a,b\"},"
      "\"text\":{\"type\":\"literal\",\"value\":\"plain, \\\"quoted\\\"\"},"
      "\"n\":{\"type\":\"bnode\",\"value\":\"d1.b0\"},"
      "\"other\":{\"type\":\"literal\",\"value\":\"1.5e0\",\"datatype\":"
      "\"http://www.w3.org/2001/XMLSchema#double\"}}\n"
      "]}}\n");
}

TEST(SparqlResultsTest, JsonTripleTermsDatesAndDirections) {
  EXPECT_EQ(
      WriteSparqlResults(Rdf12(), SparqlResultsFormat::kJson),
      "{\"head\":{\"vars\":[\"claim\",\"date\",\"dir\"]},\"results\":{\"bindings\":[\n"
      "{\"claim\":{\"type\":\"triple\",\"value\":{"
      "\"subject\":{\"type\":\"uri\",\"value\":\"https://w3id.org/kg/entity/Iran\"},"
      "\"predicate\":{\"type\":\"uri\",\"value\":\"https://w3id.org/kg/entity/supplied\"},"
      "\"object\":{\"type\":\"uri\",\"value\":\"https://w3id.org/kg/entity/Shahed%20drone\"}}},"
      "\"date\":{\"type\":\"literal\",\"value\":\"2024-06-01\",\"datatype\":"
      "\"http://www.w3.org/2001/XMLSchema#date\"},"
      "\"dir\":{\"type\":\"literal\",\"value\":\"salaam\",\"xml:lang\":\"ar\",\"its:dir\":\"rtl\"}}"
      "\n"
      "]}}\n");
}

TEST(SparqlResultsTest, JsonEmptyAndAsk) {
  SparqlResult empty;
  empty.vars = {"x"};
  EXPECT_EQ(WriteSparqlResults(empty, SparqlResultsFormat::kJson),
            "{\"head\":{\"vars\":[\"x\"]},\"results\":{\"bindings\":[]}}\n");
  EXPECT_EQ(WriteSparqlResults(Ask(true), SparqlResultsFormat::kJson),
            "{\"head\":{},\"boolean\":true}\n");
  EXPECT_EQ(WriteSparqlResults(Ask(false), SparqlResultsFormat::kJson),
            "{\"head\":{},\"boolean\":false}\n");
}

TEST(SparqlResultsTest, Xml) {
  EXPECT_EQ(WriteSparqlResults(Select(), SparqlResultsFormat::kXml),
            "<?xml version=\"1.0\"?>\n"
            "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\" "
            "xmlns:its=\"http://www.w3.org/2005/11/its\">\n"
            "  <head>\n"
            "    <variable name=\"s\"/>\n"
            "    <variable name=\"text\"/>\n"
            "    <variable name=\"n\"/>\n"
            "    <variable name=\"other\"/>\n"
            "  </head>\n"
            "  <results>\n"
            "    <result>\n"
            "      <binding name=\"s\"><uri>https://w3id.org/kg/entity/Iran</uri></binding>\n"
            "      <binding name=\"text\"><literal xml:lang=\"en\">say \"hi\"\n"
            "&lt;a &amp; b&gt;</literal></binding>\n"
            "      <binding name=\"n\"><literal "
            "datatype=\"http://www.w3.org/2001/XMLSchema#integer\">42</literal></binding>\n"
            "    </result>\n"
            "    <result>\n"
            "      <binding name=\"s\"><uri>http://example.org/a,b</uri></binding>\n"
            "      <binding name=\"text\"><literal>plain, \"quoted\"</literal></binding>\n"
            "      <binding name=\"n\"><bnode>d1.b0</bnode></binding>\n"
            "      <binding name=\"other\"><literal "
            "datatype=\"http://www.w3.org/2001/XMLSchema#double\">1.5e0</literal></binding>\n"
            "    </result>\n"
            "  </results>\n"
            "</sparql>\n");
}

TEST(SparqlResultsTest, XmlTripleTermsAndDirections) {
  EXPECT_EQ(WriteSparqlResults(Rdf12(), SparqlResultsFormat::kXml),
            "<?xml version=\"1.0\"?>\n"
            "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\" "
            "xmlns:its=\"http://www.w3.org/2005/11/its\">\n"
            "  <head>\n"
            "    <variable name=\"claim\"/>\n"
            "    <variable name=\"date\"/>\n"
            "    <variable name=\"dir\"/>\n"
            "  </head>\n"
            "  <results>\n"
            "    <result>\n"
            "      <binding name=\"claim\"><triple>"
            "<subject><uri>https://w3id.org/kg/entity/Iran</uri></subject>"
            "<predicate><uri>https://w3id.org/kg/entity/supplied</uri></predicate>"
            "<object><uri>https://w3id.org/kg/entity/Shahed%20drone</uri></object>"
            "</triple></binding>\n"
            "      <binding name=\"date\"><literal "
            "datatype=\"http://www.w3.org/2001/XMLSchema#date\">2024-06-01</literal></binding>\n"
            "      <binding name=\"dir\"><literal xml:lang=\"ar\" "
            "its:dir=\"rtl\">salaam</literal></binding>\n"
            "    </result>\n"
            "  </results>\n"
            "</sparql>\n");
}

TEST(SparqlResultsTest, XmlAskAndControlCharacters) {
  EXPECT_EQ(WriteSparqlResults(Ask(true), SparqlResultsFormat::kXml),
            "<?xml version=\"1.0\"?>\n"
            "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
            "  <head/>\n"
            "  <boolean>true</boolean>\n"
            "</sparql>\n");
  SparqlResult r;
  r.vars = {"x"};
  r.rows.push_back(
      {Term::String("a\rb\x01"
                    "c")});
  const std::string xml = WriteSparqlResults(r, SparqlResultsFormat::kXml);
  // A carriage return survives XML's end-of-line handling only as a
  // reference; other C0 controls cannot be written in XML 1.0 at all.
  EXPECT_NE(xml.find("<literal>a&#13;b\xEF\xBF\xBD"
                     "c</literal>"),
            std::string::npos)
      << xml;
}

TEST(SparqlResultsTest, Csv) {
  EXPECT_EQ(WriteSparqlResults(Select(), SparqlResultsFormat::kCsv),
            "s,text,n,other\r\n"
            "https://w3id.org/kg/entity/Iran,\"say \"\"hi\"\"\n<a & b>\",42,\r\n"
            "\"http://example.org/a,b\",\"plain, \"\"quoted\"\"\",_:d1.b0,1.5e0\r\n");
  EXPECT_EQ(WriteSparqlResults(Rdf12(), SparqlResultsFormat::kCsv),
            "claim,date,dir\r\n"
            "<<( <https://w3id.org/kg/entity/Iran> <https://w3id.org/kg/entity/supplied> "
            "<https://w3id.org/kg/entity/Shahed%20drone> )>>,2024-06-01,salaam\r\n");
  EXPECT_EQ(WriteSparqlResults(Ask(false), SparqlResultsFormat::kCsv), "boolean\r\nfalse\r\n");
}

TEST(SparqlResultsTest, Tsv) {
  EXPECT_EQ(WriteSparqlResults(Select(), SparqlResultsFormat::kTsv),
            "?s\t?text\t?n\t?other\n"
            "<https://w3id.org/kg/entity/Iran>\t\"say \\\"hi\\\"\\n<a & b>\"@en\t42\t\n"
            "<http://example.org/a,b>\t\"plain, \\\"quoted\\\"\"\t_:d1.b0\t"
            "\"1.5e0\"^^<http://www.w3.org/2001/XMLSchema#double>\n");
  EXPECT_EQ(WriteSparqlResults(Rdf12(), SparqlResultsFormat::kTsv),
            "?claim\t?date\t?dir\n"
            "<<( <https://w3id.org/kg/entity/Iran> <https://w3id.org/kg/entity/supplied> "
            "<https://w3id.org/kg/entity/Shahed%20drone> )>>\t"
            "\"2024-06-01\"^^<http://www.w3.org/2001/XMLSchema#date>\t\"salaam\"@ar--rtl\n");
  EXPECT_EQ(WriteSparqlResults(Ask(true), SparqlResultsFormat::kTsv), "?boolean\ntrue\n");
}

TEST(SparqlResultsTest, TsvNumbersBareOnlyInTheirTurtleForm) {
  SparqlResult r;
  r.vars = {"x"};
  for (const char* decimal : {"1.5", "-0.25", "0.50"}) r.rows.push_back({*Term::Decimal(decimal)});
  r.rows.push_back({Term::TypedLiteral("01", std::string(kXsd) + "integer")});
  r.rows.push_back({Term::TypedLiteral(" 1", std::string(kXsd) + "integer")});
  r.rows.push_back({Term::TypedLiteral("true", std::string(kXsd) + "boolean")});
  r.rows.push_back({Term::TypedLiteral("1", std::string(kXsd) + "boolean")});
  r.rows.push_back({Term::TypedLiteral("5.", std::string(kXsd) + "decimal")});
  r.rows.push_back({Term::Iri("http://x/a b>")});
  EXPECT_EQ(WriteSparqlResults(r, SparqlResultsFormat::kTsv),
            "?x\n1.5\n-0.25\n0.5\n01\n\" 1\"^^<http://www.w3.org/2001/XMLSchema#integer>\ntrue\n"
            "\"1\"^^<http://www.w3.org/2001/XMLSchema#boolean>\n"
            "\"5.\"^^<http://www.w3.org/2001/XMLSchema#decimal>\n"
            "<http://x/a\\u0020b\\u003E>\n");
}

}  // namespace
}  // namespace kg::query
