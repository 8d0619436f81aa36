// The SPARQL Query Results XML Format (.srx) read into a SparqlResultTable:
// <head> variables, <results> of <result> / <binding> with <uri>, <bnode>,
// <literal> (xml:lang, datatype; its=... direction ignored) and RDF 1.2
// <triple>, or a <boolean>. Test-only code over mini_xml.h.
#ifndef KG_TESTS_SUPPORT_SRX_H_
#define KG_TESTS_SUPPORT_SRX_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tests/support/sparql_results.h"

namespace kg::testing {

absl::StatusOr<SparqlResultTable> ParseSrx(std::string_view text);
absl::StatusOr<SparqlResultTable> ReadSrx(const std::string& path);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_SRX_H_
