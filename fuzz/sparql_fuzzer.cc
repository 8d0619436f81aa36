// Fuzzes SPARQL: the parser on arbitrary text, and for queries that parse,
// the lowering onto the planner, the executor and the expression evaluator
// via RunSparql against a store holding the sample corpus
// (examples/corpus), loaded once per process. Queries run with at most 1,000
// rows and a 1 s timeout, so row caps and deadlines are expected outcomes.
//
// Invariants beyond "no crash": CheckSparqlSyntax and RunSparql agree on
// what parses (a query that parses never fails with InvalidArgument for its
// syntax); syntax errors carry a line:column position; RunSparql never fails
// with Internal, DataLoss or Unknown (the corpus store is sound); every
// SELECT row has one cell per variable.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "fuzz/corpus_store.h"
#include "fuzz/fuzz_support.h"
#include "kg/store.h"
#include "query/query.h"
#include "query/sparql.h"

namespace {

kg::Store* store = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  store = kg::fuzz::OpenCorpusStore();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  kg::query::SparqlOptions sparql;
  sparql.base = "http://example.org/base/";
  const absl::Status syntax = kg::query::CheckSparqlSyntax(text, sparql);
  if (!syntax.ok()) {
    if (syntax.code() != absl::StatusCode::kInvalidArgument) {
      kg::fuzz::Violation("a syntax check failed with a code other than InvalidArgument",
                          syntax.ToString(), text);
    }
    if (!kg::query::PositionOf(std::string(syntax.message()))) {
      kg::fuzz::Violation("a syntax error without a position", syntax.ToString(), text);
    }
    return 0;
  }
  kg::query::QueryOptions options;
  options.max_rows = 1000;
  options.timeout = absl::Seconds(1);
  auto result = kg::query::RunSparql(store, text, options, sparql);
  if (!result.ok()) {
    switch (result.status().code()) {
      case absl::StatusCode::kInternal:
      case absl::StatusCode::kDataLoss:
      case absl::StatusCode::kUnknown:
        kg::fuzz::Violation("RunSparql failed with an internal error", result.status().ToString(),
                            text);
        break;
      default:
        break;
    }
    return 0;
  }
  for (const auto& row : result->rows) {
    if (row.size() != result->vars.size()) {
      kg::fuzz::Violation("a row without one cell per variable", "", text);
    }
  }
  for (const auto format : {kg::query::SparqlResultsFormat::kJson, kg::query::SparqlResultsFormat::kXml,
                            kg::query::SparqlResultsFormat::kCsv, kg::query::SparqlResultsFormat::kTsv}) {
    if (result->form != kg::query::SparqlResult::Form::kGraph) {
      (void)kg::query::WriteSparqlResults(*result, format);
    }
  }
  return 0;
}
