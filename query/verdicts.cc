#include "query/verdicts.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/provenance.h"

namespace kg::query {

std::optional<Lean> LeanOf(Rating rating) {
  switch (rating) {
    case Rating::kFalse:
    case Rating::kMostlyFalse: return Lean::kAgainst;
    case Rating::kMixed: return Lean::kMixed;
    case Rating::kMostlyTrue:
    case Rating::kTrue: return Lean::kFor;
    case Rating::kUnrated: return std::nullopt;
  }
  return std::nullopt;
}

std::vector<EvidenceEntry> VerdictsAmong(const std::vector<EvidenceEntry>& evidence) {
  std::vector<EvidenceEntry> out;
  for (const EvidenceEntry& e : evidence) {
    if (IsVerdict(e.evidence)) out.push_back(e);
  }
  return out;
}

int64_t CountVerdicts(const std::vector<EvidenceEntry>& evidence) {
  return std::count_if(evidence.begin(), evidence.end(),
                       [](const EvidenceEntry& e) { return IsVerdict(e.evidence); });
}

bool ReviewersDisagree(const std::vector<EvidenceEntry>& verdicts) {
  std::optional<Lean> first;
  for (const EvidenceEntry& e : verdicts) {
    std::optional<Verdict> v = VerdictOf(e.evidence);
    if (!v) continue;
    std::optional<Lean> lean = LeanOf(v->rating);
    if (!lean) continue;
    if (first && *first != *lean) return true;
    first = lean;
  }
  return false;
}

std::string VerdictSummary(const std::vector<EvidenceEntry>& verdicts) {
  std::vector<std::string> parts;
  for (const EvidenceEntry& e : verdicts) {
    std::optional<Verdict> v = VerdictOf(e.evidence);
    if (v) parts.push_back(StrCat(RatingName(v->rating), " (", SourceName(v->reviewer), ")"));
  }
  if (parts.empty()) return "";
  return StrCat(parts.size(), parts.size() == 1 ? " verdict" : " verdicts",
                ReviewersDisagree(verdicts) ? ", reviewers disagree" : "", ": ",
                absl::StrJoin(parts, ", "));
}

absl::StatusOr<Result> VerdictsTable(Context& ctx, const std::vector<TermId>& claims) {
  Result r;
  r.columns = {"claim",    "verdict", "rating", "score",  "reviewer",
               "author",   "date",    "review", "url",    "appearances"};
  int64_t verdicts = 0, disagree = 0, rated_claims = 0;
  for (const TermId& c : claims) {
    KG_ASSIGN_OR_RETURN(Term claim, ctx.Decode(c));
    KG_ASSIGN_OR_RETURN(auto all, ctx.EvidenceFor(c));
    const std::vector<EvidenceEntry> found = VerdictsAmong(*all);
    if (found.empty()) continue;
    ++rated_claims;
    disagree += ReviewersDisagree(found) ? 1 : 0;
    for (const EvidenceEntry& e : found) {
      KG_RETURN_IF_ERROR(ctx.CountRow());
      ++verdicts;
      std::vector<std::pair<std::string, std::string>> fields = VerdictFields(ctx, e);
      auto field = [&](std::string_view key) {
        for (const auto& [k, v] : fields) {
          if (k == key) return v;
        }
        return std::string();
      };
      std::optional<Verdict> v = VerdictOf(e.evidence);
      std::vector<std::string> appearances;
      if (v) {
        if (v->first_appearance) appearances.push_back(SourceName(*v->first_appearance));
        for (const Term& d : v->appearances) {
          const std::string name = SourceName(d);
          if (std::find(appearances.begin(), appearances.end(), name) == appearances.end()) {
            appearances.push_back(name);
          }
        }
      }
      r.rows.push_back({TermCell(claim.ToString()), TextCell(field("verdict")),
                        TextCell(field("rating")), TextCell(field("score")),
                        TextCell(field("reviewer")), TextCell(field("review author")),
                        TextCell(field("date")), TextCell(StrCat("doc:", e.document_id)),
                        TextCell(field("url")), ListCell(std::move(appearances))});
    }
  }
  r.summary = claims.empty() ? "no stored claim matches"
                             : StrCat(verdicts, " verdict(s) on ", rated_claims, " of ",
                                      claims.size(), " claim(s)",
                                      disagree > 0 ? StrCat("; reviewers disagree on ", disagree)
                                                   : "");
  r.counts = {{"claims", static_cast<int64_t>(claims.size())},
              {"verdicts", verdicts},
              {"disagreeing", disagree}};
  return r;
}

}  // namespace kg::query
