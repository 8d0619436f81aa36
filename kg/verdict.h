// Verdicts and text claims.
//
// A verdict is a fact-checker's rating of a claim: a piece of evidence of its
// own kind, given by the review (a document: the fact-check's URL, date,
// publisher and authors are the document's), that carries a rating instead
// of a stance. It is stored as reserved qualifiers of the evidence (keys
// below), so every reader of evidence sees it, and it takes no part in
// provenance: a verdict is neither a source of its claim nor against it.
//
// A text claim is a claim that is a sentence, not yet a triple (a FEVER claim,
// a ClaimReview's claimReviewed that matches nothing in the store): the claim
// << "the sentence" is TextClaim >>, one per distinct sentence.
#ifndef KG_VERDICT_H_
#define KG_VERDICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "kg/model.h"
#include "kg/term.h"

namespace kg {

// The normalised scale every published rating maps to.
enum class Rating : uint8_t { kFalse, kMostlyFalse, kMixed, kMostlyTrue, kTrue, kUnrated };
inline constexpr Rating kAllRatings[] = {Rating::kFalse,      Rating::kMostlyFalse,
                                         Rating::kMixed,      Rating::kMostlyTrue,
                                         Rating::kTrue,       Rating::kUnrated};
// "false", "mostly false", "mixed", "mostly true", "true", "unrated".
std::string_view RatingName(Rating rating);
// The core vocabulary's entity for the rating: RatedFalse, RatedMostlyFalse,
// RatedMixed, RatedMostlyTrue, RatedTrue, Unrated. Publishers' own labels
// are the aliases of these entities (schemas/vocab/core.kgv), so a
// vocabulary file extends the mapping with `@entity RatedFalse ; alias ...`.
std::string_view RatingEntity(Rating rating);
std::optional<Rating> RatingOfEntity(std::string_view name);
// The entity type of the six rating entities.
inline constexpr std::string_view kRatingType = "Rating";
// A numeric rating `value` on [worst, best] (best > worst, or best < worst
// for a scale where lower is better): five equal bands from false to true.
// nullopt when the numbers do not describe a scale or value lies outside it.
std::optional<Rating> RatingFromScore(double value, double best, double worst);

// Reserved qualifier keys of a verdict.
inline constexpr std::string_view kVerdictKey = "verdict";            // rating entity
inline constexpr std::string_view kRatingTextKey = "rating";          // label as published
inline constexpr std::string_view kRatingValueKey = "rating_value";   // number
inline constexpr std::string_view kBestRatingKey = "best_rating";     // number
inline constexpr std::string_view kWorstRatingKey = "worst_rating";   // number
inline constexpr std::string_view kReviewerKey = "reviewer";          // organisation
inline constexpr std::string_view kReviewAuthorKey = "review_author"; // person
inline constexpr std::string_view kAppearanceKey = "appearance";      // document, repeated
inline constexpr std::string_view kFirstAppearanceKey = "first_appearance";  // document
inline constexpr std::string_view kVerdictKeys[] = {
    kVerdictKey,   kRatingTextKey,   kRatingValueKey, kBestRatingKey,     kWorstRatingKey,
    kReviewerKey,  kReviewAuthorKey, kAppearanceKey,  kFirstAppearanceKey};
bool IsVerdictKey(std::string_view key);

struct Verdict {
  Rating rating = Rating::kUnrated;
  std::string rating_text;           // as published ("Pants on Fire"); may be empty
  std::optional<Term> value;         // numbers (integer or decimal terms)
  std::optional<Term> best;
  std::optional<Term> worst;
  Term reviewer;                     // the organisation (an entity, IRI or string)
  std::optional<Term> review_author; // the person, if named
  std::vector<Term> appearances;     // documents where the claim appeared
  std::optional<Term> first_appearance;
  bool operator==(const Verdict&) const = default;
};

// True if `evidence` is a verdict (it has the `verdict` qualifier).
bool IsVerdict(const Evidence& evidence);
// The verdict `evidence` carries; nullopt when it is not one or its
// qualifiers do not make one (CheckVerdict says why).
std::optional<Verdict> VerdictOf(const Evidence& evidence);
// Appends the verdict's qualifiers to `evidence`.
void SetVerdict(const Verdict& verdict, Evidence* evidence);
// OK unless `evidence` has verdict qualifiers that do not make a verdict:
// the `verdict` key missing or not a rating entity, no `reviewer`, a number
// that is not a number, a key repeated that may appear once, an appearance
// that is not a document, or a stance, hedge, negation, agent or via (which
// a verdict does not have). The message names the key.
absl::Status CheckVerdict(const Evidence& evidence);

// `text` trimmed, each inner run of ASCII white space made one space.
std::string CollapseWhiteSpace(std::string_view text);

// The text claim of `sentence` (CollapseWhiteSpace). REQUIRES: the sentence
// has a non-space character.
Term TextClaim(std::string_view sentence);
// True for claims made by TextClaim; `sentence` gets the sentence.
bool IsTextClaim(const Term& claim, std::string* sentence = nullptr);
inline constexpr std::string_view kTextClaimPredicate = "is";
inline constexpr std::string_view kTextClaimEntity = "TextClaim";

}  // namespace kg

#endif  // KG_VERDICT_H_
