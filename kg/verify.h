// Verification of evidence against its source text: every stored quote is
// re-read from the stored document text at its offsets, and every text is
// re-hashed against its recorded SHA-256. What `kg verify` runs. (Store::
// Check covers index consistency; this covers the citations themselves.)
#ifndef KG_VERIFY_H_
#define KG_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"

namespace kg {

struct VerifyProblem {
  std::string document_id;
  std::string claim;   // the claim's display form; empty for document-level problems
  uint64_t start = 0;  // the evidence's span, when it has one
  uint64_t end = 0;
  std::string message;
};

struct VerifyReport {
  uint64_t documents = 0;
  uint64_t evidence = 0;       // pieces of evidence checked
  uint64_t quotes_checked = 0; // of those, with a span to check against
  std::vector<VerifyProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Checks every document in `snap`. Problems are reported, not returned as
// errors; the status is non-OK only when the store cannot be read.
absl::StatusOr<VerifyReport> VerifyEvidence(const Snapshot& snap);

}  // namespace kg

#endif  // KG_VERIFY_H_
