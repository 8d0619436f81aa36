// `kg import --format claimreview`: ClaimReview fact-checks into verdicts
// (ingest/claimreview/claimreview.h).
#include <cerrno>
#include <cstring>

#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "ingest/claimreview/claimreview.h"
#include "query/query.h"

namespace kg::cli {

int RunImportClaimReview(const ImportCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (!o.brat_mapping.empty() || !o.base.empty() || !o.doc.empty()) {
    err << "kg: --mapping, --base and --doc do not apply to ClaimReview input (each review is "
           "the document named by its url)\n";
    return 2;
  }
  // A claim to attach to needs a store that has it: do not create one.
  auto store = OpenStore(o.db, /*create=*/o.claim.empty(), err);
  if (!store) return 1;
  ingest::ClaimReviewOptions options;
  if (!o.claim.empty()) {
    auto found = query::FindClaims(store.get(), o.claim, 2);
    if (!found.ok()) {
      err << "kg: --claim: " << found.status().message() << "\n";
      return 2;
    }
    if (found->size() != 1) {
      err << "kg: --claim " << o.claim << ": "
          << (found->empty() ? "no stored claim matches" : "names more than one stored claim")
          << " (kg query 'TRACE " << o.claim << "' shows what it names)\n";
      return 1;
    }
    options.claim = (*found)[0];
  }
  auto summary = ingest::ImportClaimReviews(*store, o.paths, options, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  out << absl::StrFormat(
      "imported %d ClaimReview file(s): %d review(s), %d on claims already stored, %d on text "
      "claims, in %.2f s; %d file(s) failed\n",
      summary->files_loaded, summary->reviews, summary->attached, summary->text_claims,
      summary->seconds, summary->files_failed);
  return summary->ok() ? 0 : 1;
}

}  // namespace kg::cli
