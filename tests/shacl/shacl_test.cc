// Unit tests of the SHACL Core validator over small shapes and data graphs
// written here: constraints, paths, targets, shapes-graph errors, value
// comparison and the report's Turtle and JSON forms.
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/turtle.h"
#include "kg/str_cat.h"
#include "shacl/report.h"
#include "shacl/shapes.h"
#include "shacl/validator.h"
#include "shacl/values.h"

namespace kg::shacl {
namespace {

constexpr std::string_view kPrefixes =
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix ex: <http://example.org/> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";

std::string Ex(std::string_view local) { return StrCat("http://example.org/", local); }

// A compact view of one result: "focus value component" with ex: IRIs as
// local names, literals as their lexical form, "-" for no value.
std::string Brief(const ValidationResult& r, const TermPool& pool) {
  auto show = [&](NodeId n) {
    const RdfTerm& t = pool.term(n);
    if (t.is_iri() && t.value.starts_with(Ex(""))) return t.value.substr(Ex("").size());
    return t.is_literal() ? t.value : ingest::CanonicalTerm(t);
  };
  std::string c = ComponentIri(r.component);
  c = c.substr(c.find('#') + 1);
  c = c.substr(0, c.size() - std::string_view("ConstraintComponent").size());
  return StrCat(show(r.focus), " ", r.value ? show(*r.value) : "-", " ", c);
}

struct Outcome {
  absl::Status status;  // of reading and parsing the shapes
  Report report;
  std::vector<std::string> results;  // Brief of each, sorted
};

Outcome Check(std::string_view shapes_ttl, std::string_view data_ttl) {
  Outcome run;
  auto pool = std::make_shared<TermPool>();
  Graph shapes_graph(pool), data(pool);
  run.status = ReadTurtleText(StrCat(kPrefixes, shapes_ttl), "shapes.ttl", "", "s_", &shapes_graph);
  if (!run.status.ok()) return run;
  shapes_graph.Finish();
  absl::StatusOr<Shapes> shapes = ParseShapes(shapes_graph, "shapes.ttl");
  if (!shapes.ok()) {
    run.status = shapes.status();
    return run;
  }
  absl::Status s = ReadTurtleText(StrCat(kPrefixes, data_ttl), "data.ttl", "", "d_", &data);
  EXPECT_TRUE(s.ok()) << s;
  data.Finish();
  run.report = Validate(data, *shapes);
  for (const ValidationResult& r : run.report.results) run.results.push_back(Brief(r, *pool));
  std::sort(run.results.begin(), run.results.end());
  return run;
}

using Results = std::vector<std::string>;

TEST(ShaclValidate, PropertyShapeCountsAndDatatype) {
  Outcome r = Check(R"(
    ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
      sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
      sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ] .)",
                R"(
    ex:Student rdfs:subClassOf ex:Person .
    ex:ann a ex:Person ; ex:name "Ann" ; ex:age 30 .
    ex:bob a ex:Student ; ex:age -3 .
    ex:cy a ex:Person ; ex:name "Cy", "Cyrus" ; ex:age "x"^^xsd:integer .)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_FALSE(r.report.conforms());
  EXPECT_EQ(r.results, (Results{"bob - MinCount", "bob -3 MinInclusive", "cy - MaxCount",
                                "cy x Datatype", "cy x MinInclusive"}));
  for (const ValidationResult& res : r.report.results) {
    ASSERT_TRUE(res.path.has_value());
    EXPECT_EQ(res.severity, r.report.pool->Iri(StrCat(kShNs, "Violation")));
  }
}

TEST(ShaclValidate, ConformingDataHasNoResults) {
  Outcome r = Check("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
                "ex:a ex:p ex:b .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_TRUE(r.report.conforms());
  EXPECT_TRUE(r.results.empty());
}

TEST(ShaclValidate, SeverityMessageAndDeactivated) {
  Outcome r = Check(R"(
    ex:S sh:targetNode ex:a ; sh:severity sh:Warning ; sh:message "needs ex:p"@en ;
      sh:property [ sh:path ex:p ; sh:minCount 1 ] .
    ex:T sh:targetNode ex:a ; sh:deactivated true ; sh:class ex:Nothing .
    ex:U sh:targetNode ex:a ; sh:node ex:T .)",
                "ex:a ex:q 1 .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // The blank property shape has its own (default) severity; ex:S none of
  // its own constraints fail. ex:T is deactivated, so ex:U's sh:node holds.
  ASSERT_EQ(r.results, (Results{"a - MinCount"}));
  Outcome w = Check(R"(
    ex:S sh:targetNode ex:a ; sh:path ex:p ; sh:minCount 1 ;
      sh:severity sh:Warning ; sh:message "needs ex:p"@en .)",
                "ex:a ex:q 1 .");
  ASSERT_EQ(w.report.results.size(), 1u);
  const TermPool& pool = *w.report.pool;
  EXPECT_EQ(pool.term(w.report.results[0].severity).value, StrCat(kShNs, "Warning"));
  ASSERT_EQ(w.report.results[0].messages.size(), 1u);
  EXPECT_EQ(pool.term(w.report.results[0].messages[0]).value, "needs ex:p");
  EXPECT_FALSE(w.report.conforms());  // a warning is a result too
}

// The value nodes each path reaches from ex:a, seen through `sh:in ()`
// (which every value node violates, naming it).
TEST(ShaclValidate, PropertyPaths) {
  const std::string data = R"(
    ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:q ex:d . ex:z ex:p ex:a . ex:a ex:r ex:e .)";
  struct Case {
    std::string path;
    Results values;
  };
  const Case cases[] = {
      {"ex:p", {"b"}},
      {"[ sh:inversePath ex:p ]", {"z"}},
      {"( ex:p ex:p ex:q )", {"d"}},
      {"[ sh:alternativePath ( ex:p ex:r ) ]", {"b", "e"}},
      {"[ sh:zeroOrMorePath ex:p ]", {"a", "b", "c"}},
      {"[ sh:oneOrMorePath ex:p ]", {"b", "c"}},
      {"[ sh:zeroOrOnePath ex:p ]", {"a", "b"}},
      {"[ sh:inversePath ( ex:p ex:p ) ]", {}},
      {"( [ sh:oneOrMorePath ex:p ] ex:q )", {"d"}},
      {"[ sh:inversePath [ sh:oneOrMorePath ex:p ] ]", {"z"}},
  };
  for (const Case& c : cases) {
    Outcome r = Check(StrCat("ex:S sh:targetNode ex:a ; sh:path ", c.path, " ; sh:in () ."), data);
    ASSERT_TRUE(r.status.ok()) << c.path << ": " << r.status;
    Results want;
    for (const std::string& v : c.values) want.push_back(StrCat("a ", v, " In"));
    EXPECT_EQ(r.results, want) << c.path;
  }
}

TEST(ShaclValidate, Targets) {
  Outcome r = Check(R"(
    ex:S sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:q ; sh:nodeKind sh:Literal .
    ex:C a rdfs:Class, sh:NodeShape ; sh:nodeKind sh:BlankNode .)",
                "ex:a ex:p 1 . ex:b ex:q ex:c . ex:d a ex:C .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"a a NodeKind", "c c NodeKind", "d d NodeKind"}));
}

TEST(ShaclValidate, StringConstraints) {
  Outcome r = Check(R"(
    ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ;
                                            sh:minLength 3 ; sh:maxLength 4 ] ;
      sh:property [ sh:path ex:label ; sh:languageIn ( "en" "fr" ) ; sh:uniqueLang true ] .)",
                R"(ex:a ex:code "ABc", "xabc", "abcde" ;
                   ex:label "a"@en, "b"@EN, "e"@en-GB, "c"@de, "d" .)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"a - UniqueLang", "a abcde MaxLength", "a c LanguageIn",
                                "a d LanguageIn", "a xabc Pattern"}));
}

TEST(ShaclValidate, PropertyPairs) {
  Outcome r = Check(R"(
    ex:S sh:targetNode ex:a ;
      sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ;
      sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ] .)",
                R"(ex:a ex:start "2024-05-01"^^xsd:date, "2024-07-01"^^xsd:date ;
                        ex:end "2024-06-01"^^xsd:date ;
                        ex:p 1, 2 ; ex:q 2, 3 ; ex:r 2 .)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"a 1 Equals", "a 2 Disjoint", "a 2024-07-01 LessThan", "a 3 Equals"}));
}

TEST(ShaclValidate, LogicalAndShapeReferences) {
  Outcome r = Check(R"(
    ex:HasP sh:property [ sh:path ex:p ; sh:minCount 1 ] .
    ex:HasQ sh:property [ sh:path ex:q ; sh:minCount 1 ] .
    ex:S sh:targetNode ex:none, ex:p, ex:q, ex:pq ;
      sh:or ( ex:HasP ex:HasQ ) ; sh:xone ( ex:HasP ex:HasQ ) ; sh:not ex:HasQ .
    ex:T sh:targetNode ex:pq ; sh:and ( ex:HasP ex:HasQ ) ; sh:node ex:HasP .)",
                "ex:p ex:p 1 . ex:q ex:q 1 . ex:pq ex:p 1 ; ex:q 1 .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"none none Or", "none none Xone", "pq pq Not", "pq pq Xone",
                                "q q Not"}));
}

TEST(ShaclValidate, QualifiedValueShapesDisjoint) {
  Outcome r = Check(R"(
    ex:Hand sh:targetNode ex:h ;
      sh:property [ sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Thumb ] ;
                    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ;
                    sh:qualifiedValueShapesDisjoint true ] ;
      sh:property [ sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Finger ] ;
                    sh:qualifiedMinCount 4 ; sh:qualifiedValueShapesDisjoint true ] .)",
                R"(ex:h ex:digit ex:t, ex:f1, ex:f2, ex:f3, ex:both .
                   ex:t a ex:Thumb . ex:f1 a ex:Finger . ex:f2 a ex:Finger . ex:f3 a ex:Finger .
                   ex:both a ex:Finger, ex:Thumb .)");
  ASSERT_TRUE(r.status.ok()) << r.status;
  // ex:both counts for neither: it conforms to its sibling shape too.
  EXPECT_EQ(r.results, (Results{"h - QualifiedMinCount"}));
}

TEST(ShaclValidate, ClosedReportsEachExtraProperty) {
  Outcome r = Check(R"(
    ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
      sh:property [ sh:path ex:p ] .)",
                "ex:a a ex:C ; ex:p 1 ; ex:x 2 ; ex:y 3 .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"a 2 Closed", "a 3 Closed"}));
  for (const ValidationResult& res : r.report.results) {
    ASSERT_TRUE(res.path.has_value());
    EXPECT_EQ(res.path->kind, Path::Kind::kPredicate);
  }
}

TEST(ShaclValidate, RecursiveShapesTerminate) {
  Outcome r = Check(R"(
    ex:Node sh:targetNode ex:a ; sh:property [ sh:path ex:next ; sh:node ex:Node ] ;
      sh:property [ sh:path ex:v ; sh:minCount 1 ] .)",
                "ex:a ex:next ex:b ; ex:v 1 . ex:b ex:next ex:a .");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.results, (Results{"a b Node"}));
}

TEST(ShaclShapes, SyntaxErrorIsPositioned) {
  Outcome r = Check("ex:S sh:targetNode ex:a ;\n  sh:minCount 1 1 .", "");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  // The five prefix lines come first.
  EXPECT_NE(r.status.message().find("shapes.ttl:7:"), std::string_view::npos) << r.status;
}

TEST(ShaclShapes, IllFormedShapesNameTheShape) {
  struct Case {
    std::string shapes;
    std::string message;
  };
  const Case cases[] = {
      {"ex:S sh:targetNode ex:a ; sh:path ex:p ; sh:minCount \"many\" .",
       "shape <http://example.org/S>: sh:minCount needs a non-negative integer"},
      {"ex:S sh:targetNode ex:a ; sh:pattern \"(\" .", "is not a valid regular expression"},
      {"ex:S sh:targetNode ex:a ; sh:pattern \"a\" ; sh:flags \"z\" .", "unknown flag 'z'"},
      {"ex:S sh:targetNode ex:a ; sh:path _:p . _:p sh:zeroOrMorePath _:p .", "refers to itself"},
      {"ex:S sh:targetNode ex:a ; sh:path [ sh:foo ex:p ] .", "is not a property path"},
      {"ex:S sh:targetNode ex:a ; sh:in ( ex:x .", ""},  // a Turtle error
      {"ex:S sh:targetNode ex:a ; sh:nodeKind ex:Thing .", "is not a SHACL node kind"},
      {"ex:S sh:targetNode ex:a ; sh:in [ rdf:first ex:x ] .", "not a well-formed RDF list"},
  };
  for (const Case& c : cases) {
    Outcome r = Check(c.shapes, "");
    ASSERT_FALSE(r.status.ok()) << c.shapes;
    EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument) << c.shapes;
    EXPECT_NE(r.status.message().find(c.message), std::string_view::npos) << r.status;
  }
}

TEST(ShaclShapes, SparqlConstraintsAreUnsupported) {
  Outcome r = Check("ex:S sh:targetNode ex:a ; sh:sparql [ sh:select \"SELECT $this {}\" ] .", "");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kUnimplemented) << r.status;
  EXPECT_NE(r.status.message().find("sh:sparql"), std::string_view::npos);
}

TEST(ShaclValues, WellFormed) {
  const std::string xsd = "http://www.w3.org/2001/XMLSchema#";
  struct Case {
    std::string type, lexical;
    bool ok;
  };
  const Case cases[] = {
      {"byte", "127", true},      {"byte", "128", false},       {"byte", "c", false},
      {"integer", "+007", true},  {"integer", "1.0", false},    {"unsignedLong", "-1", false},
      {"decimal", ".5", true},    {"decimal", "5.", true},      {"decimal", "1e3", false},
      {"double", "1e3", true},    {"double", "-INF", true},     {"double", "e3", false},
      {"boolean", "1", true},     {"boolean", "yes", false},    {"date", "2024-02-29", true},
      {"date", "2023-02-29", false}, {"dateTime", "2024-01-01T24:00:00Z", true},
      {"dateTime", "2024-01-01T10:00", false}, {"dateTimeStamp", "2024-01-01T10:00:00", false},
      {"gYear", "-0044", true},   {"time", "23:59:60", false},  {"string", "anything", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsWellFormed(xsd + c.type, c.lexical), c.ok) << c.type << " " << c.lexical;
  }
}

TEST(ShaclValues, Compare) {
  const std::string xsd = "http://www.w3.org/2001/XMLSchema#";
  auto lit = [&](std::string v, std::string type) { return RdfTerm::Literal(v, xsd + type); };
  EXPECT_EQ(CompareValues(lit("2", "integer"), lit("10", "decimal")), -1);
  EXPECT_EQ(CompareValues(lit("1.0", "decimal"), lit("1", "integer")), 0);
  EXPECT_EQ(CompareValues(lit("b", "string"), lit("a", "string")), 1);
  EXPECT_EQ(CompareValues(lit("1", "integer"), lit("a", "string")), std::nullopt);
  EXPECT_EQ(CompareValues(lit("NaN", "double"), lit("1", "integer")), std::nullopt);
  EXPECT_EQ(CompareValues(lit("2002-10-10T12:00:00-05:00", "dateTime"),
                          lit("2002-10-10T17:00:00Z", "dateTime")), 0);
  // Without a time zone: within 14 hours of one with a zone, no order.
  EXPECT_EQ(CompareValues(lit("2002-10-10T12:00:00", "dateTime"),
                          lit("2002-10-10T12:00:00Z", "dateTime")), std::nullopt);
  EXPECT_EQ(CompareValues(lit("2002-10-12T12:00:00", "dateTime"),
                          lit("2002-10-10T12:00:00Z", "dateTime")), 1);
  EXPECT_EQ(CompareValues(lit("2024-01-01", "date"), lit("2024-01-01T00:00:00", "dateTime")),
            std::nullopt);
  EXPECT_EQ(CompareValues(RdfTerm::Iri("http://x"), lit("1", "integer")), std::nullopt);
}

TEST(ShaclReport, TurtleReadsBackAsAValidationReport) {
  Outcome r = Check("ex:S sh:targetNode ex:a ; sh:path [ sh:inversePath ex:p ] ; sh:maxCount 0 ; "
                "sh:message \"none\" .",
                "ex:b ex:p ex:a .");
  ASSERT_EQ(r.report.results.size(), 1u);
  std::ostringstream out;
  WriteReportTurtle(r.report, out);
  std::istringstream in(out.str());
  ingest::TurtleReader reader("report.ttl", in, false);
  std::vector<std::string> triples;
  RdfQuad q;
  while (reader.Next(&q)) triples.push_back(ingest::CanonicalNQuad(q));
  ASSERT_FALSE(reader.error()) << reader.FormatError() << "\n" << out.str();
  auto has = [&](std::string_view part) {
    return std::any_of(triples.begin(), triples.end(),
                       [&](const std::string& t) { return t.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(has("<http://www.w3.org/ns/shacl#conforms> \"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"));
  EXPECT_TRUE(has("<http://www.w3.org/ns/shacl#focusNode> <http://example.org/a>"));
  EXPECT_TRUE(has("<http://www.w3.org/ns/shacl#inversePath> <http://example.org/p>"));
  EXPECT_TRUE(has("<http://www.w3.org/ns/shacl#sourceConstraintComponent> "
                  "<http://www.w3.org/ns/shacl#MaxCountConstraintComponent>"));
  EXPECT_TRUE(has("<http://www.w3.org/ns/shacl#resultMessage> \"none\""));
  EXPECT_FALSE(has("<http://www.w3.org/ns/shacl#value>"));  // sh:maxCount names no value
}

TEST(ShaclReport, Json) {
  Outcome r = Check("ex:S sh:targetNode ex:a ; sh:path ( ex:p [ sh:zeroOrMorePath ex:q ] ) ; "
                "sh:datatype xsd:integer .",
                "ex:a ex:p \"x\" .");
  std::ostringstream out;
  WriteReportJson(r.report, out);
  EXPECT_EQ(out.str(),
            "{\"conforms\":false,\"results\":[\n"
            "{\"focusNode\":\"<http://example.org/a>\",\"resultPath\":"
            "\"(<http://example.org/p>/<http://example.org/q>*)\",\"value\":\"\\\"x\\\"\","
            "\"sourceShape\":\"<http://example.org/S>\","
            "\"sourceConstraintComponent\":\"sh:DatatypeConstraintComponent\","
            "\"resultSeverity\":\"sh:Violation\"}\n]}\n");
  std::ostringstream empty;
  WriteReportJson(Report{r.report.pool, {}}, empty);
  EXPECT_EQ(empty.str(), "{\"conforms\":true,\"results\":[]}\n");
}

}  // namespace
}  // namespace kg::shacl
