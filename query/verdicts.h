// Verdicts in query results: VERDICTS ON, and the verdicts TRACE, SOURCES
// OF and CONFLICTS ABOUT show next to the evidence (kg/verdict.h has the
// model).
#ifndef KG_QUERY_VERDICTS_H_
#define KG_QUERY_VERDICTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"
#include "kg/verdict.h"
#include "query/context.h"
#include "query/query.h"

namespace kg::query {

// Which way a rating leans: against (false, mostly false), mixed, for
// (mostly true, true); nullopt for unrated.
enum class Lean { kAgainst, kMixed, kFor };
std::optional<Lean> LeanOf(Rating rating);

// The verdicts among `evidence`, in order, and how many there are.
std::vector<EvidenceEntry> VerdictsAmong(const std::vector<EvidenceEntry>& evidence);
int64_t CountVerdicts(const std::vector<EvidenceEntry>& evidence);

// True if two of `verdicts` lean different ways (unrated ones do not count).
bool ReviewersDisagree(const std::vector<EvidenceEntry>& verdicts);

// The VERDICTS ON table for `claims`: one row per verdict.
absl::StatusOr<Result> VerdictsTable(Context& ctx, const std::vector<TermId>& claims);

// "1 verdict: false (PolitiFact)" / "2 verdicts, reviewers disagree: ..."; empty
// without verdicts.
std::string VerdictSummary(const std::vector<EvidenceEntry>& verdicts);

}  // namespace kg::query

#endif  // KG_QUERY_VERDICTS_H_
