// Fuzzes the query language: the parser on arbitrary text, and for scripts
// that parse, the planner and executor via Session::Run against a store
// holding the sample corpus (examples/corpus), loaded once per process.
// Statements run with at most 1,000 rows and a 1 s timeout, so row caps and
// deadlines are expected outcomes, not findings.
//
// Invariants beyond "no crash": Parse and CheckSyntax agree; Parse fails
// only with InvalidArgument; Run never fails with Internal, DataLoss or
// Unknown (the corpus store is sound, so those mean a bug).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "fuzz/corpus_store.h"
#include "fuzz/fuzz_support.h"
#include "kg/store.h"
#include "query/parser.h"
#include "query/query.h"

namespace {

kg::Store* store = nullptr;
kg::query::Session* session = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  store = kg::fuzz::OpenCorpusStore();
  session = new kg::query::Session(store);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto statements = kg::query::Parse(text);
  const absl::Status syntax = kg::query::CheckSyntax(text);
  if (statements.ok() != syntax.ok()) {
    kg::fuzz::Violation("Parse and CheckSyntax disagree",
                        statements.status().ToString() + " vs " + syntax.ToString(), text);
  }
  if (!statements.ok()) {
    if (statements.status().code() != absl::StatusCode::kInvalidArgument) {
      kg::fuzz::Violation("Parse failed with a code other than InvalidArgument",
                          statements.status().ToString(), text);
    }
    return 0;
  }
  kg::query::QueryOptions options;
  options.max_rows = 1000;
  options.timeout = absl::Seconds(1);
  auto results = session->Run(text, options);
  if (!results.ok()) {
    switch (results.status().code()) {
      case absl::StatusCode::kInternal:
      case absl::StatusCode::kDataLoss:
      case absl::StatusCode::kUnknown:
        kg::fuzz::Violation("Run failed with an internal error", results.status().ToString(), text);
        break;
      default:
        break;
    }
  }
  return 0;
}
