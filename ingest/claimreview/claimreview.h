// Importing schema.org ClaimReview fact-checks (docs/claimreview.md).
//
// Input: JSON-LD (one object, an array, or an object with "@graph"), HTML
// pages with <script type="application/ld+json"> blocks (how fact-checks
// are published), or JSON lines (a feed: one JSON value per line). Every
// ClaimReview object becomes one document -- the review, identified by its
// url -- holding one verdict (kg/verdict.h) on the claim reviewed:
//   - the stored claim whose evidence quote the claimReviewed text contains
//     (or that contains it), so a review of a claim from an annotated report
//     attaches to that claim; else
//   - the text claim of claimReviewed (kg::TextClaim).
// A file with any bad record writes nothing; each error names the file, the
// line where the record starts and the field.
#ifndef KG_INGEST_CLAIMREVIEW_CLAIMREVIEW_H_
#define KG_INGEST_CLAIMREVIEW_CLAIMREVIEW_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg::ingest {

struct ClaimReviewOptions {
  // Set: every review of the import is about this claim.
  std::optional<Term> claim;
};

struct ClaimReviewSummary {
  int files_loaded = 0;
  int files_failed = 0;
  int reviews = 0;
  int attached = 0;     // to a claim already in the store
  int text_claims = 0;  // reviews of a text claim
  double seconds = 0;
  std::vector<std::string> failed_files;
  bool ok() const { return files_failed == 0; }
};

// Imports `paths`. Errors and notes (fields not mapped, labels the
// vocabulary does not know) go to `err` as `path:line:col: error: ...` /
// `path: note: ...`. Returns an error status only when the store fails.
absl::StatusOr<ClaimReviewSummary> ImportClaimReviews(Store& store,
                                                      const std::vector<std::string>& paths,
                                                      const ClaimReviewOptions& options,
                                                      std::ostream& err);

// The JSON texts of an HTML page's <script type="application/ld+json">
// blocks, each with the line it starts on.
struct JsonBlock {
  std::string text;
  int line = 1;
};
std::vector<JsonBlock> JsonLdBlocks(std::string_view html);

}  // namespace kg::ingest

#endif  // KG_INGEST_CLAIMREVIEW_CLAIMREVIEW_H_
