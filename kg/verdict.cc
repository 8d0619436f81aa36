#include "kg/verdict.h"

#include <algorithm>
#include <cmath>

#include "kg/str_cat.h"

namespace kg {

std::string_view RatingName(Rating rating) {
  switch (rating) {
    case Rating::kFalse: return "false";
    case Rating::kMostlyFalse: return "mostly false";
    case Rating::kMixed: return "mixed";
    case Rating::kMostlyTrue: return "mostly true";
    case Rating::kTrue: return "true";
    case Rating::kUnrated: return "unrated";
  }
  return "unrated";
}

std::string_view RatingEntity(Rating rating) {
  switch (rating) {
    case Rating::kFalse: return "RatedFalse";
    case Rating::kMostlyFalse: return "RatedMostlyFalse";
    case Rating::kMixed: return "RatedMixed";
    case Rating::kMostlyTrue: return "RatedMostlyTrue";
    case Rating::kTrue: return "RatedTrue";
    case Rating::kUnrated: return "Unrated";
  }
  return "Unrated";
}

std::optional<Rating> RatingOfEntity(std::string_view name) {
  for (Rating r : kAllRatings) {
    if (RatingEntity(r) == name) return r;
  }
  return std::nullopt;
}

std::optional<Rating> RatingFromScore(double value, double best, double worst) {
  if (!std::isfinite(value) || !std::isfinite(best) || !std::isfinite(worst) || best == worst) {
    return std::nullopt;
  }
  const double at = (value - worst) / (best - worst);  // 0 worst .. 1 best
  if (at < 0 || at > 1) return std::nullopt;
  const int band = std::min(4, static_cast<int>(at * 5));
  return kAllRatings[band];
}

bool IsVerdictKey(std::string_view key) {
  return std::find(std::begin(kVerdictKeys), std::end(kVerdictKeys), key) != std::end(kVerdictKeys);
}

bool IsVerdict(const Evidence& evidence) {
  for (const Qualifier& q : evidence.qualifiers) {
    if (q.key == kVerdictKey) return true;
  }
  return false;
}

namespace {

bool IsNumber(const Term& t) {
  return t.kind() == TermKind::kInteger || t.kind() == TermKind::kDecimal;
}

}  // namespace

absl::Status CheckVerdict(const Evidence& ev) {
  bool any = false;
  for (const Qualifier& q : ev.qualifiers) any |= IsVerdictKey(q.key);
  if (!any) return absl::OkStatus();
  auto error = [](std::string_view msg) { return absl::InvalidArgumentError(StrCat("verdict: ", msg)); };
  std::vector<std::string_view> seen;
  bool has_verdict = false, has_reviewer = false;
  for (const Qualifier& q : ev.qualifiers) {
    if (!IsVerdictKey(q.key)) continue;
    if (q.key != kAppearanceKey) {
      if (std::find(seen.begin(), seen.end(), q.key) != seen.end()) {
        return error(StrCat("'", q.key, "' is given twice"));
      }
      seen.push_back(q.key);
    }
    const Term& v = q.value;
    if (q.key == kVerdictKey) {
      has_verdict = true;
      if (v.kind() != TermKind::kEntity || !RatingOfEntity(v.text())) {
        return error(StrCat("'verdict' must be one of RatedFalse, RatedMostlyFalse, RatedMixed, "
                            "RatedMostlyTrue, RatedTrue, Unrated; got ", v.ToString()));
      }
    } else if (q.key == kRatingTextKey) {
      if (v.kind() != TermKind::kString) return error("'rating' must be text");
    } else if (q.key == kRatingValueKey || q.key == kBestRatingKey || q.key == kWorstRatingKey) {
      if (!IsNumber(v)) return error(StrCat("'", q.key, "' must be a number; got ", v.ToString()));
    } else if (q.key == kReviewerKey || q.key == kReviewAuthorKey) {
      has_reviewer |= q.key == kReviewerKey;
      if (v.kind() != TermKind::kEntity && v.kind() != TermKind::kIri &&
          v.kind() != TermKind::kString) {
        return error(StrCat("'", q.key, "' must be an entity, an IRI or a name; got ", v.ToString()));
      }
    } else if (q.key == kAppearanceKey || q.key == kFirstAppearanceKey) {
      if (v.kind() != TermKind::kDocument) {
        return error(StrCat("'", q.key, "' must be a document; got ", v.ToString()));
      }
    }
  }
  if (!has_verdict) return error("a verdict needs 'verdict' (its rating on kg's scale)");
  if (!has_reviewer) return error("a verdict needs 'reviewer' (who published it)");
  if (ev.hedge != Hedge::kAsserted || ev.stance != Stance::kSupports || ev.negated ||
      ev.agent || !ev.via.empty()) {
    return error("a verdict has no hedge, stance, negation, agent or via");
  }
  return absl::OkStatus();
}

std::optional<Verdict> VerdictOf(const Evidence& ev) {
  if (!IsVerdict(ev) || !CheckVerdict(ev).ok()) return std::nullopt;
  Verdict v;
  for (const Qualifier& q : ev.qualifiers) {
    if (q.key == kVerdictKey) v.rating = *RatingOfEntity(q.value.text());
    else if (q.key == kRatingTextKey) v.rating_text = q.value.text();
    else if (q.key == kRatingValueKey) v.value = q.value;
    else if (q.key == kBestRatingKey) v.best = q.value;
    else if (q.key == kWorstRatingKey) v.worst = q.value;
    else if (q.key == kReviewerKey) v.reviewer = q.value;
    else if (q.key == kReviewAuthorKey) v.review_author = q.value;
    else if (q.key == kAppearanceKey) v.appearances.push_back(q.value);
    else if (q.key == kFirstAppearanceKey) v.first_appearance = q.value;
  }
  return v;
}

void SetVerdict(const Verdict& v, Evidence* ev) {
  auto add = [&](std::string_view key, const Term& t) {
    ev->qualifiers.push_back({std::string(key), t});
  };
  add(kVerdictKey, Term::Entity(RatingEntity(v.rating)));
  if (!v.rating_text.empty()) add(kRatingTextKey, Term::String(v.rating_text));
  if (v.value) add(kRatingValueKey, *v.value);
  if (v.best) add(kBestRatingKey, *v.best);
  if (v.worst) add(kWorstRatingKey, *v.worst);
  add(kReviewerKey, v.reviewer);
  if (v.review_author) add(kReviewAuthorKey, *v.review_author);
  for (const Term& d : v.appearances) add(kAppearanceKey, d);
  if (v.first_appearance) add(kFirstAppearanceKey, *v.first_appearance);
}

std::string CollapseWhiteSpace(std::string_view sentence) {
  std::string text;
  bool space = false;
  for (char c : sentence) {
    const bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = !text.empty();
      continue;
    }
    if (space) text += ' ';
    space = false;
    text += c;
  }
  return text;
}

Term TextClaim(std::string_view sentence) {
  return Term::Claim(Term::String(CollapseWhiteSpace(sentence)), Term::Entity(kTextClaimPredicate),
                     Term::Entity(kTextClaimEntity));
}

bool IsTextClaim(const Term& claim, std::string* sentence) {
  if (claim.kind() != TermKind::kClaim) return false;
  const Term& s = claim.subject();
  const Term& p = claim.predicate();
  const Term& o = claim.object();
  if (s.kind() != TermKind::kString || !s.extra().empty() || p.kind() != TermKind::kEntity ||
      p.text() != kTextClaimPredicate || o.kind() != TermKind::kEntity ||
      o.text() != kTextClaimEntity) {
    return false;
  }
  if (sentence != nullptr) *sentence = s.text();
  return true;
}

}  // namespace kg
