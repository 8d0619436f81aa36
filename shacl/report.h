// Writing a validation report: as RDF (a standard sh:ValidationReport, in
// Turtle) and as JSON for people.
#ifndef KG_SHACL_REPORT_H_
#define KG_SHACL_REPORT_H_

#include <ostream>
#include <vector>

#include "kg/rdf.h"
#include "shacl/validator.h"

namespace kg::shacl {

// The report's triples: one sh:ValidationReport node with sh:conforms and
// one sh:result per result (sh:focusNode, sh:resultPath as SHACL path
// syntax, sh:value, sh:sourceShape, sh:sourceConstraintComponent,
// sh:resultSeverity, sh:resultMessage). Report nodes are blank nodes
// labelled "shacl-report", "shacl-rN", "shacl-pN".
std::vector<RdfTriple> ReportTriples(const Report& report);

// ReportTriples as Turtle, with prefixes sh, rdf, rdfs, xsd and kg's.
void WriteReportTurtle(const Report& report, std::ostream& out);

// {"conforms":bool,"results":[{"focusNode":..,"resultPath":..,"value":..,
// "sourceShape":..,"sourceConstraintComponent":..,"resultSeverity":..,
// "resultMessage":[..]}]}: nodes in Turtle syntax (prefixed names where the
// Turtle report declares them), the path in SPARQL property path syntax;
// members without a value are left out. One result per line.
void WriteReportJson(const Report& report, std::ostream& out);

}  // namespace kg::shacl

#endif  // KG_SHACL_REPORT_H_
