// `kg export --format claimreview CLAIM`: a claim's verdicts as schema.org
// ClaimReview JSON-LD, or for a claim nobody has rated yet, a draft
// ClaimReview for a fact-checker to complete (docs/claimreview.md, "Export").
// RunExportClaimReview (cli/commands.h) is the command; this header holds
// the check every export goes through.
#ifndef KG_CLI_CLAIMREVIEW_EXPORT_H_
#define KG_CLI_CLAIMREVIEW_EXPORT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace kg::cli {

// What one ClaimReview lacks against Google's fact-check markup guidelines
// (developers.google.com/search/docs/appearance/structured-data/factcheck):
// each entry a property path ("url", "reviewRating.alternateName").
struct ClaimReviewGaps {
  // Required: claimReviewed, reviewRating, reviewRating.alternateName, url.
  std::vector<std::string> required;
  // Recommended on the ClaimReview: author, datePublished, itemReviewed.
  std::vector<std::string> recommended;
  // Rules broken, as messages ("reviewRating.bestRating 1 is not greater
  // than reviewRating.worstRating 5").
  std::vector<std::string> invalid;
  bool publishable() const { return required.empty() && invalid.empty(); }
};

// Checks `review`, a ClaimReview object. A property that is absent, null or
// an empty string counts as missing, and so does an author without a name.
ClaimReviewGaps CheckClaimReview(const nlohmann::ordered_json& review);

}  // namespace kg::cli

#endif  // KG_CLI_CLAIMREVIEW_EXPORT_H_
